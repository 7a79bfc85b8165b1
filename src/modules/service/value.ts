/**
 * What service needs to know about a customer's worth, asked of the economics capability through this
 * interface so that routing, SLAs and alarms do not depend on how value is computed or stored. Until
 * economics publishes its results, `everyoneIsRest` answers 'rest' for everybody (every customer gets the
 * standard service level); swapping in the economics-backed lookup changes nothing else.
 */
export const VALUE_TIERS = ['top1', 'top5', 'top20', 'rest'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];

/** Share of the book a tier stands for, for explanations ("top 1 % by value"). */
export const TIER_LABEL: Record<ValueTier, string> = { top1: 'top 1 % by value', top5: 'top 5 % by value', top20: 'top 20 % by value', rest: 'standard value' };

export interface ValueTrend {
  /** Probability the customer is still active now, and as it was one period ago. */
  pAlive?: number;
  pAlivePrevious?: number;
  /** Spend in the latest period and the one before it (same length). */
  spend?: number;
  spendPrevious?: number;
}

export interface CustomerValueLookup {
  tierOf(tenantId: string, customerIds: readonly string[]): Promise<Map<string, ValueTier>>;
  /** Optional: customers whose trend is known; missing customers simply raise no trend alarm. */
  trendsOf?(tenantId: string, customerIds: readonly string[]): Promise<Map<string, ValueTrend>>;
}

export const everyoneIsRest: CustomerValueLookup = {
  async tierOf(_tenantId, customerIds) {
    return new Map(customerIds.map((id) => [id, 'rest' as const]));
  },
};

/** A fixed table, for tests, benchmarks and the demo until economics results land. */
export function fixedValueLookup(tiers: ReadonlyMap<string, ValueTier>, trends: ReadonlyMap<string, ValueTrend> = new Map()): CustomerValueLookup {
  return {
    async tierOf(_tenantId, customerIds) {
      return new Map(customerIds.map((id) => [id, tiers.get(id) ?? 'rest']));
    },
    async trendsOf(_tenantId, customerIds) {
      const out = new Map<string, ValueTrend>();
      for (const id of customerIds) {
        const t = trends.get(id);
        if (t) out.set(id, t);
      }
      return out;
    },
  };
}
