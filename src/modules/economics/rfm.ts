/**
 * RFM scoring (Hughes 1994; the quintile form used in direct marketing): recency, frequency and
 * monetary value each scored 1-5 by quintile, then a named segment from the (R, FM) grid below.
 * A descriptive complement to the probabilistic models: easy to explain, no forecast.
 */
import { ValidationError } from '../../core/errors.js';

export type RfmSegment =
  | 'Champions'
  | 'Loyal customers'
  | 'Potential loyalists'
  | 'New customers'
  | 'Promising'
  | 'Need attention'
  | 'About to sleep'
  | 'At risk'
  | "Can't lose them"
  | 'Hibernating'
  | 'Lost';

/**
 * Segment by recency score (rows, R = 5 first) and FM score (columns, FM = 1..5), where
 * FM = round-half-up((F + M) / 2). Read a row as "how recently", a column as "how much":
 * recent and big = Champions; recent and small = New customers; long gone but big = Can't lose them.
 */
export const RFM_SEGMENT_GRID: Readonly<Record<1 | 2 | 3 | 4 | 5, readonly RfmSegment[]>> = {
  5: ['New customers', 'Potential loyalists', 'Potential loyalists', 'Champions', 'Champions'],
  4: ['Promising', 'Potential loyalists', 'Potential loyalists', 'Loyal customers', 'Champions'],
  3: ['About to sleep', 'About to sleep', 'Need attention', 'Loyal customers', 'Loyal customers'],
  2: ['Hibernating', 'Hibernating', 'At risk', 'At risk', "Can't lose them"],
  1: ['Lost', 'Lost', 'Hibernating', 'At risk', "Can't lose them"],
};

export interface RfmInput {
  /** Days since the last purchase (lower is better). */
  recencyDays: ArrayLike<number>;
  /** Purchase count (higher is better). */
  frequency: ArrayLike<number>;
  /** Total spend (higher is better). */
  monetary: ArrayLike<number>;
}

export interface RfmScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  fm: Uint8Array;
  segment: RfmSegment[];
}

/**
 * Quintile score 1..5 where higher values are better: 1 + floor(5 · (customers strictly worse) / n).
 * Tied customers always share a score (no dependence on input order); the price is that heavy ties
 * leave quintiles uneven (if 60 % never bought again they all score 1 on frequency).
 */
export function quintileScores(values: ArrayLike<number>, higherIsBetter = true): Uint8Array {
  const n = values.length;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new ValidationError('RFM inputs must be finite numbers', [{ path: `customers/${i}`, message: `got ${v}` }]);
    sorted[i] = higherIsBetter ? v : -v;
  }
  sorted.sort();
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = higherIsBetter ? values[i] : -values[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = 1 + Math.floor((5 * lo) / n);
  }
  return out;
}

export function rfmSegment(r: number, fm: number): RfmSegment {
  const row = RFM_SEGMENT_GRID[r as 1 | 2 | 3 | 4 | 5];
  if (!row || !(fm >= 1 && fm <= 5)) throw new RangeError(`RFM scores must be 1..5, got R ${r}, FM ${fm}`);
  return row[fm - 1];
}

export function rfmScores(input: RfmInput): RfmScores {
  const n = input.recencyDays.length;
  if (input.frequency.length !== n || input.monetary.length !== n) {
    throw new ValidationError('recency, frequency and monetary must have one value per customer', [{ path: 'customers', message: 'column lengths differ' }]);
  }
  const r = quintileScores(input.recencyDays, false);
  const f = quintileScores(input.frequency, true);
  const m = quintileScores(input.monetary, true);
  const fm = new Uint8Array(n);
  const segment: RfmSegment[] = new Array(n);
  for (let i = 0; i < n; i++) {
    fm[i] = Math.floor((f[i] + m[i] + 1) / 2);
    segment[i] = rfmSegment(r[i], fm[i]);
  }
  return { r, f, m, fm, segment };
}
