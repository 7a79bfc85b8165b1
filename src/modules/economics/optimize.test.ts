import { describe, expect, it } from 'vitest';
import { minimize } from './optimize.js';

const rosenbrock = (v: Float64Array) => 100 * (v[1] - v[0] ** 2) ** 2 + (1 - v[0]) ** 2;

describe('minimize (Nelder-Mead with restarts)', () => {
  it('finds the Rosenbrock minimum and says it converged', () => {
    const r = minimize(rosenbrock, [-1.2, 1], { xTol: 1e-9 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.evaluations).toBeGreaterThan(r.iterations);
  });

  it('reports non-convergence when the budget runs out', () => {
    const r = minimize(rosenbrock, [-1.2, 1], { maxEvaluations: 30 });
    expect(r.converged).toBe(false);
    expect(r.message).toContain('without meeting the tolerance');
    expect(Number.isFinite(r.f)).toBe(true);
  });

  it('treats NaN as infinitely bad rather than getting stuck on it', () => {
    const f = (v: Float64Array) => (v[0] < 0 ? Number.NaN : (v[0] - 2) ** 2 + v[1] ** 2);
    const r = minimize(f, [0.1, 0.3]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(2, 5);
  });
});
