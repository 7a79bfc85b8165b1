/**
 * Profit per customer and division: the margin a customer's transactions earned over the profit window, less
 * what serving them cost (each interaction at its touch point's cost, each case at the case cost). Pure: the
 * service sums transactions, interactions and cases in SQL and hands the sums in.
 */
import type { TransactionKind } from './schema.js';
import type { EconomicsSettings } from './settings.js';

/** Transaction amounts of one customer, division, kind and product, summed over each window (amounts >= 0). */
export interface TransactionSums {
  customerId: string;
  divisionId: string;
  kind: TransactionKind;
  product: string | null;
  /** Over the profit window. */
  window: number;
  /** Over the last trend window and the one before it. */
  recent: number;
  previous: number;
  /** Everything up to the calibration end: each customer's own margin on revenue, for CLV. */
  lifetime: number;
}

export interface ContactSums {
  customerId: string;
  divisionId: string;
  touchPoint: string;
  count: number;
  /** Sum of the costs the interactions recorded (cases record none). */
  recordedCost: number;
}

export interface Money4 {
  revenue: number;
  grossMargin: number;
  costToServe: number;
  profit: number;
}

export interface CustomerProfit extends Money4 {
  spendRecent: number;
  spendPrevious: number;
  /** Gross margin / revenue over the customer's whole history; null without revenue. */
  marginRatio: number | null;
  byDivision: Record<string, Money4>;
}

export interface TouchPointCost {
  interactions: number;
  cases: number;
  cost: number;
}

export interface BookProfitability {
  customers: Map<string, CustomerProfit>;
  /** division -> touch point -> cost, for the summary (scoped by division). */
  costByDivisionTouchPoint: Record<string, Record<string, TouchPointCost>>;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

export function bookProfitability(
  sums: readonly TransactionSums[],
  interactions: readonly ContactSums[],
  cases: readonly ContactSums[],
  settings: Pick<EconomicsSettings, 'touchPointCosts' | 'caseCost' | 'productMargins' | 'defaultMargin'>,
): BookProfitability {
  const customers = new Map<string, CustomerProfit & { lifetimeRevenue: number; lifetimeMargin: number }>();
  const costByDivisionTouchPoint: Record<string, Record<string, TouchPointCost>> = {};
  const customer = (id: string) => {
    let c = customers.get(id);
    if (!c) customers.set(id, (c = { revenue: 0, grossMargin: 0, costToServe: 0, profit: 0, spendRecent: 0, spendPrevious: 0, marginRatio: null, byDivision: {}, lifetimeRevenue: 0, lifetimeMargin: 0 }));
    return c;
  };
  const division = (c: CustomerProfit, id: string) => (c.byDivision[id] ??= { revenue: 0, grossMargin: 0, costToServe: 0, profit: 0 });
  for (const r of sums) {
    const c = customer(r.customerId);
    const d = division(c, r.divisionId);
    // A refund gives back revenue and the margin its product earned; fees and interest margin are margin already.
    const sign = r.kind === 'refund' ? -1 : 1;
    const margin = r.kind === 'purchase' || r.kind === 'refund' ? (r.product !== null ? settings.productMargins[r.product] : undefined) ?? settings.defaultMargin : 1;
    d.revenue += sign * r.window;
    d.grossMargin += sign * margin * r.window;
    c.spendRecent += sign * r.recent;
    c.spendPrevious += sign * r.previous;
    c.lifetimeRevenue += sign * r.lifetime;
    c.lifetimeMargin += sign * margin * r.lifetime;
  }
  const costs = settings.touchPointCosts as Record<string, number | undefined>;
  const addCost = (row: ContactSums, cost: number, kind: 'interactions' | 'cases') => {
    const d = division(customer(row.customerId), row.divisionId);
    d.costToServe += cost;
    const tp = ((costByDivisionTouchPoint[row.divisionId] ??= {})[row.touchPoint] ??= { interactions: 0, cases: 0, cost: 0 });
    tp[kind] += row.count;
    tp.cost += cost;
  };
  for (const row of interactions) addCost(row, costs[row.touchPoint] !== undefined ? row.count * costs[row.touchPoint]! : row.recordedCost, 'interactions');
  for (const row of cases) addCost(row, row.count * settings.caseCost, 'cases');

  const out = new Map<string, CustomerProfit>();
  for (const [id, c] of customers) {
    let revenueSum = 0;
    let marginSum = 0;
    let costSum = 0;
    for (const d of Object.values(c.byDivision)) {
      d.profit = round2(d.grossMargin - d.costToServe);
      d.revenue = round2(d.revenue);
      d.grossMargin = round2(d.grossMargin);
      d.costToServe = round2(d.costToServe);
      revenueSum += d.revenue;
      marginSum += d.grossMargin;
      costSum += d.costToServe;
    }
    out.set(id, {
      revenue: round2(revenueSum),
      grossMargin: round2(marginSum),
      costToServe: round2(costSum),
      profit: round2(marginSum - costSum),
      spendRecent: round2(c.spendRecent),
      spendPrevious: round2(c.spendPrevious),
      // A customer whose refunds exceed their purchases earns nothing per purchase, never a negative margin.
      marginRatio: c.lifetimeRevenue > 0 ? Math.min(1, Math.max(0, c.lifetimeMargin / c.lifetimeRevenue)) : null,
      byDivision: c.byDivision,
    });
  }
  for (const byTp of Object.values(costByDivisionTouchPoint)) for (const v of Object.values(byTp)) v.cost = round2(v.cost);
  return { customers: out, costByDivisionTouchPoint };
}

/**
 * The cumulative-profit ("whale") curve from buckets of customers ranked by profit, most profitable first: the
 * share of total profit earned by the top k % of customers. It rises above 100 % where the most profitable
 * customers earn more than the whole book does, and falls back as loss-making customers are added.
 */
export function whaleCurve(buckets: readonly { customers: number; profit: number }[]): { customerShare: number; profitShare: number }[] {
  const customers = buckets.reduce((a, b) => a + b.customers, 0);
  const total = buckets.reduce((a, b) => a + b.profit, 0);
  let n = 0;
  let cum = 0;
  return buckets.map((b) => {
    n += b.customers;
    cum += b.profit;
    return { customerShare: customers ? n / customers : 0, profitShare: total !== 0 ? cum / Math.abs(total) : 0 };
  });
}
