/**
 * Derivative-free minimisation for the maximum-likelihood fits: Nelder-Mead with the
 * dimension-adapted coefficients of Gao & Han (2012), restarted from the best vertex until a
 * restart no longer improves. A single Nelder-Mead run can stall on a ridge (the Pareto/NBD
 * likelihood has a long flat valley in (s, beta)); a fresh simplex at the optimum is the classic
 * cheap check (Press et al., Numerical Recipes 10.5).
 */

export type Objective = (x: Float64Array) => number;

export interface MinimizeOptions {
  /** Initial simplex edge per coordinate (log-parameter units in the fits). */
  step?: number;
  /** Converged when the simplex f-spread <= fTol * (|f_best| + fTol) ... */
  fTol?: number;
  /** ... and every vertex is within xTol of the best one in every coordinate. */
  xTol?: number;
  maxEvaluations?: number;
  /** Restarts after the first converged run; stop early when one fails to improve. */
  maxRestarts?: number;
}

export interface MinimizeResult {
  x: Float64Array;
  f: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  restarts: number;
  message: string;
  /** BFGS only: the final inverse-Hessian approximation (row-major n × n), to warm-start a related fit. */
  inverseHessian?: Float64Array;
}

interface RunResult {
  x: Float64Array;
  f: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
}

function safe(f: Objective, x: Float64Array): number {
  const v = f(x);
  // NaN or -Infinity would make a vertex look best forever; treat both as "infinitely bad".
  return Number.isNaN(v) || v === -Infinity ? Infinity : v;
}

function nelderMeadRun(f: Objective, x0: Float64Array, step: number, fTol: number, xTol: number, budget: number): RunResult {
  const n = x0.length;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;

  const sim = new Float64Array((n + 1) * n);
  const fs = new Float64Array(n + 1);
  const order = new Int32Array(n + 1);
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  const tmp = new Float64Array(n);
  let evaluations = 0;

  const vertex = (i: number) => sim.subarray(i * n, (i + 1) * n);
  for (let i = 0; i <= n; i++) {
    const v = vertex(i);
    v.set(x0);
    if (i > 0) v[i - 1] += step;
    fs[i] = safe(f, v);
    evaluations++;
  }

  let iterations = 0;
  let converged = false;
  while (evaluations < budget) {
    for (let i = 0; i <= n; i++) order[i] = i;
    order.sort((p, q) => fs[p] - fs[q]);
    const best = order[0];
    const worst = order[n];
    const second = order[n - 1];

    // Explicit convergence test: both the function spread and the simplex diameter must be small.
    const fSpread = fs[worst] - fs[best];
    if (Number.isFinite(fSpread) && fSpread <= fTol * (Math.abs(fs[best]) + fTol)) {
      const xb = vertex(best);
      let size = 0;
      for (let i = 0; i <= n; i++) {
        if (i === best) continue;
        const v = vertex(i);
        for (let j = 0; j < n; j++) size = Math.max(size, Math.abs(v[j] - xb[j]));
      }
      if (size <= xTol) {
        converged = true;
        break;
      }
    }
    iterations++;

    centroid.fill(0);
    for (let i = 0; i <= n; i++) {
      if (i === worst) continue;
      const v = vertex(i);
      for (let j = 0; j < n; j++) centroid[j] += v[j] / n;
    }
    const xw = vertex(worst);
    for (let j = 0; j < n; j++) xr[j] = centroid[j] + alpha * (centroid[j] - xw[j]);
    const fr = safe(f, xr);
    evaluations++;

    if (fr < fs[best]) {
      for (let j = 0; j < n; j++) xe[j] = centroid[j] + beta * (xr[j] - centroid[j]);
      const fe = safe(f, xe);
      evaluations++;
      if (fe < fr) {
        xw.set(xe);
        fs[worst] = fe;
      } else {
        xw.set(xr);
        fs[worst] = fr;
      }
      continue;
    }
    if (fr < fs[second]) {
      xw.set(xr);
      fs[worst] = fr;
      continue;
    }
    const outside = fr < fs[worst];
    for (let j = 0; j < n; j++) {
      xc[j] = outside ? centroid[j] + gamma * (xr[j] - centroid[j]) : centroid[j] - gamma * (centroid[j] - xw[j]);
    }
    const fc = safe(f, xc);
    evaluations++;
    if (fc < (outside ? fr : fs[worst])) {
      xw.set(xc);
      fs[worst] = fc;
      continue;
    }
    // Shrink towards the best vertex.
    const xb = vertex(best);
    for (let i = 0; i <= n; i++) {
      if (i === best) continue;
      const v = vertex(i);
      for (let j = 0; j < n; j++) tmp[j] = xb[j] + delta * (v[j] - xb[j]);
      v.set(tmp);
      fs[i] = safe(f, v);
      evaluations++;
    }
  }

  let best = 0;
  for (let i = 1; i <= n; i++) if (fs[i] < fs[best]) best = i;
  return { x: Float64Array.from(vertex(best)), f: fs[best], converged, iterations, evaluations };
}

export function minimize(f: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const step = options.step ?? 0.5;
  const fTol = options.fTol ?? 1e-12;
  const xTol = options.xTol ?? 1e-7;
  const maxEvaluations = options.maxEvaluations ?? 20_000;
  const maxRestarts = options.maxRestarts ?? 4;

  let x: Float64Array = Float64Array.from(x0);
  let evaluations = 0;
  let iterations = 0;
  let restarts = 0;
  let run = nelderMeadRun(f, x, step, fTol, xTol, maxEvaluations);
  evaluations += run.evaluations;
  iterations += run.iterations;
  x = run.x;
  let fBest = run.f;
  let converged = run.converged;
  let message = converged ? 'converged' : `stopped after ${evaluations} evaluations without meeting the tolerance`;

  while (converged && restarts < maxRestarts && evaluations < maxEvaluations) {
    restarts++;
    // Smaller simplex on restart: we only need to escape a collapsed simplex, not re-explore.
    run = nelderMeadRun(f, x, step / 5, fTol, xTol, maxEvaluations - evaluations);
    evaluations += run.evaluations;
    iterations += run.iterations;
    const improved = fBest - run.f > fTol * (Math.abs(fBest) + fTol) * 10;
    if (run.f < fBest) {
      x = run.x;
      fBest = run.f;
    }
    if (!run.converged) {
      converged = false;
      message = `restart ${restarts} stopped after ${evaluations} evaluations without meeting the tolerance`;
      break;
    }
    if (!improved) break;
    if (restarts === maxRestarts || evaluations >= maxEvaluations) {
      converged = false;
      message = `still improving after ${restarts} restarts`;
    }
  }
  if (!Number.isFinite(fBest)) {
    converged = false;
    message = 'objective was not finite at any evaluated point';
  }
  return { x, f: fBest, converged, iterations, evaluations, restarts, message };
}

/** Objective that also writes its gradient into `grad`. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface BfgsOptions {
  /** Converged when every gradient component is at most gTol in absolute value. */
  gTol?: number;
  maxIterations?: number;
  /** Starting inverse Hessian (row-major n × n), e.g. from a fit of a subsample. */
  initialInverseHessian?: Float64Array;
  /** Largest step in any coordinate per iteration (log-parameter units: 3 = a factor of 20). */
  maxStep?: number;
  /**
   * Near the optimum the objective stops decreasing measurably before the gradient reaches gTol
   * (f is a sum of many rounded terms); a stall with every gradient component below this counts
   * as converged.
   */
  stallGTol?: number;
}

/**
 * BFGS with an Armijo backtracking line search (Nocedal & Wright 2006, alg. 6.1), for the fits
 * whose likelihood has a cheap analytic gradient. Far fewer likelihood passes than Nelder-Mead
 * (tens instead of hundreds), which is what makes a million-customer fit take well under a second.
 */
export function minimizeBfgs(fg: ObjectiveWithGradient, x0: ArrayLike<number>, options: BfgsOptions = {}): MinimizeResult {
  const gTol = options.gTol ?? 1e-8;
  const maxIterations = options.maxIterations ?? 500;
  const maxStep = options.maxStep ?? 3;
  const stallGTol = options.stallGTol ?? 1e-5;
  const n = x0.length;
  let stalls = 0;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  const H = new Float64Array(n * n);
  const resetH = (scale: number) => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = scale;
  };
  resetH(1);
  let firstStep = true;
  if (options.initialInverseHessian && options.initialInverseHessian.length === n * n) {
    H.set(options.initialInverseHessian);
    firstStep = false;
  }
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  const gMax = (v: Float64Array) => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
  if (!Number.isFinite(f) || !allFinite(g)) {
    return { x, f, converged: false, iterations: 0, evaluations, restarts: 0, message: 'objective or gradient not finite at the start' };
  }

  let iterations = 0;
  let message = `stopped after ${maxIterations} iterations`;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    if (gMax(g) <= gTol) {
      converged = true;
      message = 'converged';
      break;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j] * g[j];
      d[i] = v;
      slope += v * g[i];
    }
    if (!(slope < 0)) {
      // Not a descent direction (H lost positive definiteness numerically): restart from steepest descent.
      resetH(1);
      slope = 0;
      for (let i = 0; i < n; i++) {
        d[i] = -g[i];
        slope -= g[i] * g[i];
      }
    }
    const longest = gMax(d);
    let step = longest > maxStep ? maxStep / longest : 1;
    let fNew = Infinity;
    let accepted = false;
    for (let k = 0; k < 20; k++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && allFinite(gNew) && fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      // At the optimum the full step changes f only in its last bits: halving cannot help.
      if (Math.abs(fNew - f) <= 1e-14 * Math.abs(f) && gMax(g) <= stallGTol) break;
      step *= 0.5;
    }
    if (!accepted && gMax(g) <= stallGTol) {
      converged = true;
      message = `converged: no measurable decrease left (max |gradient| ${gMax(g).toExponential(2)})`;
      break;
    }
    if (!accepted) {
      message = `line search failed at iteration ${iterations} (max |gradient| ${gMax(g).toExponential(2)})`;
      break;
    }
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    if (sy > 1e-16) {
      if (firstStep) {
        resetH(sy / yy);
        firstStep = false;
      }
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, written out for the symmetric H.
      const rho = 1 / sy;
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        Hy[i] = v;
        yHy += y[i] * v;
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += rho * ((1 + rho * yHy) * s[i] * s[j] - Hy[i] * s[j] - s[i] * Hy[j]);
        }
      }
    }
    stalls = f - fNew <= 1e-15 * Math.abs(f) ? stalls + 1 : 0;
    x = Float64Array.from(xNew);
    const tmp = g;
    g = gNew;
    gNew = tmp;
    f = fNew;
    if (stalls >= 3 && gMax(g) <= stallGTol) {
      converged = true;
      message = `converged: objective flat to rounding for 3 steps (max |gradient| ${gMax(g).toExponential(2)})`;
      iterations++;
      break;
    }
  }
  if (!converged && gMax(g) <= gTol) {
    converged = true;
    message = 'converged';
  }
  return { x, f, converged, iterations, evaluations, restarts: 0, message, inverseHessian: Float64Array.from(H) };
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}
