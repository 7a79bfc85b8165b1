/**
 * The data-quality habits of division systems: each is a small pure function of a true value and a random
 * stream, so a record's quirks are listed in the answer key exactly as they were applied.
 */
import type { Random } from './random.js';
import type { Ymd } from './dates.js';
import type { Address, Phone } from './people.js';
import { NEIGHBOUR_KEYS, NICKNAMES } from './vocabulary.js';

export function nickname(rnd: Random, given: string): string | null {
  const options = NICKNAMES[given];
  return options ? rnd.pick(options) : null;
}

/** One keying slip: a neighbouring key, two letters swapped, a letter dropped or doubled. */
export function typo(rnd: Random, value: string): string {
  if (value.length < 3) return value;
  const i = rnd.int(1, value.length - 2);
  const ch = value[i];
  switch (rnd.int(0, 3)) {
    case 0: {
      const near = NEIGHBOUR_KEYS[ch.toLowerCase()];
      if (!near) return value.slice(0, i) + value.slice(i + 1);
      const sub = rnd.pick([...near]);
      return value.slice(0, i) + (ch === ch.toUpperCase() ? sub.toUpperCase() : sub) + value.slice(i + 1);
    }
    case 1:
      return value.slice(0, i) + value[i + 1] + ch + value.slice(i + 2);
    case 2:
      return value.slice(0, i) + value.slice(i + 1);
    default:
      return value.slice(0, i) + ch + value.slice(i);
  }
}

/** A date keyed wrongly: day and month swapped where that still makes a date, else one year digit off. */
export function mistypeDate(rnd: Random, dob: Ymd): Ymd {
  if (dob.d <= 12 && dob.d !== dob.m && rnd.chance(0.6)) return { y: dob.y, m: dob.d, d: dob.m };
  const y = dob.y + rnd.pick([-10, -1, 1, 10]);
  return { y, m: dob.m, d: dob.d };
}

/** Transposes two adjacent digits of an id, the commonest keying error on numbers. */
export function transposeDigits(rnd: Random, value: string): string {
  const digits = [...value].map((c, i) => (/\d/.test(c) ? i : -1)).filter((i) => i >= 0);
  for (let attempt = 0; attempt < 4; attempt++) {
    const k = rnd.int(0, digits.length - 2);
    const [a, b] = [digits[k], digits[k + 1]];
    if (value[a] !== value[b]) {
      const chars = [...value];
      [chars[a], chars[b]] = [chars[b], chars[a]];
      return chars.join('');
    }
  }
  return value;
}

export type PhoneStyle = 'dashed' | 'parens' | 'e164' | 'spaced' | 'digits' | 'dotted';

export function formatPhone(p: Phone, style: PhoneStyle): string {
  switch (style) {
    case 'dashed':
      return `${p.area}-${p.exchange}-${p.line}`;
    case 'parens':
      return `(${p.area}) ${p.exchange}-${p.line}`;
    case 'e164':
      return `+1${p.area}${p.exchange}${p.line}`;
    case 'spaced':
      return `+1 ${p.area} ${p.exchange} ${p.line}`;
    case 'dotted':
      return `${p.area}.${p.exchange}.${p.line}`;
    default:
      return `${p.area}${p.exchange}${p.line}`;
  }
}

/** "1418 Oak Lane" or "1418 OAK LN": systems differ in spelling street types and in case. */
export function streetLine(a: Address, opts: { abbreviate?: boolean; upper?: boolean; withNumber?: boolean } = {}): string {
  const type = opts.abbreviate ? a.type[1] : a.type[0];
  const line = `${opts.withNumber === false ? '' : `${a.number} `}${a.street} ${type}`;
  return opts.upper ? line.toUpperCase() : line;
}

export const upper = (s: string) => s.toUpperCase();
