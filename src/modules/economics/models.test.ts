import { describe, expect, it } from 'vitest';
import { UnprocessableError, ValidationError } from '../../core/errors.js';
import {
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesPopulation,
  bgnbdLogLikelihood,
  bgnbdModel,
  bgnbdProbabilityAlive,
  fitBgNbd,
} from './bgnbd.js';
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaExpectedSpendAll, gammaGammaLogLikelihood } from './gammaGamma.js';
import {
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesPopulation,
  paretoNbdLogLikelihood,
  paretoNbdModel,
  paretoNbdProbabilityAlive,
} from './paretoNbd.js';
import { discountedExpectedPurchases, scoreCustomers } from './score.js';
import { simulateBgNbdGammaGamma } from './simulate.js';
import { compress } from './summary.js';

const BG = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };
const PNBD = { r: 0.5533, alpha: 10.5776, s: 0.6062, beta: 11.6679 };
const data = {
  x: Float64Array.of(0, 0, 2, 5, 2, 1, 0, 12),
  tx: Float64Array.of(0, 0, 30.43, 20, 30.43, 3, 0, 38),
  T: Float64Array.of(38.86, 38.86, 38.86, 39, 38.86, 32, 31, 39),
};

describe('weighted rows', () => {
  it('the likelihood of compressed weighted rows equals the customer-by-customer sum', () => {
    const c = compress(data);
    expect(c.x.length).toBe(6);
    expect(bgnbdLogLikelihood(BG, c)).toBeCloseTo(bgnbdLogLikelihood(BG, data), 10);
    expect(paretoNbdLogLikelihood(PNBD, c)).toBeCloseTo(paretoNbdLogLikelihood(PNBD, data), 10);
  });
});

describe('BG/NBD predictions', () => {
  it('a customer with no history yet behaves like the population', () => {
    for (const t of [1, 10, 52, 200]) {
      expect(bgnbdExpectedPurchases(BG, t, 0, 0, 0)).toBeCloseTo(bgnbdExpectedPurchasesPopulation(BG, t), 10);
      expect(paretoNbdExpectedPurchases(PNBD, t, 0, 0, 0)).toBeCloseTo(paretoNbdExpectedPurchasesPopulation(PNBD, t), 10);
    }
  });

  it('P(alive) is 1 without repeat purchases and falls as the last purchase recedes', () => {
    expect(bgnbdProbabilityAlive(BG, 0, 0, 30)).toBe(1);
    const recent = bgnbdProbabilityAlive(BG, 3, 35, 38);
    const old = bgnbdProbabilityAlive(BG, 3, 5, 38);
    expect(recent).toBeGreaterThan(old);
    expect(paretoNbdProbabilityAlive(PNBD, 3, 35, 38)).toBeGreaterThan(paretoNbdProbabilityAlive(PNBD, 3, 5, 38));
    expect(paretoNbdProbabilityAlive(PNBD, 0, 0, 0)).toBe(1);
  });

  it('expected purchases grow with the horizon and stay finite for heavy buyers', () => {
    let prev = 0;
    for (const t of [1, 5, 20, 52, 104]) {
      const e = bgnbdExpectedPurchases(BG, t, 2, 30.43, 38.86);
      expect(e).toBeGreaterThan(prev);
      prev = e;
    }
    const heavy = bgnbdExpectedPurchases(BG, 52, 300, 38.9, 39);
    expect(Number.isFinite(heavy)).toBe(true);
    expect(heavy).toBeGreaterThan(100);
    expect(Number.isFinite(paretoNbdExpectedPurchases(PNBD, 52, 300, 38.9, 39))).toBe(true);
  });
});

describe('scoring and CLV', () => {
  it('undiscounted CLV over the horizon is margin × spend × expected purchases', () => {
    const model = bgnbdModel(BG);
    const o = { horizon: 52, margin: 0.25, annualDiscountRate: 0, periodsPerYear: 365.25 / 7 };
    const spend = Float64Array.from(data.x, () => 40);
    const s = scoreCustomers(model, data, 52, { spend, options: o });
    for (let i = 0; i < data.x.length; i++) {
      expect(s.expectedPurchases[i]).toBeCloseTo(bgnbdExpectedPurchases(BG, 52, data.x[i], data.tx[i], data.T[i]), 10);
      expect(s.clv?.[i]).toBeCloseTo(0.25 * 40 * s.expectedPurchases[i], 9);
    }
  });

  it('discounting lowers the value, more so at higher rates', () => {
    const model = paretoNbdModel(PNBD);
    const base = { horizon: 104, margin: 1, periodsPerYear: 365.25 / 7 };
    const d0 = discountedExpectedPurchases(model, 4, 30, 39, { ...base, annualDiscountRate: 0 });
    const d10 = discountedExpectedPurchases(model, 4, 30, 39, { ...base, annualDiscountRate: 0.1 });
    const d30 = discountedExpectedPurchases(model, 4, 30, 39, { ...base, annualDiscountRate: 0.3 });
    expect(d0).toBeCloseTo(paretoNbdExpectedPurchases(PNBD, 104, 4, 30, 39), 10);
    expect(d10).toBeLessThan(d0);
    expect(d30).toBeLessThan(d10);
    // Two years at 10 %: no purchase is discounted by more than 1/1.1^2.
    expect(d10).toBeGreaterThan(d0 / 1.21);
  });

  it('rejects nonsense CLV options', () => {
    const spend = new Float64Array(data.x.length);
    expect(() => scoreCustomers(bgnbdModel(BG), data, 52, { spend, options: { horizon: 52, margin: 1.5, annualDiscountRate: 0.1, periodsPerYear: 52 } })).toThrow(ValidationError);
  });
});

describe('Gamma-Gamma', () => {
  const spendData = { x: Float64Array.of(0, 1, 2, 3, 2), monetary: Float64Array.of(0, 10, 25, 40, 0) };

  it('uses only repeat buyers with a positive mean and says so', () => {
    const ll = gammaGammaLogLikelihood({ p: 6, q: 3.7, gamma: 15 }, spendData);
    const only = gammaGammaLogLikelihood({ p: 6, q: 3.7, gamma: 15 }, { x: Float64Array.of(1, 2, 3), monetary: Float64Array.of(10, 25, 40) });
    expect(ll).toBeCloseTo(only, 12);
  });

  it('expected spend is undefined for q <= 1', () => {
    expect(() => gammaGammaExpectedSpend({ p: 2, q: 1, gamma: 10 }, 2, 30)).toThrow(UnprocessableError);
    expect(() => gammaGammaExpectedSpendAll({ p: 2, q: 0.5, gamma: 10 }, spendData)).toThrow(UnprocessableError);
    expect(gammaGammaExpectedSpend({ p: 2, q: 3, gamma: 10 }, 0, 0)).toBeCloseTo(10, 12);
  });

  it('refuses to fit without repeat buyers', () => {
    expect(() => fitGammaGamma({ x: Float64Array.of(0, 0), monetary: Float64Array.of(0, 0) })).toThrow(ValidationError);
  });
});

describe('parameter recovery on simulated customers', () => {
  it('recovers BG/NBD and Gamma-Gamma parameters from 60,000 simulated customers', () => {
    const truth = { r: 0.25, alpha: 4.4, a: 0.8, b: 2.4 };
    const spendTruth = { p: 6, q: 3.7, gamma: 15 };
    const sim = simulateBgNbdGammaGamma(truth, spendTruth, { customers: 60_000, seed: 7, daysPerPeriod: 7 * 24, cohortDays: 84 * 24, calibrationDays: 365 * 24 });
    const bg = fitBgNbd(sim);
    const gg = fitGammaGamma(sim);
    expect(bg.converged && gg.converged).toBe(true);
    // Sampling error at this size is a few per cent (larger for a, b).
    for (const k of ['r', 'alpha'] as const) expect(Math.abs(bg.params[k] / truth[k] - 1)).toBeLessThan(0.06);
    for (const k of ['a', 'b'] as const) expect(Math.abs(bg.params[k] / truth[k] - 1)).toBeLessThan(0.15);
    for (const k of ['p', 'q', 'gamma'] as const) expect(Math.abs(gg.params[k] / spendTruth[k] - 1)).toBeLessThan(0.1);
    // Both optimisers land on the same maximum.
    const nm = fitBgNbd(sim, { method: 'nelder-mead' });
    expect(nm.logLikelihood).toBeCloseTo(bg.logLikelihood, 4);
  });

  it('a large base warm-starts on a subsample and lands on the same maximum as a cold fit', () => {
    const sim = simulateBgNbdGammaGamma({ r: 0.25, alpha: 4.4, a: 0.8, b: 2.4 }, { p: 6, q: 3.7, gamma: 15 }, { customers: 220_000, seed: 11, daysPerPeriod: 7, cohortDays: 84, calibrationDays: 365 });
    const warm = fitBgNbd(sim);
    expect(warm.warmStartEvaluations).toBeGreaterThan(0);
    // Compressed weighted rows never warm-start: this is the cold fit of the same likelihood.
    const cold = fitBgNbd(compress(sim));
    expect(cold.warmStartEvaluations).toBeUndefined();
    expect(warm.converged && cold.converged).toBe(true);
    expect(warm.evaluations).toBeLessThan(cold.evaluations);
    expect(warm.logLikelihood).toBeCloseTo(cold.logLikelihood, 3);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(warm.params[k]).toBeCloseTo(cold.params[k], 4);
    const gg = fitGammaGamma(sim);
    expect(gg.warmStartEvaluations).toBeGreaterThan(0);
    expect(gg.converged).toBe(true);
  });

  it('says so when a fit does not converge', () => {
    const fit = fitBgNbd(data, { method: 'nelder-mead', maxEvaluations: 40 });
    expect(fit.converged).toBe(false);
    expect(fit.warnings[0]).toMatch(/^bgnbd fit did not converge/);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
    expect(() => fitBgNbd(data, { start: { r: -1 } })).toThrow(ValidationError);
  });

  it('refuses data with no repeat purchases', () => {
    expect(() => fitBgNbd({ x: Float64Array.of(0, 0), tx: Float64Array.of(0, 0), T: Float64Array.of(3, 4) })).toThrow(ValidationError);
  });
});

describe('BG/NBD edge cases', () => {
  it('is continuous through a = 1', () => {
    const near = (a: number) => bgnbdExpectedPurchases({ ...BG, a }, 39, 2, 30.43, 38.86);
    const at = near(1);
    expect(Number.isFinite(at)).toBe(true);
    expect(at).toBeCloseTo((near(1 - 1e-4) + near(1 + 1e-4)) / 2, 6);
  });

  it('scores a brand-new customer (T = 0) even with a tiny alpha', () => {
    const e = bgnbdExpectedPurchases({ ...BG, alpha: 0.01 }, 52, 0, 0, 0);
    expect(Number.isFinite(e)).toBe(true);
    expect(e).toBeGreaterThan(bgnbdExpectedPurchases(BG, 52, 0, 0, 0));
  });
});
