import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { bgnbdModel, fitBgNbd } from './bgnbd.js';
import { scoreCustomers } from './score.js';
import { simulateBgNbdGammaGamma } from './simulate.js';
import { fitInWorker, scoreInWorker } from './worker.js';

describe('fitInWorker', () => {
  it('fits in a worker thread with transferred buffers and returns the same fit', async () => {
    const sim = simulateBgNbdGammaGamma({ r: 0.25, alpha: 4.4, a: 0.8, b: 2.4 }, { p: 6, q: 3.7, gamma: 15 }, { customers: 5000, seed: 3, daysPerPeriod: 7, cohortDays: 84, calibrationDays: 365 });
    const here = fitBgNbd(sim);
    const x = sim.x.slice();
    const there = await fitInWorker({ model: 'bgnbd', x, tx: sim.tx.slice(), T: sim.T.slice() });
    expect(there.model).toBe('bgnbd');
    expect(there.logLikelihood).toBeCloseTo(here.logLikelihood, 6);
    // Transferred, not copied: the caller's buffer is detached.
    expect(x.length).toBe(0);
  });

  it('brings typed errors back from the worker', async () => {
    await expect(fitInWorker({ model: 'gammaGamma', x: Float64Array.of(0), monetary: Float64Array.of(0) })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('scoreInWorker', () => {
  it('scores in a worker thread and hands the columns back', async () => {
    const params = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };
    const data = { x: Float64Array.of(0, 2, 7), tx: Float64Array.of(0, 30.43, 38), T: Float64Array.of(38.86, 38.86, 39) };
    const options = { horizon: 39, margin: 0.3, annualDiscountRate: 0.1, periodsPerYear: 52.18 };
    const spend = Float64Array.of(30, 40, 50);
    const here = scoreCustomers(bgnbdModel(params), data, 39, { spend, options });
    const there = await scoreInWorker({ model: 'bgnbd', params, x: data.x.slice(), tx: data.tx.slice(), T: data.T.slice(), horizon: 39, clv: { spend: spend.slice(), options } });
    expect(Array.from(there.expectedPurchases)).toEqual(Array.from(here.expectedPurchases));
    expect(Array.from(there.clv ?? [])).toEqual(Array.from(here.clv ?? []));
    expect(there.probabilityAlive).toBeInstanceOf(Float64Array);
  });
});
