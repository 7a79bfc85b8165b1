import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { buildSummary, checkRfData, compress, mergeSummaries, parseDay, type Transaction } from './summary.js';

const opts = { calibrationEnd: '2024-03-31', holdoutEnd: '2024-04-28', period: 'week' as const, today: '2024-06-01' };

function caught(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('buildSummary', () => {
  it('merges same-day purchases, counts repeat days and measures time from the first purchase', () => {
    const tx: Transaction[] = [
      { customerId: 'bill', date: '2024-01-01', amount: 10 },
      { customerId: 'bill', date: '2024-01-01', amount: 5 }, // same day as the first: still the first purchase
      { customerId: 'bill', date: '2024-01-15', amount: 20 },
      { customerId: 'bill', date: '2024-01-15T18:30:00Z', amount: '4.5' }, // same UTC day, merged
      { customerId: 'bill', date: '20240129', amount: 30 },
      { customerId: 'bill', date: '2024-04-07', amount: 99 }, // holdout week 1
      { customerId: 'bill', date: '2024-04-08', amount: 1 }, // holdout week 2
      { customerId: 'ann', date: new Date(Date.UTC(2024, 2, 3)), amount: 0 },
      { customerId: 'zoe', date: '2024-04-10', amount: 7 }, // first purchase after calibration: left out
    ];
    const s = buildSummary(tx, opts);
    expect(s.customerIds).toEqual(['bill', 'ann']);
    // bill: first 2024-01-01; repeat days 01-15 and 01-29; calibration end 03-31 is day 90.
    expect(s.x[0]).toBe(2);
    expect(s.tx[0]).toBeCloseTo(28 / 7, 12);
    expect(s.T[0]).toBeCloseTo(90 / 7, 12);
    expect(s.monetary[0]).toBeCloseTo((24.5 + 30) / 2, 12);
    expect(s.totalValue[0]).toBeCloseTo(15 + 24.5 + 30, 12);
    expect(s.recencyDays[0]).toBe(62);
    expect(s.holdoutX[0]).toBe(2);
    expect(s.holdoutValue[0]).toBe(100);
    expect(s.holdoutLength).toBe(4);
    expect(Array.from(s.holdoutByPeriod)).toEqual([1, 1, 0, 0]);
    // ann: one purchase, no repeat.
    expect([s.x[1], s.tx[1], s.monetary[1]]).toEqual([0, 0, 0]);
    expect(s.T[1]).toBeCloseTo(28 / 7, 12);
    expect(s.warnings).toEqual([{ path: 'calibrationEnd', message: expect.stringContaining('1 customers first purchased after 2024-03-31') }]);
  });

  it('orders a heavy buyer\'s purchases whatever the input order', () => {
    // 40 purchase days (beyond the insertion-sort cut-off) given newest first.
    const tx = Array.from({ length: 40 }, (_, i) => ({ customerId: 'heavy', date: new Date(Date.UTC(2024, 0, 40 - i)), amount: 40 - i }));
    const s = buildSummary(tx, opts);
    expect(s.x[0]).toBe(39);
    expect(s.tx[0]).toBeCloseTo(39 / 7, 12);
    expect(s.monetary[0]).toBeCloseTo((820 - 1) / 39, 12);
  });

  it('measures time in the chosen period', () => {
    const tx = [
      { customerId: 'a', date: '2024-01-01', amount: 1 },
      { customerId: 'a', date: '2024-02-01', amount: 1 },
    ];
    expect(buildSummary(tx, { ...opts, period: 'day' }).T[0]).toBe(90);
    expect(buildSummary(tx, { ...opts, period: 'month' }).tx[0]).toBeCloseTo(31 / 30.4375, 12);
  });

  it('rejects bad rows with field paths, never a silent NaN', () => {
    const tx = [
      { customerId: 'a', date: '2024-01-01', amount: 10 },
      { customerId: 'a', date: '2024-02-30', amount: 10 },
      { customerId: 'a', date: '2024-01-05', amount: -3 },
      { customerId: 'a', date: '2024-01-06', amount: 'ten' },
      { customerId: 'a', date: '2025-01-01', amount: 1 },
      { customerId: '', date: '2024-01-07', amount: 1 },
      { customerId: 'a', date: '2024-01-08', amount: Number.NaN },
    ] as Transaction[];
    const e = caught(() => buildSummary(tx, opts));
    expect(e.message).toBe('6 of 7 transactions are invalid');
    expect(e.issues.map((i) => i.path)).toEqual([
      'transactions/1/date',
      'transactions/2/amount',
      'transactions/3/amount',
      'transactions/4/date',
      'transactions/5/customerId',
      'transactions/6/amount',
    ]);
    expect(e.issues[3].message).toContain('in the future');
  });

  it("skips bad rows with a warning each when asked to", () => {
    const tx = [
      { customerId: 'a', date: '2024-01-01', amount: 10 },
      { customerId: 'a', date: 'yesterday', amount: 10 },
      { customerId: 'a', date: '2024-01-09', amount: 4 },
    ];
    const s = buildSummary(tx, { ...opts, onInvalid: 'skip' });
    expect(s.x[0]).toBe(1);
    expect(s.warnings[0]).toEqual({ path: 'transactions/1/date', message: expect.stringMatching(/^skipped: /) });
    for (const col of [s.x, s.tx, s.T, s.monetary]) expect(col.every(Number.isFinite)).toBe(true);
  });

  it('rejects a calibration end before any purchase, in the future, or a holdout end before it', () => {
    const tx = [{ customerId: 'a', date: '2024-01-01', amount: 1 }];
    expect(caught(() => buildSummary(tx, { ...opts, calibrationEnd: '2023-12-31' })).issues[0].path).toBe('calibrationEnd');
    expect(caught(() => buildSummary(tx, { ...opts, calibrationEnd: '2024-07-01' })).issues[0].message).toContain('after today');
    expect(caught(() => buildSummary(tx, { ...opts, holdoutEnd: '2024-03-01' })).issues[0].path).toBe('holdoutEnd');
    expect(caught(() => buildSummary(tx, { ...opts, calibrationEnd: '31/03/2024' })).issues[0].path).toBe('calibrationEnd');
    expect(caught(() => buildSummary([], opts)).issues[0].path).toBe('transactions');
  });

  it('reads calendar days, not instants', () => {
    expect(parseDay('2024-03-01')).toBe(parseDay('20240301'));
    expect(parseDay('2024-03-01T23:30:00-02:00')).toBe(parseDay('2024-03-02'));
    expect(parseDay('2024-03-01 10:00:00')).toBe(parseDay('2024-03-01'));
    expect(parseDay('2023-02-29')).toBeNull();
    expect(parseDay(new Date('invalid'))).toBeNull();
    expect(parseDay(20240301)).toBeNull();
  });
});

describe('compress', () => {
  it('merges identical customers into weighted rows and maps each customer back', () => {
    const data = { x: Float64Array.of(0, 1, 0, 1, 2), tx: Float64Array.of(0, 3, 0, 3, 3), T: Float64Array.of(5, 5, 5, 5, 5) };
    const c = compress(data);
    expect(Array.from(c.weight)).toEqual([2, 2, 1]);
    expect(Array.from(c.rowOf)).toEqual([0, 1, 0, 1, 2]);
    expect(Array.from(c.x)).toEqual([0, 1, 2]);
  });

  it('checkRfData names the first impossible customer', () => {
    const e = caught(() => checkRfData({ x: Float64Array.of(1, 1.5), tx: Float64Array.of(1, 1), T: Float64Array.of(2, 2) }));
    expect(e.issues[0].path).toBe('customers/1/x');
    expect(caught(() => checkRfData({ x: Float64Array.of(1), tx: Float64Array.of(3), T: Float64Array.of(2) })).issues[0].path).toBe('customers/0/tx');
  });
});

describe('mergeSummaries', () => {
  it('gives the summary of the whole log when built from disjoint customers', () => {
    const build = buildSummary;
    const merge = mergeSummaries;
    const log = [
      { customerId: 'a', date: '2024-01-01', amount: 10 },
      { customerId: 'a', date: '2024-02-01', amount: 20 },
      { customerId: 'b', date: '2024-01-15', amount: 5 },
      { customerId: 'b', date: '2024-03-10', amount: 7 },
      { customerId: 'b', date: '2024-03-20', amount: 9 },
      { customerId: 'c', date: '2024-02-02', amount: 1 },
    ];
    const options = { calibrationEnd: '2024-03-01', holdoutEnd: '2024-04-01', period: 'week' as const, today: '2025-01-01' };
    const whole = build(log, options);
    const merged = merge([build(log.filter((t) => t.customerId !== 'b'), options), build(log.filter((t) => t.customerId === 'b'), options)]);
    const byId = (s: typeof whole) => Object.fromEntries(s.customerIds.map((id, i) => [id, [s.x[i], s.tx[i], s.T[i], s.monetary[i], s.totalValue[i], s.holdoutX[i], s.recencyDays[i], s.firstPurchaseDay[i]]]));
    expect(byId(merged)).toEqual(byId(whole));
    expect(Array.from(merged.holdoutByPeriod)).toEqual(Array.from(whole.holdoutByPeriod));
    expect(merged.holdoutLength).toBe(whole.holdoutLength);
  });
});
