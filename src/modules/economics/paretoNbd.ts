/**
 * Pareto/NBD: Schmittlein, Morrison & Colombo (1987), "Counting Your Customers: Who Are They and
 * What Will They Do Next?", Management Science 33(1). While alive a customer buys as
 * Poisson(lambda), lambda ~ Gamma(r, alpha); lifetimes are Exponential(mu), mu ~ Gamma(s, beta).
 * Likelihood and conditional expressions follow Fader & Hardie (2005), "A Note on Deriving the
 * Pareto/NBD Model and Related Expressions" (eqs. 19-22).
 */
import { ValidationError } from '../../core/errors.js';
import { fitLogParameters, totalWeight, type FitOptions, type FitResult } from './fit.js';
import type { PurchaseModel } from './score.js';
import { gaussLegendre, logAddExp, logSubExp, lgamma } from './special.js';
import { checkRfData, compress, type RfData } from './summary.js';

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export type ParetoNbdFit = FitResult<'paretoNbd', ParetoNbdParams>;

/** Above this argument the 2F1 series needs thousands of terms; quadrature takes over. */
const SERIES_MAX_Z = 0.95;

/**
 * ln 2F1(A, B; A+1; z) for 0 <= z < 1 through Euler's transformation
 *   2F1(A, B; A+1; z) = (1−z)^(1−B) 2F1(1, A+1−B; A+1; z),
 * whose terms are positive and shrink by a factor below z each step (A+1−B > 0 in both
 * orderings below), so the remainder after term k is at most term_k · z/(1−z): a stopping rule
 * with a guarantee rather than a hope. ln(1−z) is passed in because the caller has it exactly.
 */
function logHyp2f1Euler(A: number, B: number, z: number, log1mz: number): number {
  const c = A + 1;
  const aa = A + 1 - B;
  let term = 1;
  let sum = 1;
  const tailFactor = z / (1 - z);
  for (let k = 0; k < 100_000; k++) {
    term *= ((aa + k) / (c + k)) * z;
    sum += term;
    if (term * tailFactor <= 1e-16 * sum) break;
  }
  return (1 - B) * log1mz + Math.log(sum);
}

const GL = gaussLegendre(16);
const PANELS = 8;

/**
 * ln ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ, the "died between t_x and T" part of the
 * likelihood (Fader & Hardie 2005, eq. 18 before integration), by composite Gauss-Legendre in
 * u = ln(min(α,β) + τ). Used when 2F1's argument is near 1, where the series crawls: in u the
 * integrand is a smooth near-exponential even when α and β differ by orders of magnitude.
 */
export function logDeathIntegralQuadrature(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
  if (T <= tx) return -Infinity;
  const m = Math.min(alpha, beta);
  const da = alpha - m;
  const db = beta - m;
  const u0 = Math.log(m + tx);
  const u1 = Math.log(m + T);
  const h = (u1 - u0) / PANELS;
  let acc = -Infinity;
  const rx = r + x;
  for (let p = 0; p < PANELS; p++) {
    const mid = u0 + (p + 0.5) * h;
    for (let i = 0; i < GL.nodes.length; i++) {
      const u = mid + 0.5 * h * GL.nodes[i];
      const eu = Math.exp(u);
      const g = u - rx * Math.log(da + eu) - (s + 1) * Math.log(db + eu);
      acc = logAddExp(acc, g + Math.log(0.5 * h * GL.weights[i]));
    }
  }
  return acc;
}

/**
 * ln ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ = ln A0 − ln(r+s+x), with A0 from Fader & Hardie
 * (2005) eq. 20-21. The ordering matters: with α >= β the 2F1 has b = s+1 and argument
 * (α−β)/(α+t); with α < β it has b = r+x and argument (β−α)/(β+t), keeping the argument in [0, 1).
 * The difference of the two 2F1 terms is taken in log space (logSubExp).
 */
export function logDeathIntegral(r: number, alpha: number, s: number, beta: number, x: number, tx: number, T: number): number {
  if (T <= tx) return -Infinity;
  const A = r + s + x;
  const hi = Math.max(alpha, beta);
  const lo = Math.min(alpha, beta);
  const B = alpha >= beta ? s + 1 : r + x;
  const zTx = (hi - lo) / (hi + tx);
  if (zTx > SERIES_MAX_Z) return logDeathIntegralQuadrature(r, alpha, s, beta, x, tx, T);
  const lnHiTx = Math.log(hi + tx);
  const lnHiT = Math.log(hi + T);
  const fTx = logHyp2f1Euler(A, B, zTx, Math.log(lo + tx) - lnHiTx) - A * lnHiTx;
  const fT = logHyp2f1Euler(A, B, (hi - lo) / (hi + T), Math.log(lo + T) - lnHiT) - A * lnHiT;
  return logSubExp(fTx, fT) - Math.log(A);
}


function rowLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const dead = Math.log(s) + logDeathIntegral(r, alpha, s, beta, x, tx, T);
  return lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta) + logAddExp(alive, dead);
}

/** Log-likelihood summed over (weighted) customers, Fader & Hardie (2005) eq. 19. */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: RfData): number {
  const { x, tx, T, weight } = data;
  let ll = 0;
  for (let i = 0; i < x.length; i++) {
    const w = weight ? weight[i] : 1;
    if (w === 0) continue;
    ll += w * rowLogLikelihood(params, x[i], tx[i], T[i]);
  }
  return ll;
}

export function fitParetoNbd(data: RfData, options: FitOptions = {}): ParetoNbdFit {
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
    throw new ValidationError('Pareto/NBD needs repeat purchases to fit', [{ path: 'customers', message: 'no customer has a repeat purchase in the calibration period' }]);
  }
  let meanT = sT / customers;
  if (!(meanT > 0)) meanT = 1;
  const p: ParetoNbdParams = { r: 1, alpha: 1, s: 1, beta: 1 };
  return fitLogParameters(
    'paretoNbd',
    ['r', 'alpha', 's', 'beta'] as const,
    // Start with a mean lifetime of about the observation window and the observed repeat rate.
    { r: 1, alpha: sT / sx, s: 1, beta: meanT },
    (v) => {
      p.r = v[0];
      p.alpha = v[1];
      p.s = v[2];
      p.beta = v[3];
      return paretoNbdLogLikelihood(p, c);
    },
    customers,
    options,
  );
}

/** P(alive | x, t_x, T) = 1 / (1 + s (α+T)^(r+x) (β+T)^s ∫...), Fader & Hardie (2005) eq. 22 in log form. */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = params;
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const dead = Math.log(s) + logDeathIntegral(r, alpha, s, beta, x, tx, T);
  return 1 / (1 + Math.exp(dead - alive));
}

/** (1 − (1+u)^−(s−1)) / (s−1) with its s → 1 limit ln(1+u), computed without cancellation. */
function survivalRatio(s: number, u: number): number {
  const L = Math.log1p(u);
  const k = s - 1;
  return Math.abs(k * L) < 1e-10 ? L : -Math.expm1(-k * L) / k;
}

/**
 * E[Y(t) | x, t_x, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive)
 * (Schmittlein et al. 1987 eq. 22; s = 1 taken as its limit).
 */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  return paretoNbdExpectedPurchasesIfAlive(params, t, x, T) * paretoNbdProbabilityAlive(params, x, tx, T);
}

/** E[Y(t) | alive at T, x, T]: the population formula under the posterior λ ~ Gamma(r+x, α+T), μ ~ Gamma(s, β+T). */
export function paretoNbdExpectedPurchasesIfAlive(params: ParetoNbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  const { r, alpha, s, beta } = params;
  return (((r + x) * (beta + T)) / (alpha + T)) * survivalRatio(s, t / (beta + T));
}

/** E[X(t)] = r β / (α (s−1)) · [1 − (β/(β+t))^(s−1)] (Schmittlein et al. 1987 eq. 17). */
export function paretoNbdExpectedPurchasesPopulation(params: ParetoNbdParams, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, s, beta } = params;
  return ((r * beta) / alpha) * survivalRatio(s, t / beta);
}

export function paretoNbdModel(params: ParetoNbdParams): PurchaseModel {
  return {
    model: 'paretoNbd',
    expectedPurchases: (t, x, tx, T) => paretoNbdExpectedPurchases(params, t, x, tx, T),
    probabilityAlive: (x, tx, T) => paretoNbdProbabilityAlive(params, x, tx, T),
    expectedPurchasesIfAlive: (t, x, T) => paretoNbdExpectedPurchasesIfAlive(params, t, x, T),
    expectedPurchasesPopulation: (t) => paretoNbdExpectedPurchasesPopulation(params, t),
  };
}
