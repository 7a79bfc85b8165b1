/**
 * Business-day arithmetic on ISO dates (YYYY-MM-DD, read as UTC calendar days). Each fulfiller works to its
 * own calendar: weekends plus its holidays. Lead times are counted in business days because that is how
 * plants and subcontractors quote them.
 */

export type IsoDate = string;

const DAY_MS = 86_400_000;
const NO_HOLIDAYS: ReadonlySet<string> = new Set();

export const toIsoDate = (d: Date): IsoDate => d.toISOString().slice(0, 10);
const parse = (d: IsoDate) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
const fromMs = (ms: number): IsoDate => new Date(ms).toISOString().slice(0, 10);

export function isBusinessDay(d: IsoDate, holidays: ReadonlySet<string> = NO_HOLIDAYS): boolean {
  const wd = new Date(parse(d)).getUTCDay();
  return wd !== 0 && wd !== 6 && !holidays.has(d);
}

/**
 * The `days`-th business day after `start` (negative: before it). With 0, `start` itself when it is a
 * business day, else the next one: work that needs no time still happens on a working day.
 */
export function addBusinessDays(start: IsoDate, days: number, holidays: ReadonlySet<string> = NO_HOLIDAYS): IsoDate {
  let ms = parse(start);
  const step = days < 0 ? -DAY_MS : DAY_MS;
  let left = Math.abs(Math.ceil(days));
  if (left === 0) {
    while (!isBusinessDay(fromMs(ms), holidays)) ms += DAY_MS;
    return fromMs(ms);
  }
  while (left > 0) {
    ms += step;
    if (isBusinessDay(fromMs(ms), holidays)) left--;
  }
  return fromMs(ms);
}

/** Business days in (from, to]; negative when `to` is before `from`. Zero for the same day. */
export function businessDaysBetween(from: IsoDate, to: IsoDate, holidays: ReadonlySet<string> = NO_HOLIDAYS): number {
  if (from === to) return 0;
  const sign = to > from ? 1 : -1;
  const [a, b] = sign > 0 ? [parse(from), parse(to)] : [parse(to), parse(from)];
  let n = 0;
  for (let ms = a + DAY_MS; ms <= b; ms += DAY_MS) if (isBusinessDay(fromMs(ms), holidays)) n++;
  return sign * n;
}

export const laterOf = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);
