/**
 * From an event log to the per-customer (x, t_x, T, monetary) summary the buy-till-you-die
 * models are fitted on, built as Fader, Hardie & Lee (2005) built it for CDNOW:
 * - only purchases up to and including the calibration end count;
 * - purchases on the same calendar day are one purchase (amounts summed): the models describe
 *   purchase occasions, and a basket split over several order lines is still one occasion;
 * - time is measured from each customer's first purchase, which is not itself a repeat purchase:
 *   x = number of repeat purchase days, t_x = time of the last of them (0 when x = 0),
 *   T = time from the first purchase to the calibration end;
 * - monetary value = mean value of the repeat purchase days (0 when x = 0), the z-bar of the
 *   Gamma-Gamma model, which leaves the first purchase out because it is often atypical.
 * Purchases after the calibration end and up to the holdout end are counted per customer, for
 * validation only. Dates are calendar days: a Date or a date-time string is reduced to its UTC date.
 */
import type { FieldIssue } from '../../core/errors.js';
import { ValidationError } from '../../core/errors.js';

export type Period = 'day' | 'week' | 'month';

/**
 * Days per model period. A month is the mean Gregorian month, 365.25 / 12 = 30.4375 days, so
 * twelve months are exactly one mean year and rates convert to annual figures without drift.
 */
export const DAYS_PER_PERIOD: Readonly<Record<Period, number>> = { day: 1, week: 7, month: 365.25 / 12 };

export interface Transaction {
  customerId: string;
  /** Calendar day: 'YYYY-MM-DD', 'YYYYMMDD', an ISO date-time (its UTC date) or a Date. */
  date: string | Date;
  /** Non-negative amount; numeric strings such as "29.33" are accepted. */
  amount: number | string;
}

export interface SummaryOptions {
  calibrationEnd: string | Date;
  /** When given, purchases in (calibrationEnd, holdoutEnd] are counted for validation. */
  holdoutEnd?: string | Date;
  period?: Period;
  /** Dates after this day are rejected as "in the future"; defaults to the current UTC date. */
  today?: string | Date;
  /** 'throw' (default) rejects the whole log on any bad row; 'skip' drops bad rows with a warning each. */
  onInvalid?: 'throw' | 'skip';
}

/** Recency-frequency data the purchase models are fitted on; `weight` counts identical customers. */
export interface RfData {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight?: Float64Array;
}

export interface CustomerSummary extends RfData {
  period: Period;
  daysPerPeriod: number;
  calibrationEnd: string;
  holdoutEnd: string | null;
  customerIds: string[];
  /** First purchase day, as days since 1970-01-01 (UTC). */
  firstPurchaseDay: Int32Array;
  /** Days since the last purchase (first or repeat) at the calibration end, for RFM recency. */
  recencyDays: Int32Array;
  /** Mean value of the repeat purchase days (0 when x = 0). */
  monetary: Float64Array;
  /** Total value of all calibration purchase days, first included (RFM monetary). */
  totalValue: Float64Array;
  /** Repeat purchase days per customer in the holdout (all zero without a holdout). */
  holdoutX: Float64Array;
  holdoutValue: Float64Array;
  /** Holdout length in periods (may be fractional) and purchase days per holdout period k = 1..K. */
  holdoutLength: number;
  holdoutByPeriod: Float64Array;
  warnings: FieldIssue[];
}

const MS_PER_DAY = 86_400_000;
const MAX_REPORTED_ISSUES = 100;

export function dayNumber(y: number, m: number, d: number): number | null {
  const ms = Date.UTC(y, m - 1, d);
  const dt = new Date(ms);
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return ms / MS_PER_DAY;
}

export function dayToIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Calendar day number of a date, or null when it cannot be read as one. */
export function parseDay(value: unknown): number | null {
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isFinite(t) ? Math.floor(t / MS_PER_DAY) : null;
  }
  if (typeof value !== 'string') return null;
  const s = value.trim();
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})-(\d{2})-(\d{2})[T ]/.exec(s);
  if (m) {
    if (dayNumber(Number(m[1]), Number(m[2]), Number(m[3])) === null) return null;
    // A date-time with an offset is reduced to its UTC date; one without is read as UTC.
    const iso = s.replace(' ', 'T');
    const t = Date.parse(/([zZ]|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
    return Number.isFinite(t) ? Math.floor(t / MS_PER_DAY) : null;
  }
  return null;
}

export function parseAmount(value: unknown): number | null {
  let v: number;
  if (typeof value === 'number') v = value;
  else if (typeof value === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) v = Number(value);
  else return null;
  return Number.isFinite(v) ? v : null;
}

function requiredDay(value: unknown, path: string): number {
  const d = parseDay(value);
  if (d === null) throw new ValidationError(`${path} is not a calendar date`, [{ path, message: `cannot read ${JSON.stringify(value)} as a date (use YYYY-MM-DD)` }]);
  return d;
}

export function buildSummary(transactions: readonly Transaction[], options: SummaryOptions): CustomerSummary {
  const period = options.period ?? 'week';
  const dpp = DAYS_PER_PERIOD[period];
  if (dpp === undefined) throw new ValidationError('unknown period', [{ path: 'period', message: `expected day, week or month, got ${String(period)}` }]);
  const calEnd = requiredDay(options.calibrationEnd, 'calibrationEnd');
  const holdEnd = options.holdoutEnd === undefined ? null : requiredDay(options.holdoutEnd, 'holdoutEnd');
  const today = options.today === undefined ? Math.floor(Date.now() / MS_PER_DAY) : requiredDay(options.today, 'today');
  const onInvalid = options.onInvalid ?? 'throw';

  if (calEnd > today) {
    throw new ValidationError('calibration end is in the future', [{ path: 'calibrationEnd', message: `${dayToIso(calEnd)} is after today (${dayToIso(today)}): T would count days not yet observed` }]);
  }
  if (holdEnd !== null && holdEnd <= calEnd) {
    throw new ValidationError('holdout end must be after the calibration end', [{ path: 'holdoutEnd', message: `${dayToIso(holdEnd)} is not after ${dayToIso(calEnd)}` }]);
  }
  if (holdEnd !== null && holdEnd > today) {
    throw new ValidationError('holdout end is in the future', [{ path: 'holdoutEnd', message: `${dayToIso(holdEnd)} is after today (${dayToIso(today)})` }]);
  }

  const n = transactions.length;
  const cust = new Int32Array(n);
  const day = new Int32Array(n);
  const amt = new Float64Array(n);
  const valid = new Uint8Array(n);
  const index = new Map<string, number>();
  const dayCache = new Map<string, number | null>();
  const ids: string[] = [];
  const issues: FieldIssue[] = [];
  let invalid = 0;
  const report = (path: string, message: string) => {
    if (issues.length < MAX_REPORTED_ISSUES) issues.push({ path, message });
  };

  for (let i = 0; i < n; i++) {
    const t = transactions[i];
    let ok = true;
    const id = t?.customerId;
    if (typeof id !== 'string' || id.length === 0) {
      report(`transactions/${i}/customerId`, 'missing customer id');
      ok = false;
    }
    const raw = t?.date;
    let d: number | null;
    if (typeof raw === 'string') {
      // Event logs repeat a few hundred distinct days millions of times: parse each once.
      const hit = dayCache.get(raw);
      if (hit === undefined) dayCache.set(raw, (d = parseDay(raw)));
      else d = hit;
    } else d = parseDay(raw);
    if (d === null) {
      report(`transactions/${i}/date`, `cannot read ${JSON.stringify(t?.date)} as a date`);
      ok = false;
    } else if (d > today) {
      report(`transactions/${i}/date`, `${dayToIso(d)} is in the future (today is ${dayToIso(today)})`);
      ok = false;
    }
    const a = parseAmount(t?.amount);
    if (a === null) {
      report(`transactions/${i}/amount`, `${JSON.stringify(t?.amount)} is not a number`);
      ok = false;
    } else if (a < 0) {
      report(`transactions/${i}/amount`, `${a} is negative (record refunds against the original purchase instead)`);
      ok = false;
    }
    if (!ok) {
      invalid++;
      continue;
    }
    let c = index.get(id);
    if (c === undefined) {
      c = ids.length;
      index.set(id, c);
      ids.push(id);
    }
    cust[i] = c;
    day[i] = d as number;
    amt[i] = a as number;
    valid[i] = 1;
  }

  if (invalid > 0) {
    if (issues.length < invalid) issues.push({ path: 'transactions', message: `${invalid - issues.length} more invalid rows not listed` });
    if (onInvalid === 'throw') throw new ValidationError(`${invalid} of ${n} transactions are invalid`, issues);
  }
  const warnings: FieldIssue[] = invalid > 0 ? issues.map((i) => ({ ...i, message: `skipped: ${i.message}` })) : [];

  // Counting sort of the valid rows by customer, then each customer's days in order.
  const m = ids.length;
  const start = new Int32Array(m + 1);
  for (let i = 0; i < n; i++) if (valid[i]) start[cust[i] + 1]++;
  for (let c = 0; c < m; c++) start[c + 1] += start[c];
  const fill = start.slice(0, m);
  const sortedDay = new Int32Array(start[m]);
  const sortedAmt = new Float64Array(start[m]);
  for (let i = 0; i < n; i++) {
    if (!valid[i]) continue;
    const k = fill[cust[i]]++;
    sortedDay[k] = day[i];
    sortedAmt[k] = amt[i];
  }

  let minDay = Infinity;
  for (let k = 0; k < sortedDay.length; k++) if (sortedDay[k] < minDay) minDay = sortedDay[k];
  if (sortedDay.length === 0) throw new ValidationError('no valid transactions', [{ path: 'transactions', message: 'the event log has no usable purchase' }]);
  if (calEnd < minDay) {
    throw new ValidationError('calibration end is before the first purchase', [{ path: 'calibrationEnd', message: `${dayToIso(calEnd)} is before the earliest purchase (${dayToIso(minDay)})` }]);
  }

  const holdoutLength = holdEnd === null ? 0 : (holdEnd - calEnd) / dpp;
  const holdoutByPeriod = new Float64Array(Math.ceil(holdoutLength));
  const outIds: string[] = [];
  const first: number[] = [];
  const recency: number[] = [];
  const xs: number[] = [];
  const txs: number[] = [];
  const Ts: number[] = [];
  const mon: number[] = [];
  const tot: number[] = [];
  const hx: number[] = [];
  const hv: number[] = [];
  let lateCustomers = 0;
  const order: number[] = [];

  for (let c = 0; c < m; c++) {
    const lo = start[c];
    const hi = start[c + 1];
    sortSegmentByDay(sortedDay, sortedAmt, lo, hi, order);
    const d0 = sortedDay[lo];
    if (d0 > calEnd) {
      // Not yet a customer at the calibration end: the models have nothing to say about them.
      lateCustomers++;
      continue;
    }
    let x = 0;
    let lastDay = d0;
    let firstValue = 0;
    let repeatValue = 0;
    let holdX = 0;
    let holdV = 0;
    let prevDay = -Infinity;
    for (let k = lo; k < hi; k++) {
      const d = sortedDay[k];
      const a = sortedAmt[k];
      if (d <= calEnd) {
        if (d === d0) firstValue += a;
        else {
          if (d !== prevDay) x++;
          repeatValue += a;
          lastDay = d;
        }
      } else if (holdEnd !== null && d <= holdEnd) {
        if (d !== prevDay) {
          holdX++;
          holdoutByPeriod[Math.ceil((d - calEnd) / dpp) - 1]++;
        }
        holdV += a;
      }
      prevDay = d;
    }
    outIds.push(ids[c]);
    first.push(d0);
    recency.push(calEnd - lastDay);
    xs.push(x);
    txs.push((lastDay - d0) / dpp);
    Ts.push((calEnd - d0) / dpp);
    mon.push(x > 0 ? repeatValue / x : 0);
    tot.push(firstValue + repeatValue);
    hx.push(holdX);
    hv.push(holdV);
  }
  if (lateCustomers > 0) {
    warnings.push({ path: 'calibrationEnd', message: `${lateCustomers} customers first purchased after ${dayToIso(calEnd)} and are left out of the summary` });
  }

  return {
    period,
    daysPerPeriod: dpp,
    calibrationEnd: dayToIso(calEnd),
    holdoutEnd: holdEnd === null ? null : dayToIso(holdEnd),
    customerIds: outIds,
    firstPurchaseDay: Int32Array.from(first),
    recencyDays: Int32Array.from(recency),
    x: Float64Array.from(xs),
    tx: Float64Array.from(txs),
    T: Float64Array.from(Ts),
    monetary: Float64Array.from(mon),
    totalValue: Float64Array.from(tot),
    holdoutX: Float64Array.from(hx),
    holdoutValue: Float64Array.from(hv),
    holdoutLength,
    holdoutByPeriod,
    warnings,
  };
}

/** Sorts one customer's rows by day in place: insertion sort for the usual handful, index sort beyond. */
function sortSegmentByDay(day: Int32Array, amt: Float64Array, lo: number, hi: number, order: number[]): void {
  if (hi - lo <= 32) {
    for (let i = lo + 1; i < hi; i++) {
      const d = day[i];
      const a = amt[i];
      let j = i - 1;
      while (j >= lo && day[j] > d) {
        day[j + 1] = day[j];
        amt[j + 1] = amt[j];
        j--;
      }
      day[j + 1] = d;
      amt[j + 1] = a;
    }
    return;
  }
  order.length = 0;
  for (let k = lo; k < hi; k++) order.push(k);
  order.sort((p, q) => day[p] - day[q]);
  const d = order.map((k) => day[k]);
  const a = order.map((k) => amt[k]);
  for (let k = lo; k < hi; k++) {
    day[k] = d[k - lo];
    amt[k] = a[k - lo];
  }
}

export interface CompressedRfData {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Row of the compressed data each input customer maps to. */
  rowOf: Uint32Array;
}

/**
 * Merge customers with identical (x, t_x, T) into one weighted row. The likelihood is a sum over
 * customers, so a weighted sum over distinct rows is the same number; with day-grained dates the
 * distinct rows are few (every x = 0 customer of one cohort day is one row).
 */
export function compress(data: RfData): CompressedRfData {
  const n = data.x.length;
  const w = data.weight;
  const rowOf = new Uint32Array(n);
  // Open-addressing hash table over the bit patterns of (x, T, t_x): a Map of Maps costs ~1 µs
  // per customer at a million customers; this is a few tens of ns.
  let size = 1024;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const weight = new Float64Array(n);
  const bits = new Float64Array(3);
  const words = new Uint32Array(bits.buffer);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const xi = data.x[i];
    const ti = data.T[i];
    const txi = data.tx[i];
    bits[0] = xi;
    bits[1] = ti;
    bits[2] = txi;
    let h = 0x811c9dc5;
    for (let k = 0; k < 6; k++) h = Math.imul(h ^ words[k], 0x01000193);
    h ^= h >>> 15;
    let slot = h & mask;
    let row = table[slot];
    while (row !== -1 && !(x[row] === xi && T[row] === ti && tx[row] === txi)) {
      slot = (slot + 1) & mask;
      row = table[slot];
    }
    if (row === -1) {
      row = rows++;
      table[slot] = row;
      x[row] = xi;
      tx[row] = txi;
      T[row] = ti;
    }
    weight[row] += w ? w[i] : 1;
    rowOf[i] = row;
  }
  return { x: x.slice(0, rows), tx: tx.slice(0, rows), T: T.slice(0, rows), weight: weight.slice(0, rows), rowOf };
}

/** Throws a ValidationError when the recency-frequency data cannot describe real customers. */
export function checkRfData(data: RfData, path = 'customers'): void {
  const issues: FieldIssue[] = [];
  const { x, tx, T, weight } = data;
  if (tx.length !== x.length || T.length !== x.length || (weight && weight.length !== x.length)) {
    throw new ValidationError('x, t_x, T (and weight) must have the same length', [{ path, message: 'column lengths differ' }]);
  }
  for (let i = 0; i < x.length && issues.length < 20; i++) {
    const xi = x[i];
    if (!(xi >= 0) || !Number.isInteger(xi)) issues.push({ path: `${path}/${i}/x`, message: `x must be a whole number >= 0, got ${xi}` });
    else if (!(T[i] >= 0) || !Number.isFinite(T[i])) issues.push({ path: `${path}/${i}/T`, message: `T must be finite and >= 0, got ${T[i]}` });
    else if (!(tx[i] >= 0 && tx[i] <= T[i])) issues.push({ path: `${path}/${i}/tx`, message: `t_x must lie in [0, T], got ${tx[i]} with T ${T[i]}` });
    else if (xi === 0 && tx[i] !== 0) issues.push({ path: `${path}/${i}/tx`, message: 't_x must be 0 when x is 0' });
    else if (weight && !(weight[i] >= 0 && Number.isFinite(weight[i]))) issues.push({ path: `${path}/${i}/weight`, message: `weight must be finite and >= 0, got ${weight[i]}` });
  }
  if (issues.length) throw new ValidationError('invalid recency-frequency data', issues);
}

/**
 * Concatenates summaries of disjoint sets of customers built with the same calibration end, holdout and period:
 * a customer's summary depends on their own purchases only, so a customer base can be summarised in chunks.
 */
export function mergeSummaries(parts: readonly CustomerSummary[]): CustomerSummary {
  if (!parts.length) throw new ValidationError('no summary to merge', [{ path: 'customers', message: 'no customer has a purchase' }]);
  const first = parts[0];
  for (const p of parts) {
    if (p.period !== first.period || p.calibrationEnd !== first.calibrationEnd || p.holdoutEnd !== first.holdoutEnd) {
      throw new ValidationError('summaries differ in period, calibration end or holdout', [{ path: 'summaries', message: 'build every part with the same options' }]);
    }
  }
  const f64 = (key: 'x' | 'tx' | 'T' | 'monetary' | 'totalValue' | 'holdoutX' | 'holdoutValue') => {
    const out = new Float64Array(parts.reduce((n, p) => n + p[key].length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p[key], at);
      at += p[key].length;
    }
    return out;
  };
  const i32 = (key: 'firstPurchaseDay' | 'recencyDays') => {
    const out = new Int32Array(parts.reduce((n, p) => n + p[key].length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p[key], at);
      at += p[key].length;
    }
    return out;
  };
  const holdoutByPeriod = new Float64Array(first.holdoutByPeriod.length);
  for (const p of parts) for (let k = 0; k < holdoutByPeriod.length; k++) holdoutByPeriod[k] += p.holdoutByPeriod[k];
  return {
    period: first.period,
    daysPerPeriod: first.daysPerPeriod,
    calibrationEnd: first.calibrationEnd,
    holdoutEnd: first.holdoutEnd,
    customerIds: parts.flatMap((p) => p.customerIds),
    firstPurchaseDay: i32('firstPurchaseDay'),
    recencyDays: i32('recencyDays'),
    x: f64('x'),
    tx: f64('tx'),
    T: f64('T'),
    monetary: f64('monetary'),
    totalValue: f64('totalValue'),
    holdoutX: f64('holdoutX'),
    holdoutValue: f64('holdoutValue'),
    holdoutLength: first.holdoutLength,
    holdoutByPeriod,
    warnings: parts.flatMap((p) => p.warnings),
  };
}
