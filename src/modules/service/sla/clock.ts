/**
 * Business-time arithmetic for service levels: "respond within 4 business hours" in the calendar of the
 * team that serves the customer (its time zone, working days and hours, public holidays), with the clock
 * stopped while the case waits on the customer.
 *
 * The calendar is compiled into a sorted table of working intervals in UTC with a running total of business
 * milliseconds before each one (a prefix sum). Elapsed business time between two instants is then the
 * difference of two binary searches, and adding business time is the inverse search, so the SLA check
 * over a million cases costs a few microseconds per case instead of a day-by-day walk. Wall-clock
 * boundaries are converted to instants once per day, through Intl, which knows every IANA zone's daylight
 * saving rules: a working day that contains a clock change simply has one hour more or less of UTC time
 * when its hours span the change (e.g. a 24-hour desk), and none otherwise.
 */
import { ValidationError, type FieldIssue } from '../../../core/errors.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock hours, "HH:MM" in 24-hour time; `end` may be "24:00" (midnight at the end of the day). */
export interface WorkingHours {
  start: string;
  end: string;
}

export interface BusinessCalendar {
  /** IANA time zone name, e.g. "Europe/London". */
  timeZone: string;
  /** Working hours per weekday; a missing or empty day is a day off. */
  week: Partial<Record<Weekday, WorkingHours[]>>;
  /** Local dates (YYYY-MM-DD) with no working hours. */
  holidays?: string[];
}

/** A stretch of time during which the clock does not run; `to` null = still stopped. */
export interface Pause {
  from: Date;
  to: Date | null;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far add() may search before it concludes the calendar can never reach the target. */
const MAX_YEARS_AHEAD = 30;

interface DayHours {
  /** [startMinute, endMinute) pairs of the local day, sorted and disjoint. */
  spans: [number, number][];
}

export class BusinessClock {
  private readonly week: DayHours[]; // index 0 = Monday
  private readonly holidays: Set<string>;
  private readonly zone: ZoneOffsets;
  private firstYear = 0;
  private lastYear = -1;
  private starts = new Float64Array(0);
  private ends = new Float64Array(0);
  /** Business milliseconds in the table before interval i (prefix sum). */
  private before = new Float64Array(0);

  constructor(readonly calendar: BusinessCalendar) {
    const issues = calendarIssues(calendar);
    if (issues.length) throw new ValidationError('the business calendar is not valid', issues);
    this.week = WEEKDAYS.map((d) => ({ spans: (calendar.week[d] ?? []).map((h) => [parseClock(h.start), parseClock(h.end)] as [number, number]).sort((a, b) => a[0] - b[0]) }));
    this.holidays = new Set(calendar.holidays ?? []);
    this.zone = zoneOffsets(calendar.timeZone);
  }

  /** Business minutes in [from, to), less the business time inside any pause; negative if `to` is before `from`. */
  elapsedMinutes(from: Date, to: Date, pauses: readonly Pause[] = []): number {
    return this.elapsedMs(from.getTime(), to.getTime(), pauses) / MINUTE;
  }

  /**
   * The instant at which `minutes` business minutes have run since `start`, with the clock stopped inside
   * the given pauses. An open pause (to = null) stops the clock indefinitely: the answer is then null.
   * Zero minutes returns `start` itself, even outside working hours.
   */
  addMinutes(start: Date, minutes: number, pauses: readonly Pause[] = []): Date | null {
    if (!(minutes >= 0) || !Number.isFinite(minutes)) throw new ValidationError('business minutes to add must be a finite number ≥ 0');
    const from = start.getTime();
    if (minutes === 0) return new Date(from);
    const merged = mergePauses(pauses, from);
    const base = this.cumulative(from);
    let extra = 0;
    // Each pass pushes the due instant past the business time paused before it; pauses are sorted, so this
    // settles after at most one pass per pause.
    for (;;) {
      const due = this.instantAt(base + minutes * MINUTE + extra);
      let paused = 0;
      for (const p of merged) {
        if (p.from >= due) break;
        if (p.to === null) return null;
        paused += Math.max(0, this.cumulative(Math.min(p.to, due)) - this.cumulative(Math.max(p.from, from)));
      }
      if (paused <= extra) return new Date(due);
      extra = paused;
    }
  }

  /** Whether the instant falls inside working hours. */
  isWorking(at: Date): boolean {
    const t = at.getTime();
    this.cover(t);
    const i = upperBound(this.starts, t) - 1;
    return i >= 0 && t < this.ends[i];
  }

  /** The first instant at or after `at` that lies inside working hours. */
  nextWorkingInstant(at: Date): Date {
    const t = at.getTime();
    if (this.isWorking(at)) return new Date(t);
    return new Date(this.starts[this.intervalReaching(this.cumulative(t) + 1)]);
  }

  /** Working intervals (UTC) of one local date, for display and tests. */
  workingIntervalsOn(localDate: string): { from: Date; to: Date }[] {
    const [y, m, d] = localDate.split('-').map(Number);
    return this.dayIntervals(Date.UTC(y, m - 1, d) / DAY).map(([a, b]) => ({ from: new Date(a), to: new Date(b) }));
  }

  private elapsedMs(from: number, to: number, pauses: readonly Pause[]): number {
    if (to < from) return -this.elapsedMs(to, from, pauses);
    let total = this.cumulative(to) - this.cumulative(from);
    for (const p of mergePauses(pauses, from)) {
      if (p.from >= to) break;
      const end = p.to === null ? to : Math.min(p.to, to);
      if (end > p.from) total -= this.cumulative(end) - this.cumulative(Math.max(p.from, from));
    }
    return total;
  }

  /** Business milliseconds from the start of the table to t. */
  private cumulative(t: number): number {
    this.cover(t);
    const i = upperBound(this.starts, t) - 1;
    if (i < 0) return 0;
    return this.before[i] + Math.min(t, this.ends[i]) - this.starts[i];
  }

  /** The earliest instant whose cumulative business time reaches c (c > 0). */
  private instantAt(c: number): number {
    const i = this.intervalReaching(c);
    return this.starts[i] + (c - this.before[i]);
  }

  private intervalReaching(c: number): number {
    for (let years = 0; ; years++) {
      const n = this.starts.length;
      if (n && this.before[n - 1] + (this.ends[n - 1] - this.starts[n - 1]) >= c) break;
      if (years > MAX_YEARS_AHEAD) throw new ValidationError(`the calendar has no working time within ${MAX_YEARS_AHEAD} years`);
      this.build(this.firstYear, this.lastYear + 1);
    }
    // first i with before[i] + len[i] >= c
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.before[mid] + (this.ends[mid] - this.starts[mid]) >= c) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Makes sure the table spans every local date that t could fall on (a zone is never a day off UTC). */
  private cover(t: number) {
    const lo = new Date(t - 2 * DAY).getUTCFullYear();
    const hi = new Date(t + 2 * DAY).getUTCFullYear();
    if (this.lastYear >= this.firstYear && lo >= this.firstYear && hi <= this.lastYear) return;
    const first = this.lastYear >= this.firstYear ? Math.min(this.firstYear, lo) : lo;
    const last = this.lastYear >= this.firstYear ? Math.max(this.lastYear, hi) : hi;
    this.build(first, last);
  }

  private build(firstYear: number, lastYear: number) {
    const starts: number[] = [];
    const ends: number[] = [];
    const firstDay = Date.UTC(firstYear, 0, 1) / DAY;
    const lastDay = Date.UTC(lastYear, 11, 31) / DAY;
    for (let day = firstDay; day <= lastDay; day++) {
      for (const [a, b] of this.dayIntervals(day)) {
        // Spans that touch across midnight (a 24-hour desk) join into one interval.
        if (ends.length && ends[ends.length - 1] === a) ends[ends.length - 1] = b;
        else {
          starts.push(a);
          ends.push(b);
        }
      }
    }
    this.starts = Float64Array.from(starts);
    this.ends = Float64Array.from(ends);
    this.before = new Float64Array(starts.length);
    let acc = 0;
    for (let i = 0; i < starts.length; i++) {
      this.before[i] = acc;
      acc += ends[i] - starts[i];
    }
    this.firstYear = firstYear;
    this.lastYear = lastYear;
  }

  /** The UTC intervals of working time on one local date (days since the epoch, counted as UTC dates). */
  private dayIntervals(day: number): [number, number][] {
    const date = new Date(day * DAY);
    const iso = date.toISOString().slice(0, 10);
    if (this.holidays.has(iso)) return [];
    const weekday = (date.getUTCDay() + 6) % 7;
    const out: [number, number][] = [];
    for (const [a, b] of this.week[weekday].spans) {
      const from = this.zone.toInstant(day * DAY + a * MINUTE);
      const to = this.zone.toInstant(day * DAY + b * MINUTE);
      // A span swallowed by a spring-forward gap (02:00–02:30 in New York) has no real time in it.
      if (to > from) out.push([from, to]);
    }
    return out;
  }
}

function upperBound(xs: Float64Array, t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergePauses(pauses: readonly Pause[], notBefore: number): { from: number; to: number | null }[] {
  const sorted = pauses
    .map((p) => ({ from: p.from.getTime(), to: p.to ? p.to.getTime() : null }))
    .filter((p) => p.to === null || (p.to > notBefore && p.to > p.from))
    .sort((a, b) => a.from - b.from);
  const out: { from: number; to: number | null }[] = [];
  for (const p of sorted) {
    const last = out.at(-1);
    if (last && (last.to === null || p.from <= last.to)) {
      last.to = last.to === null || p.to === null ? null : Math.max(last.to, p.to);
    } else out.push({ ...p });
  }
  return out;
}

export function parseClock(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return NaN;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return NaN;
  return h * 60 + min;
}

export function calendarIssues(cal: BusinessCalendar): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isTimeZone(cal.timeZone)) issues.push({ path: 'timeZone', message: `${cal.timeZone} is not an IANA time zone` });
  let working = false;
  for (const [day, hours] of Object.entries(cal.week ?? {})) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      issues.push({ path: `week/${day}`, message: `unknown weekday (use ${WEEKDAYS.join(', ')})` });
      continue;
    }
    const spans = (hours ?? []).map((h, i) => ({ i, a: parseClock(h.start), b: parseClock(h.end) })).sort((x, y) => x.a - y.a);
    let lastEnd = -1;
    for (const s of spans) {
      if (Number.isNaN(s.a) || Number.isNaN(s.b)) issues.push({ path: `week/${day}/${s.i}`, message: 'hours are HH:MM (00:00–24:00)' });
      else if (s.b <= s.a) issues.push({ path: `week/${day}/${s.i}`, message: 'end must be after start' });
      else if (s.a < lastEnd) issues.push({ path: `week/${day}/${s.i}`, message: 'overlaps another span of the same day' });
      else {
        lastEnd = s.b;
        working = true;
      }
    }
  }
  if (!working && !issues.length) issues.push({ path: 'week', message: 'the calendar has no working hours at all' });
  for (const [i, h] of (cal.holidays ?? []).entries()) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h) || Number.isNaN(Date.parse(`${h}T00:00:00Z`))) issues.push({ path: `holidays/${i}`, message: 'dates are YYYY-MM-DD' });
  }
  return issues;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

interface ZoneOffsets {
  /** UTC offset in ms at an instant. */
  offsetAt(t: number): number;
  /**
   * Local wall time (expressed as if it were UTC ms) to the first instant at which the clock on the wall
   * shows that time or later: a shift "09:00–17:00" runs from when the clock first reads 09:00 until it
   * first reads 17:00, through a repeated or a skipped hour alike.
   */
  toInstant(wall: number): number;
}

const zones = new Map<string, ZoneOffsets>();

function zoneOffsets(timeZone: string): ZoneOffsets {
  const cached = zones.get(timeZone);
  if (cached) return cached;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const offsetAt = (t: number) => {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const whole = t - (((t % 1000) + 1000) % 1000);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
  };
  const toInstant = (wall: number) => {
    // Offsets a day either side bracket any single transition near this wall time.
    const before = offsetAt(wall - DAY);
    const after = offsetAt(wall + DAY);
    const a = wall - before;
    const b = wall - after;
    const aValid = offsetAt(a) === before;
    const bValid = offsetAt(b) === after;
    if (aValid && bValid) return Math.min(a, b); // repeated hour (fall back): the first time the clock shows it
    if (aValid) return a;
    if (bValid) return b;
    // Skipped hour (spring forward): the clock never shows this time, and the first moment it shows a
    // later one is the transition itself, found by bisection between the two candidates.
    let lo = Math.min(a, b);
    let hi = Math.max(a, b);
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid) === after) hi = mid;
      else lo = mid;
    }
    return hi - (((hi % 1000) + 1000) % 1000);
  };
  const zone = { offsetAt, toInstant };
  zones.set(timeZone, zone);
  return zone;
}
