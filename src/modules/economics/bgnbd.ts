/**
 * BG/NBD: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to
 * the Pareto/NBD Model", Marketing Science 24(2). While alive a customer buys as Poisson(lambda),
 * lambda ~ Gamma(r, alpha); after each purchase they drop out with probability p, p ~ Beta(a, b).
 * Time is in the summary's period (weeks for CDNOW); alpha carries that unit.
 */
import { ValidationError } from '../../core/errors.js';
import { fitLogParameters, totalWeight, warmStartSample, type FitOptions, type FitResult, type WarmStart } from './fit.js';
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

/**
 * The fit's view of the data: compressed rows, with T and t_x replaced by indexes into their
 * distinct values so ln(α+T) and 1/(α+T) are computed once per distinct value per evaluation
 * (a day-grained cohort has a few hundred distinct times however many customers it holds).
 */
interface Prepared {
  x: Int32Array;
  w: Float64Array;
  tIdx: Uint32Array;
  txIdx: Uint32Array;
  tValues: Float64Array;
  txValues: Float64Array;
  maxX: number;
}

function indexValues(values: Float64Array): { idx: Uint32Array; distinct: Float64Array } {
  const map = new Map<number, number>();
  const idx = new Uint32Array(values.length);
  const distinct: number[] = [];
  for (let i = 0; i < values.length; i++) {
    let k = map.get(values[i]);
    if (k === undefined) {
      k = distinct.length;
      map.set(values[i], k);
      distinct.push(values[i]);
    }
    idx[i] = k;
  }
  return { idx, distinct: Float64Array.from(distinct) };
}

function prepare(data: RfData): Prepared {
  const c = compress(data);
  const t = indexValues(c.T);
  const tx = indexValues(c.tx);
  return { x: Int32Array.from(c.x), w: c.weight, tIdx: t.idx, txIdx: tx.idx, tValues: t.distinct, txValues: tx.distinct, maxX: maxOf(c.x) };
}

/**
 * ln L and its gradient (∂/∂r, ∂/∂α, ∂/∂a, ∂/∂b) in one pass. With π the posterior weight of the
 * "dropped out after the last purchase" term of the log-sum-exp, each row's gradient is the
 * π-weighted mix of the two terms' gradients plus the per-x digamma-free sums
 * ∂/∂r Σ ln(r+j) = Σ 1/(r+j) etc. (x is whole, so no digamma is needed either).
 */
function logLikelihoodGradient(d: Prepared, r: number, alpha: number, a: number, b: number, grad: Float64Array, tables: Float64Array[]): number {
  const [ratio, dR, dA, dB, lnB1, invB1, lnT, invT, lnTx, invTx] = tables;
  ratio[0] = dR[0] = dA[0] = dB[0] = 0;
  for (let k = 1; k <= d.maxX; k++) {
    const j = k - 1;
    ratio[k] = ratio[j] + Math.log(r + j) + Math.log(b + j) - Math.log(a + b + j);
    dR[k] = dR[j] + 1 / (r + j);
    dA[k] = dA[j] - 1 / (a + b + j);
    dB[k] = dB[j] + 1 / (b + j) - 1 / (a + b + j);
    lnB1[k] = Math.log(b + j);
    invB1[k] = 1 / (b + j);
  }
  for (let j = 0; j < d.tValues.length; j++) {
    lnT[j] = Math.log(alpha + d.tValues[j]);
    invT[j] = 1 / (alpha + d.tValues[j]);
  }
  for (let j = 0; j < d.txValues.length; j++) {
    lnTx[j] = Math.log(alpha + d.txValues[j]);
    invTx[j] = 1 / (alpha + d.txValues[j]);
  }
  const lnA = Math.log(a);
  const { x, w, tIdx, txIdx } = d;
  let ll = 0;
  let gr = 0;
  let ga = 0;
  let gA = 0;
  let gB = 0;
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const wi = w[i];
    const rx = r + xi;
    const ti = tIdx[i];
    const l3 = -rx * lnT[ti];
    total += wi;
    if (xi === 0) {
      ll += wi * l3;
      gr -= wi * lnT[ti];
      ga -= wi * rx * invT[ti];
      continue;
    }
    const tj = txIdx[i];
    const l4 = lnA - lnB1[xi] - rx * lnTx[tj];
    const diff = l4 - l3;
    const e = Math.exp(-Math.abs(diff));
    const li = (diff > 0 ? l4 : l3) + Math.log1p(e);
    const pi = diff > 0 ? 1 / (1 + e) : e / (1 + e);
    ll += wi * (ratio[xi] + li);
    gr += wi * (dR[xi] - (1 - pi) * lnT[ti] - pi * lnTx[tj]);
    ga -= wi * rx * ((1 - pi) * invT[ti] + pi * invTx[tj]);
    gA += wi * (dA[xi] + pi / a);
    gB += wi * (dB[xi] - pi * invB1[xi]);
  }
  const lnAlpha = Math.log(alpha);
  grad[0] = gr + total * lnAlpha;
  grad[1] = ga + (total * r) / alpha;
  grad[2] = gA;
  grad[3] = gB;
  return ll + total * r * lnAlpha;
}

export function fitBgNbd(data: RfData, options: FitOptions = {}): BgNbdFit {
  checkRfData(data);
  const d = prepare(data);
  const customers = totalWeight(d.x.length, d.w);
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < d.x.length; i++) {
    sx += d.w[i] * d.x[i];
    sT += d.w[i] * d.tValues[d.tIdx[i]];
  }
  if (customers === 0 || sx === 0) {
    throw new ValidationError('BG/NBD needs repeat purchases to fit', [{ path: 'customers', message: 'no customer has a repeat purchase in the calibration period' }]);
  }
  const tablesFor = (p: Prepared) => [
    ...Array.from({ length: 6 }, () => new Float64Array(p.maxX + 1)),
    new Float64Array(p.tValues.length),
    new Float64Array(p.tValues.length),
    new Float64Array(p.txValues.length),
    new Float64Array(p.txValues.length),
  ];
  const tables = tablesFor(d);
  const scratch = new Float64Array(4);
  let warm: WarmStart | undefined;
  const sample = warmStartSample(data.x.length, data.weight !== undefined);
  if (sample) {
    const sd = prepare({ x: pick(data.x, sample), tx: pick(data.tx, sample), T: pick(data.T, sample) });
    const st = tablesFor(sd);
    warm = { customers: sample.length, logLikelihoodWithGradient: (v, grad) => logLikelihoodGradient(sd, v[0], v[1], v[2], v[3], grad, st) };
  }
  return fitLogParameters(
    'bgnbd',
    NAMES,
    // r / alpha is the mean purchase rate; start it at the observed repeat rate.
    { r: 1, alpha: sT / sx, a: 1, b: 1 },
    (v) => logLikelihoodGradient(d, v[0], v[1], v[2], v[3], scratch, tables),
    customers,
    options,
    (v, grad) => logLikelihoodGradient(d, v[0], v[1], v[2], v[3], grad, tables),
    warm,
  );
}

function pick(v: Float64Array, idx: Uint32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = v[idx[k]];
  return out;
}

/** P(alive | x, t_x, T), FHL (2005) eq. 9 (1 for customers without a repeat purchase). */
export function bgnbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const odds = Math.log(a / (b + x - 1)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(odds));
}

/**
 * E[Y(t) | alive at T, x, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))]:
 * the numerator of FHL (2005) eq. 10, i.e. the population formula (eq. 7) under the posterior
 * λ ~ Gamma(r+x, α+T), p ~ Beta(a, b+x).
 */
export function bgnbdExpectedPurchasesIfAlive(params: BgNbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  const { a } = params;
  // (a−1) divides a bracket that also vanishes at a = 1; the function is smooth there, so the mean
  // of its values just either side is its value to O(1e-12).
  if (Math.abs(a - 1) < 1e-6) {
    return (ifAlive({ ...params, a: 1 - 1e-6 }, t, x, T) + ifAlive({ ...params, a: 1 + 1e-6 }, t, x, T)) / 2;
  }
  return ifAlive(params, t, x, T);
}

function ifAlive(params: BgNbdParams, t: number, x: number, T: number): number {
  const { r, alpha, a, b } = params;
  const aT = alpha + T;
  const h = hyp2f1(r + x, b + x, a + b + x - 1, t / (aT + t));
  return ((a + b + x - 1) / (a - 1)) * (1 - Math.exp((r + x) * Math.log(aT / (aT + t))) * h);
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t periods, FHL (2005) eq. 10. */
export function bgnbdExpectedPurchases(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  return bgnbdProbabilityAlive(params, x, tx, T) * bgnbdExpectedPurchasesIfAlive(params, t, x, T);
}

/** E[X(t)]: expected purchases in (0, t] of a customer just acquired at 0, FHL (2005) eq. 7. */
export function bgnbdExpectedPurchasesPopulation(params: BgNbdParams, t: number): number {
  // E[X(t)] is E[Y(t) | alive] of a customer with no history (x = 0, T = 0).
  return bgnbdExpectedPurchasesIfAlive(params, t, 0, 0);
}

export function bgnbdModel(params: BgNbdParams): PurchaseModel {
  return {
    model: 'bgnbd',
    expectedPurchases: (t, x, tx, T) => bgnbdExpectedPurchases(params, t, x, tx, T),
    probabilityAlive: (x, tx, T) => bgnbdProbabilityAlive(params, x, tx, T),
    expectedPurchasesIfAlive: (t, x, T) => bgnbdExpectedPurchasesIfAlive(params, t, x, T),
    expectedPurchasesPopulation: (t) => bgnbdExpectedPurchasesPopulation(params, t),
  };
}
