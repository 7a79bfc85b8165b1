/** Calendar arithmetic on whole UTC days: the generator never touches the local clock or time zone. */

const DAY_MS = 86_400_000;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

export const dayOf = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

export function ymdOf(day: number): Ymd {
  const dt = new Date(day * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

export const dayOfYmd = ({ y, m, d }: Ymd): number => Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);

const p2 = (n: number) => String(n).padStart(2, '0');
const p4 = (n: number) => String(n).padStart(4, '0');

export const isoDate = ({ y, m, d }: Ymd) => `${p4(y)}-${p2(m)}-${p2(d)}`;
export const isoOfDay = (day: number) => isoDate(ymdOf(day));
export const usDate = ({ y, m, d }: Ymd) => `${p2(m)}/${p2(d)}/${p4(y)}`;
export const compactDate = ({ y, m, d }: Ymd) => `${p4(y)}${p2(m)}${p2(d)}`;
export const oracleDate = ({ y, m, d }: Ymd) => `${p2(d)}-${MONTHS[m - 1] ?? '???'}-${p4(y)}`;

/** A timestamp on `day` at the given minute of the day, as ISO 8601 UTC. */
export const isoTimestamp = (day: number, minuteOfDay: number) => new Date(day * DAY_MS + minuteOfDay * 60_000).toISOString();

export function addYears(day: number, years: number): number {
  const { y, m, d } = ymdOf(day);
  // 29 February has no anniversary in most years.
  return dayOfYmd({ y: y + years, m, d: m === 2 && d === 29 ? 28 : d });
}
