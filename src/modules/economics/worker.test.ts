import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { fitBgNbd } from './bgnbd.js';
import { simulateBgNbdGammaGamma } from './simulate.js';
import { fitInWorker } from './worker.js';

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
