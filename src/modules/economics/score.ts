/**
 * Per-customer scores from a fitted purchase model (BG/NBD or Pareto/NBD) and, with a spend
 * model, discounted customer lifetime value.
 *
 * CLV here is the expected discounted margin over a finite horizon H (in model periods):
 *   CLV_i = m · E[M_i] · Σ_{k=1..K} ( E[Y_i(t_k)] − E[Y_i(t_{k−1})] ) · (1 + d)^(−t_k / P)
 * with m the margin on revenue, E[M_i] the expected spend per purchase (Gamma-Gamma, Fader &
 * Hardie 2013 eq. 5), E[Y_i(t)] the model's conditional expected purchases in (0, t], d the annual
 * discount rate, P periods per year, and t_k = min(k·H/K, H) a grid of K steps (monthly by
 * default). Purchases in a step are discounted as if they happened at its end: slightly
 * conservative, and the same convention as lifetimes' `customer_lifetime_value`. Spend per purchase
 * and the purchase process are assumed independent, as the Gamma-Gamma model assumes.
 */
import { ValidationError } from '../../core/errors.js';
import { checkRfData, compress, type RfData } from './summary.js';

export interface PurchaseModel {
  model: 'bgnbd' | 'paretoNbd';
  /** E[Y(t) | x, t_x, T]: expected purchases in the next t periods. */
  expectedPurchases(t: number, x: number, tx: number, T: number): number;
  probabilityAlive(x: number, tx: number, T: number): number;
  /**
   * E[Y(t) | alive at T, x, T]. In both models E[Y(t) | x, t_x, T] = P(alive) · this, and t_x
   * enters only through P(alive); scoring uses that to evaluate the hypergeometric part once per
   * distinct (x, T) instead of once per customer.
   */
  expectedPurchasesIfAlive(t: number, x: number, T: number): number;
  /** E[X(t)] for a customer acquired at time 0, used to track a whole cohort. */
  expectedPurchasesPopulation(t: number): number;
}

export interface ClvOptions {
  /** Horizon in model periods (e.g. 52 weeks). */
  horizon: number;
  /** Margin on revenue in [0, 1]. */
  margin: number;
  /** Annual discount rate, e.g. 0.1 for 10 %. */
  annualDiscountRate: number;
  /** Model periods per year: 365.25 / daysPerPeriod (52.18 for weeks). */
  periodsPerYear: number;
  /** Discounting steps per year (default 12: monthly). */
  stepsPerYear?: number;
}

export interface CustomerScores {
  /** E[Y(horizon) | x, t_x, T]. */
  expectedPurchases: Float64Array;
  probabilityAlive: Float64Array;
  /** Discounted CLV, only when spend and CLV options were given. */
  clv?: Float64Array;
}

function checkClvOptions(o: ClvOptions): void {
  const issues = [];
  if (!(o.horizon > 0 && Number.isFinite(o.horizon))) issues.push({ path: 'clv/horizon', message: 'must be a positive number of periods' });
  if (!(o.margin >= 0 && o.margin <= 1)) issues.push({ path: 'clv/margin', message: 'must lie in [0, 1]' });
  if (!(o.annualDiscountRate > -1 && Number.isFinite(o.annualDiscountRate))) issues.push({ path: 'clv/annualDiscountRate', message: 'must be a finite rate above -1' });
  if (!(o.periodsPerYear > 0)) issues.push({ path: 'clv/periodsPerYear', message: 'must be positive' });
  if (o.stepsPerYear !== undefined && !(o.stepsPerYear > 0)) issues.push({ path: 'clv/stepsPerYear', message: 'must be positive' });
  if (issues.length) throw new ValidationError('invalid CLV options', issues);
}

/** Σ_k (E[Y(t_k) | alive] − E[Y(t_{k−1}) | alive]) · (1+d)^(−t_k/P): discounted purchases if alive. */
export function discountedExpectedPurchasesIfAlive(model: PurchaseModel, x: number, T: number, o: ClvOptions): number {
  const steps = Math.max(1, Math.ceil((o.horizon / o.periodsPerYear) * (o.stepsPerYear ?? 12) - 1e-9));
  const logGrowth = Math.log1p(o.annualDiscountRate);
  let prev = 0;
  let sum = 0;
  for (let k = 1; k <= steps; k++) {
    const t = Math.min((k * o.horizon) / steps, o.horizon);
    const cum = model.expectedPurchasesIfAlive(t, x, T);
    sum += (cum - prev) * Math.exp((-t / o.periodsPerYear) * logGrowth);
    prev = cum;
  }
  return sum;
}

/** Discounted expected purchases of one customer over the CLV horizon. */
export function discountedExpectedPurchases(model: PurchaseModel, x: number, tx: number, T: number, o: ClvOptions): number {
  return model.probabilityAlive(x, tx, T) * discountedExpectedPurchasesIfAlive(model, x, T, o);
}

/** Distinct (x, T) pairs of compressed rows, and the pair each row belongs to. */
export function groupByFrequencyAge(x: Float64Array, T: Float64Array): { x: Float64Array; T: Float64Array; groupOf: Uint32Array } {
  const byX = new Map<number, Map<number, number>>();
  const gx: number[] = [];
  const gT: number[] = [];
  const groupOf = new Uint32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let byT = byX.get(x[i]);
    if (!byT) byX.set(x[i], (byT = new Map()));
    let g = byT.get(T[i]);
    if (g === undefined) {
      g = gx.length;
      byT.set(T[i], g);
      gx.push(x[i]);
      gT.push(T[i]);
    }
    groupOf[i] = g;
  }
  return { x: Float64Array.from(gx), T: Float64Array.from(gT), groupOf };
}

/**
 * Scores every customer. Customers with identical (x, t_x, T) share their scores, and the costly
 * "if alive" expectations are shared by all customers with the same (x, T); only P(alive) is
 * evaluated per distinct row.
 */
export function scoreCustomers(
  model: PurchaseModel,
  data: RfData,
  horizon: number,
  clv?: { spend: Float64Array; options: ClvOptions },
): CustomerScores {
  if (!(horizon >= 0 && Number.isFinite(horizon))) throw new ValidationError('invalid horizon', [{ path: 'horizon', message: 'must be a finite number of periods >= 0' }]);
  const n = data.x.length;
  if (clv) {
    checkClvOptions(clv.options);
    if (clv.spend.length !== n) throw new ValidationError('spend must have one value per customer', [{ path: 'clv/spend', message: `got ${clv.spend.length} values for ${n} customers` }]);
  }
  checkRfData(data);
  const c = compress(data);
  const g = groupByFrequencyAge(c.x, c.T);
  const groups = g.x.length;
  const groupE = new Float64Array(groups);
  const groupD = clv ? new Float64Array(groups) : null;
  for (let k = 0; k < groups; k++) {
    groupE[k] = model.expectedPurchasesIfAlive(horizon, g.x[k], g.T[k]);
    if (groupD && clv) groupD[k] = discountedExpectedPurchasesIfAlive(model, g.x[k], g.T[k], clv.options);
  }
  const rows = c.x.length;
  const rowE = new Float64Array(rows);
  const rowP = new Float64Array(rows);
  const rowD = clv ? new Float64Array(rows) : null;
  for (let j = 0; j < rows; j++) {
    const p = model.probabilityAlive(c.x[j], c.tx[j], c.T[j]);
    rowP[j] = p;
    rowE[j] = p * groupE[g.groupOf[j]];
    if (rowD && groupD) rowD[j] = p * groupD[g.groupOf[j]];
  }
  const expectedPurchases = new Float64Array(n);
  const probabilityAlive = new Float64Array(n);
  const out: CustomerScores = { expectedPurchases, probabilityAlive };
  for (let i = 0; i < n; i++) {
    const j = c.rowOf[i];
    expectedPurchases[i] = rowE[j];
    probabilityAlive[i] = rowP[j];
  }
  if (rowD && clv) {
    const value = new Float64Array(n);
    const m = clv.options.margin;
    for (let i = 0; i < n; i++) value[i] = m * clv.spend[i] * rowD[c.rowOf[i]];
    out.clv = value;
  }
  return out;
}
