import type { Tier } from './pricing/model.js';

/**
 * What pricing needs to know of a customer's value: its tier (by CLV rank) and, where known, its
 * profitability. Economics owns both; sales only asks through this interface, so the economics module
 * can plug in its service without sales reading its tables. Until it does, every customer is priced as
 * tier `rest` with no profitability (policy rules for key accounts simply do not fire).
 */
export interface CustomerEconomicsLookup {
  profileOf(tenantId: string, customerId: string): Promise<{ tier: Tier; profitability?: number } | null>;
}

export const noCustomerEconomics: CustomerEconomicsLookup = {
  async profileOf() {
    return null;
  },
};

/** A fixed table of profiles, for tests and the demo before economics has scored anyone. */
export function staticCustomerEconomics(profiles: Record<string, { tier: Tier; profitability?: number }>): CustomerEconomicsLookup {
  return {
    async profileOf(_tenantId, customerId) {
      return profiles[customerId] ?? null;
    },
  };
}
