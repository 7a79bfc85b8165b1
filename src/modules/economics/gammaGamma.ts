/**
 * Gamma-Gamma spend model: Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value"
 * (building on Colombo & Jiang 1999). Each purchase's value is Gamma(p, nu), nu ~ Gamma(q, gamma)
 * across customers; the mean z-bar of a customer's x repeat purchases then has the density
 *   f(z̄ | p, q, γ; x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q x^(px) z̄^(px−1) / (γ + x z̄)^(px+q)
 * Only customers with at least one repeat purchase carry information (x = 0 has no z̄), and the
 * model assumes spend is independent of the purchase process.
 */
import { UnprocessableError, ValidationError } from '../../core/errors.js';
import { fitLogParameters, warmStartSample, type FitOptions, type FitResult, type WarmStart } from './fit.js';
import { digamma, lgamma } from './special.js';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export type GammaGammaFit = FitResult<'gammaGamma', GammaGammaParams>;

export interface SpendData {
  /** Repeat purchases. */
  x: Float64Array;
  /** Mean value of the repeat purchases (z-bar). */
  monetary: Float64Array;
  weight?: Float64Array;
}

/** Rows grouped by x: the z̄-free terms and Σ w ln z̄ are per x, leaving one log per customer. */
interface Prepared {
  xs: Float64Array;
  wByX: Float64Array;
  wLnZByX: Float64Array;
  rowX: Float64Array;
  rowZ: Float64Array;
  rowW: Float64Array;
  customers: number;
  excluded: { noRepeat: number; zeroSpend: number };
}

function prepare(data: SpendData): Prepared {
  const { x, monetary, weight } = data;
  if (monetary.length !== x.length || (weight && weight.length !== x.length)) {
    throw new ValidationError('x, monetary (and weight) must have the same length', [{ path: 'customers', message: 'column lengths differ' }]);
  }
  const groups = new Map<number, number>();
  const xs: number[] = [];
  const wBy: number[] = [];
  const wLn: number[] = [];
  const rx: number[] = [];
  const rz: number[] = [];
  const rw: number[] = [];
  let noRepeat = 0;
  let zeroSpend = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const z = monetary[i];
    const w = weight ? weight[i] : 1;
    if (!Number.isInteger(xi) || xi < 0 || !(z >= 0) || !Number.isFinite(z)) {
      throw new ValidationError('invalid spend data', [{ path: `customers/${i}`, message: `need a whole x >= 0 and a finite z-bar >= 0, got x ${xi}, z-bar ${z}` }]);
    }
    if (xi === 0) {
      noRepeat += w;
      continue;
    }
    if (z === 0) {
      // Density of z̄ at 0 is 0 (or infinite): a free-of-charge repeat history says nothing about spend.
      zeroSpend += w;
      continue;
    }
    let g = groups.get(xi);
    if (g === undefined) {
      g = xs.length;
      groups.set(xi, g);
      xs.push(xi);
      wBy.push(0);
      wLn.push(0);
    }
    wBy[g] += w;
    wLn[g] += w * Math.log(z);
    rx.push(xi);
    rz.push(z);
    rw.push(w);
  }
  let customers = 0;
  for (const w of rw) customers += w;
  return {
    xs: Float64Array.from(xs),
    wByX: Float64Array.from(wBy),
    wLnZByX: Float64Array.from(wLn),
    rowX: Float64Array.from(rx),
    rowZ: Float64Array.from(rz),
    rowW: Float64Array.from(rw),
    customers,
    excluded: { noRepeat, zeroSpend },
  };
}

function logLikelihoodPrepared(params: GammaGammaParams, d: Prepared): number {
  const { p, q, gamma } = params;
  const lnGamma = Math.log(gamma);
  const constQ = -lgamma(q) + q * lnGamma;
  let ll = 0;
  for (let g = 0; g < d.xs.length; g++) {
    const x = d.xs[g];
    const px = p * x;
    ll += d.wByX[g] * (lgamma(px + q) - lgamma(px) + constQ + px * Math.log(x)) + (px - 1) * d.wLnZByX[g];
  }
  const { rowX, rowZ, rowW } = d;
  for (let i = 0; i < rowX.length; i++) {
    const x = rowX[i];
    ll -= rowW[i] * (p * x + q) * Math.log(gamma + x * rowZ[i]);
  }
  return ll;
}

/**
 * ln L with its gradient (∂/∂p, ∂/∂q, ∂/∂γ):
 *   ∂p = Σ_x W_x x (ψ(px+q) − ψ(px) + ln x) + Σ_x x S_x − Σ_i w_i x_i ln(γ + x_i z̄_i)
 *   ∂q = Σ_x W_x (ψ(px+q) − ψ(q) + ln γ) − Σ_i w_i ln(γ + x_i z̄_i)
 *   ∂γ = q W / γ − Σ_i w_i (p x_i + q) / (γ + x_i z̄_i)
 * with W_x, S_x the weight and Σ w ln z̄ of the customers with x repeat purchases.
 */
function logLikelihoodGradient(p: number, q: number, gamma: number, d: Prepared, grad: Float64Array): number {
  const lnGamma = Math.log(gamma);
  const lgQ = lgamma(q);
  const psiQ = digamma(q);
  let ll = 0;
  let gp = 0;
  let gq = 0;
  let W = 0;
  for (let g = 0; g < d.xs.length; g++) {
    const x = d.xs[g];
    const px = p * x;
    const wx = d.wByX[g];
    const lnX = Math.log(x);
    ll += wx * (lgamma(px + q) - lgamma(px) - lgQ + q * lnGamma + px * lnX) + (px - 1) * d.wLnZByX[g];
    const psiPQ = digamma(px + q);
    gp += wx * x * (psiPQ - digamma(px) + lnX) + x * d.wLnZByX[g];
    gq += wx * (psiPQ - psiQ + lnGamma);
    W += wx;
  }
  let gg = (q * W) / gamma;
  const { rowX, rowZ, rowW } = d;
  for (let i = 0; i < rowX.length; i++) {
    const x = rowX[i];
    const w = rowW[i];
    const base = gamma + x * rowZ[i];
    const L = Math.log(base);
    const pxq = p * x + q;
    ll -= w * pxq * L;
    gp -= w * x * L;
    gq -= w * L;
    gg -= (w * pxq) / base;
  }
  grad[0] = gp;
  grad[1] = gq;
  grad[2] = gg;
  return ll;
}

/** Log-likelihood over customers with x >= 1 and z̄ > 0 (others carry no spend information). */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendData): number {
  return logLikelihoodPrepared(params, prepare(data));
}

export function fitGammaGamma(data: SpendData, options: FitOptions = {}): GammaGammaFit {
  const d = prepare(data);
  if (d.customers === 0) {
    throw new ValidationError('Gamma-Gamma needs repeat buyers', [{ path: 'customers', message: 'no customer has a repeat purchase with a positive value' }]);
  }
  let meanZ = 0;
  for (let i = 0; i < d.rowZ.length; i++) meanZ += d.rowW[i] * d.rowZ[i];
  meanZ /= d.customers;
  const params: GammaGammaParams = { p: 1, q: 2, gamma: 1 };
  let warm: WarmStart | undefined;
  const sample = warmStartSample(data.x.length, data.weight !== undefined);
  if (sample) {
    const sd = prepare({ x: Float64Array.from(sample, (i) => data.x[i]), monetary: Float64Array.from(sample, (i) => data.monetary[i]) });
    if (sd.customers > 0) warm = { customers: sd.customers, logLikelihoodWithGradient: (v, grad) => logLikelihoodGradient(v[0], v[1], v[2], sd, grad) };
  }
  const fit = fitLogParameters(
    'gammaGamma',
    ['p', 'q', 'gamma'] as const,
    // E[z] = p γ / (q − 1): with p = 1, q = 2 the start reproduces the observed mean spend.
    { p: 1, q: 2, gamma: meanZ },
    (v) => {
      params.p = v[0];
      params.q = v[1];
      params.gamma = v[2];
      return logLikelihoodPrepared(params, d);
    },
    d.customers,
    options,
    (v, grad) => logLikelihoodGradient(v[0], v[1], v[2], d, grad),
    warm,
  );
  if (d.excluded.zeroSpend > 0) fit.warnings.push(`${d.excluded.zeroSpend} repeat buyers with zero mean spend were left out of the fit`);
  if (fit.params.q <= 1) fit.warnings.push(`q = ${fit.params.q.toPrecision(4)} <= 1: expected spend is undefined (infinite mean); do not use this fit for CLV`);
  return fit;
}

function requireFiniteMean(params: GammaGammaParams): void {
  if (!(params.q > 1)) {
    throw new UnprocessableError('Gamma-Gamma expected spend is undefined for q <= 1', [{ path: 'params/q', message: `q is ${params.q}; the mean of the spend distribution is infinite` }]);
  }
}

/**
 * E[M | p, q, γ; x, z̄] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · z̄  (Fader & Hardie 2013 eq. 5):
 * a weighted mean of the population mean and the customer's own mean. x = 0 gives the population mean.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, monetary: number): number {
  requireFiniteMean(params);
  const { p, q, gamma } = params;
  return (p * (gamma + x * monetary)) / (p * x + q - 1);
}

export function gammaGammaExpectedSpendAll(params: GammaGammaParams, data: SpendData): Float64Array {
  requireFiniteMean(params);
  const { p, q, gamma } = params;
  const out = new Float64Array(data.x.length);
  for (let i = 0; i < out.length; i++) {
    const x = data.x[i];
    out[i] = (p * (gamma + x * data.monetary[i])) / (p * x + q - 1);
  }
  return out;
}

/** Population mean spend per purchase, p γ / (q − 1). */
export function gammaGammaPopulationMean(params: GammaGammaParams): number {
  requireFiniteMean(params);
  return (params.p * params.gamma) / (params.q - 1);
}
