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
