/**
 * Special functions the buy-till-you-die likelihoods need, written for log-scale work:
 * ln Γ, log-sum-exp, the Gauss hypergeometric series and Gauss-Legendre quadrature.
 * No dependency: each is a few lines and we need control over where the series stops.
 */

// Lanczos approximation, g = 7, n = 9 (relative error < 2e-15 for x >= 0.5).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LN_SQRT_2PI = 0.9189385332046727;

export function lgamma(x: number): number {
  if (x < 0.5) {
    // Reflection keeps accuracy for small positive arguments (r, a near 0 during optimisation).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** ψ(x) = d ln Γ(x) / dx for x > 0: recurrence up to x >= 6, then the asymptotic series. */
export function digamma(x: number): number {
  let acc = 0;
  while (x < 6) {
    acc -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return acc + Math.log(x) - 0.5 * inv - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))));
}

/** ln B(a, b). */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** ln(e^u + e^v) without overflow or underflow. */
export function logAddExp(u: number, v: number): number {
  if (u === -Infinity) return v;
  if (v === -Infinity) return u;
  return u > v ? u + Math.log1p(Math.exp(v - u)) : v + Math.log1p(Math.exp(u - v));
}

/** ln(e^u - e^v) for u >= v; -Infinity when equal. */
export function logSubExp(u: number, v: number): number {
  if (v === -Infinity) return u;
  if (v >= u) return -Infinity;
  const d = v - u;
  // log(-expm1(d)) is accurate near d = 0, log1p(-exp(d)) when d is very negative (Mächler 2012).
  return u + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}

export interface SeriesResult {
  value: number;
  terms: number;
  converged: boolean;
}

/**
 * 2F1(a, b; c; z) by its defining power series, for |z| < 1. Terms may change sign (c < 0 in the
 * BG/NBD population expectation when a + b < 1), so stopping uses |term| relative to |sum|.
 */
export function hyp2f1Series(a: number, b: number, c: number, z: number, maxTerms = 100_000, tol = 1e-15): SeriesResult {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < maxTerms; k++) {
    term *= ((a + k) * (b + k)) / ((c + k) * (k + 1)) * z;
    sum += term;
    if (Math.abs(term) <= tol * Math.abs(sum)) return { value: sum, terms: k + 1, converged: true };
    if (!Number.isFinite(sum)) break;
  }
  return { value: sum, terms: maxTerms, converged: false };
}

/**
 * The series converges for every z < 1 but needs about ln(1e15)/(1−z) terms: 10^7 terms cover
 * 1−z down to ~5e-6 (a brand-new customer, T = 0, with α a thousandth of the horizon). Such cases
 * are rare and cost milliseconds; failing a whole scoring batch for them would cost more.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const r = hyp2f1Series(a, b, c, z, 10_000_000);
  if (!r.converged) throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) series did not converge`);
  return r.value;
}

/** Gauss-Legendre nodes and weights on [-1, 1], by Newton's method on P_n. */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}
