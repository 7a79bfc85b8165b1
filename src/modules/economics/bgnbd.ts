/**
 * BG/NBD: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to
 * the Pareto/NBD Model", Marketing Science 24(2). While alive a customer buys as Poisson(lambda),
 * lambda ~ Gamma(r, alpha); after each purchase they drop out with probability p, p ~ Beta(a, b).
 * Time is in the summary's period (weeks for CDNOW); alpha carries that unit.
 */
import { ValidationError } from '../../core/errors.js';
import { fitLogParameters, totalWeight, type FitOptions, type FitResult } from './fit.js';
import type { PurchaseModel } from './score.js';
import { hyp2f1 } from './special.js';
import { checkRfData, compress, type RfData } from './summary.js';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export type BgNbdFit = FitResult<'bgnbd', BgNbdParams>;

const NAMES = ['r', 'alpha', 'a', 'b'] as const;

function maxOf(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  return m;
}

/**
 * Log-likelihood, FHL (2005) eq. 6, summed over (weighted) customers:
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *          + ln[ (α+T)^−(r+x) + 1{x>0} a/(b+x−1) (α+t_x)^−(r+x) ]
 * x is a whole number, so the Gamma and Beta ratios are running sums of logs over k < x, built
 * once per evaluation for every x up to the largest (no lgamma in the per-customer loop); the
 * bracket is a log-sum-exp, which stays finite for heavy buyers where both terms underflow.
 */
export function bgnbdLogLikelihood(params: BgNbdParams, data: RfData, work?: Float64Array): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T, weight } = data;
  const maxX = maxOf(x);
  const ratio = work && work.length > maxX ? work : new Float64Array(maxX + 1);
  // ratio[k] = ln Γ(r+k) − ln Γ(r) + ln B(a, b+k) − ln B(a, b)
  ratio[0] = 0;
  for (let k = 1; k <= maxX; k++) {
    const j = k - 1;
    ratio[k] = ratio[k - 1] + Math.log(r + j) + Math.log(b + j) - Math.log(a + b + j);
  }
  const lnA = Math.log(a);
  let ll = 0;
  let base = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const w = weight ? weight[i] : 1;
    if (w === 0) continue;
    const rx = r + xi;
    const l3 = -rx * Math.log(alpha + T[i]);
    let li: number;
    if (xi > 0) {
      const l4 = lnA - Math.log(b + xi - 1) - rx * Math.log(alpha + tx[i]);
      li = l4 > l3 ? l4 + Math.log1p(Math.exp(l3 - l4)) : l3 + Math.log1p(Math.exp(l4 - l3));
    } else li = l3;
    ll += w * (ratio[xi] + li);
    base += w;
  }
  return ll + base * r * Math.log(alpha);
}

export function fitBgNbd(data: RfData, options: FitOptions = {}): BgNbdFit {
  checkRfData(data);
  const c = compress(data);
  const customers = totalWeight(c.x.length, c.weight);
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < c.x.length; i++) {
    sx += c.weight[i] * c.x[i];
    sT += c.weight[i] * c.T[i];
  }
  if (customers === 0 || sx === 0) {
    throw new ValidationError('BG/NBD needs repeat purchases to fit', [{ path: 'customers', message: 'no customer has a repeat purchase in the calibration period' }]);
  }
  const work = new Float64Array(maxOf(c.x) + 1);
  const p: BgNbdParams = { r: 1, alpha: 1, a: 1, b: 1 };
  return fitLogParameters(
    'bgnbd',
    NAMES,
    // r / alpha is the mean purchase rate; start it at the observed repeat rate.
    { r: 1, alpha: sT / sx, a: 1, b: 1 },
    (v) => {
      p.r = v[0];
      p.alpha = v[1];
      p.a = v[2];
      p.b = v[3];
      return bgnbdLogLikelihood(p, c, work);
    },
    customers,
    options,
  );
}

/** P(alive | x, t_x, T), FHL (2005) eq. 9 (1 for customers without a repeat purchase). */
export function bgnbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const odds = Math.log(a / (b + x - 1)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(odds));
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t periods, FHL (2005) eq. 10. */
export function bgnbdExpectedPurchases(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = params;
  const aT = alpha + T;
  const h = hyp2f1(r + x, b + x, a + b + x - 1, t / (aT + t));
  const bracket = 1 - Math.exp((r + x) * Math.log(aT / (aT + t))) * h;
  const lead = (a + b + x - 1) / (a - 1);
  const odds = x > 0 ? Math.exp(Math.log(a / (b + x - 1)) + (r + x) * (Math.log(aT) - Math.log(alpha + tx))) : 0;
  return (lead * bracket) / (1 + odds);
}

/** E[X(t)]: expected purchases in (0, t] of a customer just acquired at 0, FHL (2005) eq. 7. */
export function bgnbdExpectedPurchasesPopulation(params: BgNbdParams, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = params;
  const h = hyp2f1(r, b, a + b - 1, t / (alpha + t));
  return ((a + b - 1) / (a - 1)) * (1 - Math.exp(r * Math.log(alpha / (alpha + t))) * h);
}

export function bgnbdModel(params: BgNbdParams): PurchaseModel {
  return {
    model: 'bgnbd',
    expectedPurchases: (t, x, tx, T) => bgnbdExpectedPurchases(params, t, x, tx, T),
    probabilityAlive: (x, tx, T) => bgnbdProbabilityAlive(params, x, tx, T),
    expectedPurchasesPopulation: (t) => bgnbdExpectedPurchasesPopulation(params, t),
  };
}
