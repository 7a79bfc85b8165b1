import { describe, expect, it } from 'vitest';
import { quintileScores, RFM_SEGMENT_GRID, rfmScores, rfmSegment } from './rfm.js';

describe('RFM quintile scores', () => {
  it('splits distinct values into five equal groups, best = 5', () => {
    const v = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(Array.from(quintileScores(v))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // Recency: fewer days since the last purchase is better.
    expect(Array.from(quintileScores(v, false))).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it('gives tied customers the same score whatever the input order', () => {
    const v = [0, 0, 0, 0, 0, 0, 1, 1, 3, 9];
    const s = Array.from(quintileScores(v));
    expect(s).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    const shuffled = [9, 1, 0, 3, 0, 0, 1, 0, 0, 0];
    const byValue = new Map(shuffled.map((x, i) => [x, quintileScores(shuffled)[i]]));
    v.forEach((x, i) => expect(byValue.get(x)).toBe(s[i]));
  });

  it('names segments from the grid: every cell is one of the eleven segments', () => {
    const names = new Set(Object.values(RFM_SEGMENT_GRID).flat());
    expect(names.size).toBe(11);
    expect(rfmSegment(5, 5)).toBe('Champions');
    expect(rfmSegment(5, 1)).toBe('New customers');
    expect(rfmSegment(1, 5)).toBe("Can't lose them");
    expect(rfmSegment(1, 1)).toBe('Lost');
    expect(() => rfmSegment(0, 3)).toThrow(RangeError);
  });

  it('scores a customer base end to end', () => {
    const s = rfmScores({
      recencyDays: [1, 400, 3, 200, 30],
      frequency: [20, 18, 1, 1, 5],
      monetary: [5000, 4800, 20, 15, 300],
    });
    // With five customers each score is 1 + the number of customers strictly worse.
    expect(Array.from(s.r)).toEqual([5, 1, 4, 2, 3]);
    expect(Array.from(s.f)).toEqual([5, 4, 1, 1, 3]);
    expect(Array.from(s.m)).toEqual([5, 4, 2, 1, 3]);
    expect(Array.from(s.fm)).toEqual([5, 4, 2, 1, 3]);
    expect(s.segment).toEqual(['Champions', 'At risk', 'Potential loyalists', 'Hibernating', 'Need attention']);
  });
});
