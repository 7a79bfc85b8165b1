/**
 * What every maximum-likelihood fit here shares: the result shape, the log-parameter transform
 * (all parameters are positive; optimising their logs removes the bounds and evens out scales
 * that differ by orders of magnitude, e.g. r ~ 0.2 against alpha ~ 4 weeks or ~ 30 days) and the
 * convergence bookkeeping.
 */
import { ValidationError } from '../../core/errors.js';
import { minimize, minimizeBfgs, type MinimizeOptions, type MinimizeResult } from './optimize.js';

export type ModelName = 'bgnbd' | 'paretoNbd' | 'gammaGamma';

export interface FitResult<M extends ModelName, P> {
  model: M;
  params: P;
  logLikelihood: number;
  /** Customers the likelihood was summed over (weights included). */
  customers: number;
  converged: boolean;
  /** Optimiser iterations (BFGS steps, or Nelder-Mead iterations over all restarts). */
  iterations: number;
  /** Likelihood passes over the full data (a warm start's subsample passes are in `warmStartEvaluations`). */
  evaluations: number;
  warmStartEvaluations?: number;
  warnings: string[];
}

export interface FitOptions extends MinimizeOptions {
  /** Starting values; data-driven defaults otherwise. */
  start?: Record<string, number>;
  /**
   * 'auto' (default): BFGS on the analytic gradient where the model has one, falling back to
   * Nelder-Mead from BFGS's last point if BFGS does not meet its gradient tolerance;
   * 'nelder-mead': derivative-free only.
   */
  method?: 'auto' | 'nelder-mead';
  /** BFGS gradient tolerance on the mean log-likelihood per log-parameter. */
  gTol?: number;
}

/** ln L and its gradient with respect to the (natural) parameters, written into `grad`. */
export type LogLikelihoodWithGradient = (p: Float64Array, grad: Float64Array) => number;

/**
 * A cheap stand-in for the full likelihood (a systematic subsample of the customers) fitted
 * first. The mean log-likelihood's curvature is a per-customer quantity, nearly the same for a
 * large subsample and the whole base, so the subsample's optimum and inverse Hessian start the
 * full BFGS a few steps from convergence. Only speed depends on it: the full fit still has to
 * meet its own gradient tolerance.
 */
export interface WarmStart {
  logLikelihoodWithGradient: LogLikelihoodWithGradient;
  customers: number;
}

export function fitLogParameters<M extends ModelName, K extends string>(
  model: M,
  names: readonly K[],
  start: Record<K, number>,
  logLikelihood: (p: Float64Array) => number,
  customers: number,
  options: FitOptions,
  withGradient?: LogLikelihoodWithGradient,
  warm?: WarmStart,
): FitResult<M, Record<K, number>> {
  const theta0 = names.map((k) => {
    const v = (options.start?.[k] as number | undefined) ?? start[k];
    if (!(v > 0 && Number.isFinite(v))) {
      throw new ValidationError(`invalid starting value for ${k}`, [{ path: `start/${k}`, message: `must be a finite number > 0, got ${v}` }]);
    }
    return Math.log(v);
  });
  const p = new Float64Array(names.length);
  // Mean (not total) negative log-likelihood keeps the tolerance meaning the same for 2k or 1M customers.
  const objective = (theta: Float64Array): number => {
    for (let i = 0; i < theta.length; i++) {
      // exp(±30) spans 1e-13 .. 1e13: far outside any sensible parameter, and keeps lgamma finite.
      if (theta[i] > 30 || theta[i] < -30) return Infinity;
      p[i] = Math.exp(theta[i]);
    }
    return -logLikelihood(p) / customers;
  };
  let res: MinimizeResult;
  let viaBfgs = '';
  let warmEvaluations = 0;
  if (withGradient && options.method !== 'nelder-mead') {
    const gp = new Float64Array(names.length);
    const meanObjective = (ll: LogLikelihoodWithGradient, n: number) => (theta: Float64Array, grad: Float64Array): number => {
      for (let i = 0; i < theta.length; i++) {
        if (theta[i] > 30 || theta[i] < -30) return Infinity;
        p[i] = Math.exp(theta[i]);
      }
      const v = ll(p, gp);
      // Chain rule into log space: ∂f/∂θ = −p ∂lnL/∂p / n.
      for (let i = 0; i < theta.length; i++) grad[i] = (-p[i] * gp[i]) / n;
      return -v / n;
    };
    let start = theta0;
    let initialInverseHessian: Float64Array | undefined;
    if (warm && !options.start) {
      const pre = minimizeBfgs(meanObjective(warm.logLikelihoodWithGradient, warm.customers), theta0, { gTol: 1e-6 });
      warmEvaluations = pre.evaluations;
      if (pre.converged) {
        start = Array.from(pre.x);
        initialInverseHessian = pre.inverseHessian;
      }
    }
    const full = minimizeBfgs(meanObjective(withGradient, customers), start, { gTol: options.gTol, initialInverseHessian });
    // A warm start that led nowhere is not allowed to cost the fit: retry cold.
    const bfgs = full.converged || !initialInverseHessian ? full : minimizeBfgs(meanObjective(withGradient, customers), theta0, { gTol: options.gTol });
    if (warmEvaluations) viaBfgs = `warm start on a subsample took ${warmEvaluations} subsample evaluations; `;
    if (bfgs.converged) res = bfgs;
    else {
      viaBfgs += `BFGS: ${bfgs.message}; `;
      const nm = minimize(objective, bfgs.x, options);
      res = { ...nm, iterations: nm.iterations + bfgs.iterations, evaluations: nm.evaluations + bfgs.evaluations };
    }
  } else res = minimize(objective, theta0, options);
  const params = {} as Record<K, number>;
  names.forEach((k, i) => (params[k] = Math.exp(res.x[i])));
  const warnings: string[] = [];
  if (!res.converged) warnings.push(`${model} fit did not converge: ${viaBfgs}${res.message}`);
  return {
    model,
    params,
    logLikelihood: -res.f * customers,
    customers,
    converged: res.converged,
    iterations: res.iterations,
    evaluations: res.evaluations,
    ...(warmEvaluations ? { warmStartEvaluations: warmEvaluations } : {}),
    warnings,
  };
}

/** Above this many (unweighted) customers a fit warm-starts on every k-th customer (~100k of them). */
export const WARM_START_MIN_CUSTOMERS = 200_000;

/** Indexes of a systematic subsample of about `target` customers, or null when no warm start applies. */
export function warmStartSample(n: number, weighted: boolean, target = 100_000): Uint32Array | null {
  // Weighted rows are already compressed: every k-th row is not every k-th customer.
  if (weighted || n < WARM_START_MIN_CUSTOMERS) return null;
  const stride = Math.ceil(n / target);
  const idx = new Uint32Array(Math.ceil(n / stride));
  for (let i = 0, k = 0; i < n; i += stride, k++) idx[k] = i;
  return idx;
}

export function totalWeight(n: number, weight?: Float64Array): number {
  if (!weight) return n;
  let s = 0;
  for (let i = 0; i < n; i++) s += weight[i];
  return s;
}
