import { describe, expect, it } from 'vitest';
import { gaussLegendre, hyp2f1, hyp2f1Series, lgamma, logAddExp, logSubExp } from './special.js';
import { logDeathIntegral, logDeathIntegralQuadrature } from './paretoNbd.js';

describe('special functions', () => {
  it('lgamma matches known values, including small and reflected arguments', () => {
    expect(lgamma(1)).toBeCloseTo(0, 14);
    expect(lgamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(lgamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lgamma(1e-8)).toBeCloseTo(18.420680738180209, 9);
    // Far out, against Stirling's series (error < 1e-12 at x = 1000.5).
    const x = 1000.5;
    const stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
    expect(lgamma(x)).toBeCloseTo(stirling, 9);
    // Integer steps: ln Γ(r + 5) − ln Γ(r) = Σ ln(r + k), the identity the BG/NBD likelihood relies on.
    const r = 0.2426;
    expect(lgamma(r + 5) - lgamma(r)).toBeCloseTo([0, 1, 2, 3, 4].reduce((a, k) => a + Math.log(r + k), 0), 12);
  });

  it('log-sum-exp and log-sub-exp stay finite where naive sums under/overflow', () => {
    expect(logAddExp(-1000, -1000)).toBeCloseTo(-1000 + Math.LN2, 12);
    expect(logAddExp(800, 0)).toBe(800);
    expect(logSubExp(-1000, -1000 - Math.LN2)).toBeCloseTo(-1000 - Math.LN2, 12);
    expect(logSubExp(1, 1)).toBe(-Infinity);
  });

  it('2F1 reproduces closed forms', () => {
    for (const z of [0.1, 0.5, 0.9, 0.99]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
      expect(hyp2f1(0.5, 1, 1, z)).toBeCloseTo(Math.pow(1 - z, -0.5), 10);
    }
    expect(hyp2f1Series(1, 1, 2, 0.9999, 50).converged).toBe(false);
  });

  it('Gauss-Legendre integrates polynomials exactly', () => {
    const { nodes, weights } = gaussLegendre(8);
    let s = 0;
    for (let i = 0; i < 8; i++) s += weights[i] * nodes[i] ** 14;
    expect(s).toBeCloseTo(2 / 15, 13);
  });

  it('the Pareto/NBD death integral agrees between the 2F1 series and quadrature, in both parameter orders', () => {
    const cases: [number, number, number, number, number, number, number][] = [
      [0.55, 10.58, 0.61, 11.67, 2, 30.4, 38.9],
      [0.55, 11.67, 0.61, 10.58, 0, 0, 38.9],
      [2.5, 3, 0.2, 90, 7, 12, 40],
      [0.1, 40, 3, 2.1, 1, 1, 52],
      [0.3, 5, 1.5, 5, 4, 10, 20],
    ];
    for (const [r, a, s, b, x, tx, T] of cases) {
      expect(logDeathIntegral(r, a, s, b, x, tx, T)).toBeCloseTo(logDeathIntegralQuadrature(r, a, s, b, x, tx, T), 9);
    }
    expect(logDeathIntegral(0.5, 1, 1, 1, 1, 5, 5)).toBe(-Infinity);
  });
});
