import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { bgnbdModel } from './bgnbd.js';
import { buildSummary } from './summary.js';
import { errorMeasures, validateHoldout } from './validate.js';

describe('errorMeasures', () => {
  it('computes MAE and MAPE of the cumulative curve and MAE of the increments', () => {
    const e = errorMeasures([10, 20, 40], [12, 18, 50]);
    expect(e.maeCumulative).toBeCloseTo((2 + 2 + 10) / 3, 12);
    expect(e.mapeCumulative).toBeCloseTo((100 * (0.2 + 0.1 + 0.25)) / 3, 12);
    // increments: actual 10, 10, 20; predicted 12, 6, 32
    expect(e.maeIncremental).toBeCloseTo((2 + 4 + 12) / 3, 12);
    expect(e.totalErrorPct).toBeCloseTo(25, 12);
    // Periods with no actual purchases yet are left out of MAPE rather than dividing by zero.
    expect(errorMeasures([0, 5], [1, 5]).mapeCumulative).toBe(0);
  });
});

describe('validateHoldout', () => {
  const tx = [
    { customerId: 'a', date: '2024-01-01', amount: 10 },
    { customerId: 'a', date: '2024-02-01', amount: 10 },
    { customerId: 'a', date: '2024-04-03', amount: 10 },
    { customerId: 'a', date: '2024-04-20', amount: 10 },
    { customerId: 'b', date: '2024-01-10', amount: 10 },
    { customerId: 'b', date: '2024-04-16', amount: 10 },
  ];
  const model = bgnbdModel({ r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 });

  it('tracks every holdout period, cumulative and incremental, consistently', () => {
    const s = buildSummary(tx, { calibrationEnd: '2024-03-31', holdoutEnd: '2024-04-28', today: '2024-06-01' });
    const v = validateHoldout(model, s);
    // 04-03 is in week 1 after the calibration end, 04-16 and 04-20 both in week 3.
    expect(v.tracking.map((p) => p.actual)).toEqual([1, 0, 2, 0]);
    expect(v.tracking.map((p) => p.actualCumulative)).toEqual([1, 1, 3, 3]);
    let cum = 0;
    for (const p of v.tracking) {
      cum += p.predicted;
      expect(p.predictedCumulative).toBeCloseTo(cum, 12);
      expect(p.predicted).toBeGreaterThan(0);
    }
    const expected = model.expectedPurchases(4, s.x[0], s.tx[0], s.T[0]) + model.expectedPurchases(4, s.x[1], s.tx[1], s.T[1]);
    expect(v.tracking[3].predictedCumulative).toBeCloseTo(expected, 10);
    expect(v.customers).toBe(2);
  });

  it('needs a holdout', () => {
    const s = buildSummary(tx, { calibrationEnd: '2024-03-31', today: '2024-06-01' });
    expect(() => validateHoldout(model, s)).toThrow(ValidationError);
  });
});
