/**
 * Share of wallet, estimated from what the company itself can see: the product families (categories) a
 * customer holds across every division, against what customers like them hold. A bank cannot see the card
 * a customer keeps at a competitor, but it can see that 60 % of its top-5 % customers hold a card and what a
 * typical card holder brings in a year; a top-5 % customer without one leaves that much on the table.
 *
 *   revenue in a family      = the customer's revenue over the profit window from products of that family
 *   typical family revenue   = median revenue over the window of the customers who hold the family and earn
 *                              something from it
 *   peers                    = customers in the same value tier
 *   untapped families        = families the customer does not hold that at least `minPeerAdoption` of their
 *                              peers hold, each worth its typical revenue
 *   wallet gap               = sum of the untapped families' typical revenue (feeds the `grow` disposition)
 *   share of wallet          = revenue / (revenue + wallet gap); null with no revenue and no gap
 *
 * It is an estimate of the share of the wallet the company could plausibly serve, and says so; a tenant with
 * external wallet data (bureau or survey) would replace `typical` with it.
 */

export interface CategoryRevenue {
  customerId: string;
  category: string;
  /** Revenue over the profit window from this family's products (0 when held but silent). */
  revenue: number;
}

export interface UntappedFamily {
  category: string;
  /** What a typical holder of this family brings over the profit window. */
  typicalRevenue: number;
  /** Share of the customer's peers (same tier) who hold it. */
  peerAdoption: number;
}

export interface WalletEstimate {
  shareOfWallet: number | null;
  walletGap: number;
  held: string[];
  untapped: UntappedFamily[];
}

export interface WalletOptions {
  /** A family counts as untapped for a customer when at least this share of their tier holds it. */
  minPeerAdoption: number;
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Wallet estimates for every customer in `tiers` (customer id → tier). `holdings` lists each (customer,
 * family) held with its revenue; a customer absent from it holds nothing we know of.
 */
export function estimateWallets(tiers: ReadonlyMap<string, string>, holdings: readonly CategoryRevenue[], options: WalletOptions): Map<string, WalletEstimate> {
  const heldBy = new Map<string, Map<string, number>>();
  const earnersByFamily = new Map<string, number[]>();
  for (const h of holdings) {
    if (!tiers.has(h.customerId)) continue;
    let families = heldBy.get(h.customerId);
    if (!families) heldBy.set(h.customerId, (families = new Map()));
    families.set(h.category, (families.get(h.category) ?? 0) + h.revenue);
  }
  for (const families of heldBy.values()) {
    for (const [family, revenue] of families) {
      if (revenue <= 0) continue;
      let list = earnersByFamily.get(family);
      if (!list) earnersByFamily.set(family, (list = []));
      list.push(revenue);
    }
  }
  const typical = new Map([...earnersByFamily].map(([family, values]) => [family, median(values)]));

  const tierSize = new Map<string, number>();
  for (const tier of tiers.values()) tierSize.set(tier, (tierSize.get(tier) ?? 0) + 1);
  const holdersByTier = new Map<string, Map<string, number>>();
  for (const [customerId, families] of heldBy) {
    const tier = tiers.get(customerId)!;
    let counts = holdersByTier.get(tier);
    if (!counts) holdersByTier.set(tier, (counts = new Map()));
    for (const family of families.keys()) counts.set(family, (counts.get(family) ?? 0) + 1);
  }

  // Customers of one tier share their untapped list save for what each already holds: build it once per tier.
  const candidatesByTier = new Map<string, UntappedFamily[]>();
  for (const [tier, size] of tierSize) {
    const counts = holdersByTier.get(tier) ?? new Map<string, number>();
    const list: UntappedFamily[] = [];
    for (const [family, holders] of counts) {
      const adoption = holders / size;
      const worth = typical.get(family) ?? 0;
      if (adoption >= options.minPeerAdoption && worth > 0) list.push({ category: family, typicalRevenue: round2(worth), peerAdoption: Math.round(adoption * 1000) / 1000 });
    }
    list.sort((a, b) => b.typicalRevenue - a.typicalRevenue || a.category.localeCompare(b.category));
    candidatesByTier.set(tier, list);
  }

  const out = new Map<string, WalletEstimate>();
  for (const [customerId, tier] of tiers) {
    const families = heldBy.get(customerId) ?? new Map<string, number>();
    const revenue = [...families.values()].reduce((a, b) => a + Math.max(0, b), 0);
    const untapped = (candidatesByTier.get(tier) ?? []).filter((u) => !families.has(u.category));
    const walletGap = round2(untapped.reduce((a, u) => a + u.typicalRevenue, 0));
    const wallet = revenue + walletGap;
    out.set(customerId, {
      shareOfWallet: wallet > 0 ? Math.round((revenue / wallet) * 1000) / 1000 : null,
      walletGap,
      held: [...families.keys()].sort(),
      untapped,
    });
  }
  return out;
}
