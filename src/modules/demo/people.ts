import type { Random } from './random.js';
import { dayOfYmd, type Ymd, ymdOf } from './dates.js';
import {
  EMAIL_DOMAINS, FAMILY_NAMES, GIVEN_FEMALE, GIVEN_MALE, NICKNAMES, STREET_NAMES, STREET_TYPES, TOWNS, type Town,
} from './vocabulary.js';

/** The truth about one person, before any division writes it down. */
export interface Person {
  key: string;
  householdKey: string;
  sex: 'm' | 'f';
  given: string;
  middle: string | null;
  family: string;
  dob: Ymd;
  address: Address;
  /** Where the household lived before it moved; divisions that were never told still have it. */
  previousAddress: Address | null;
  mobile: Phone;
  /** A household landline: shared by everyone at the address, so it is evidence of a household, not of a person. */
  landline: Phone | null;
  email: string;
  /** A second address some divisions were given (work, an old provider). */
  altEmail: string | null;
  /** Fictional SSN (area 9xx is never issued as an SSN). */
  ssn: string;
  /** Relative wealth, median 1, heavy right tail: drives balances, products and how often the bank hears from them. */
  wealth: number;
  /** How often they contact the bank, median 1. */
  engagement: number;
  /** Head, partner or child within the household. */
  role: 'head' | 'partner' | 'child';
}

export interface Address {
  number: number;
  street: string;
  /** [full, abbreviated], e.g. ['Lane', 'Ln'] */
  type: readonly [string, string];
  unit: string | null;
  town: Town;
  zip: string;
  zip4: string;
}

export interface Phone {
  area: string;
  exchange: string;
  line: string;
}

export interface Household {
  key: string;
  members: Person[];
}

export const personKey = (n: number) => `P${String(n).padStart(7, '0')}`;
export const householdKey = (n: number) => `H${String(n).padStart(7, '0')}`;

export function randomAddress(rnd: Random, town = rnd.pick(TOWNS)): Address {
  return {
    number: rnd.weighted([[rnd.int(1, 99), 2], [rnd.int(100, 999), 5], [rnd.int(1000, 9999), 3]] as const),
    street: rnd.pick(STREET_NAMES),
    type: rnd.pick(STREET_TYPES),
    unit: rnd.chance(0.18) ? `Apt ${rnd.int(1, 40)}${rnd.chance(0.3) ? rnd.pick(['A', 'B', 'C']) : ''}` : null,
    town,
    zip: `${town.zip3}${String(rnd.int(1, 99)).padStart(2, '0')}`,
    zip4: String(rnd.int(1, 9999)).padStart(4, '0'),
  };
}

export function randomPhone(rnd: Random, area: string): Phone {
  // Exchanges start 2-9 and avoid N11 service codes, so libphonenumber accepts them as valid US numbers.
  let exchange = String(rnd.int(200, 999));
  if (exchange.endsWith('11')) exchange = `${exchange.slice(0, 2)}2`;
  return { area, exchange, line: String(rnd.int(0, 9999)).padStart(4, '0') };
}

export const randomSsn = (rnd: Random) =>
  `9${String(rnd.int(0, 99)).padStart(2, '0')}-${String(rnd.int(1, 99)).padStart(2, '0')}-${String(rnd.int(1, 9999)).padStart(4, '0')}`;

function emailFor(rnd: Random, given: string, family: string, dob: Ymd): string {
  const g = asciiLower(given);
  const f = asciiLower(family);
  const local = rnd.weighted([
    [`${g}.${f}`, 4],
    [`${g[0]}${f}`, 3],
    [`${g}${f}${String(dob.y).slice(2)}`, 2],
    [`${f}.${g}`, 1],
    [`${g}_${f}${rnd.int(1, 99)}`, 1],
  ] as const);
  return `${local}@${rnd.pick(EMAIL_DOMAINS)}`;
}

export const asciiLower = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase();

function randomDob(rnd: Random, asOfDay: number, minAge: number, maxAge: number): Ymd {
  const { y } = ymdOf(asOfDay);
  const year = y - rnd.int(minAge, maxAge);
  return ymdOf(dayOfYmd({ y: year, m: 1, d: 1 }) + rnd.int(0, 364));
}

interface PersonSeed {
  sex: 'm' | 'f';
  family: string;
  dob: Ymd;
  role: Person['role'];
}

type Home = Pick<Person, 'address' | 'previousAddress' | 'landline'>;

const NICKNAMED_MALE = GIVEN_MALE.filter((g) => g in NICKNAMES);
const NICKNAMED_FEMALE = GIVEN_FEMALE.filter((g) => g in NICKNAMES);

function makePerson(rnd: Random, n: number, hh: string, seed: PersonSeed, home: Home, wealth: number): Person {
  const pool = seed.sex === 'm' ? GIVEN_MALE : GIVEN_FEMALE;
  // Names that have nicknames are over-represented so the nickname habit has something to bite on.
  const given = rnd.chance(0.5) ? rnd.pick(seed.sex === 'm' ? NICKNAMED_MALE : NICKNAMED_FEMALE) : rnd.pick(pool);
  const middle = rnd.chance(0.7) ? rnd.pick(pool) : null;
  return {
    key: personKey(n),
    householdKey: hh,
    sex: seed.sex,
    given,
    middle: middle === given ? null : middle,
    family: seed.family,
    dob: seed.dob,
    ...home,
    mobile: randomPhone(rnd, home.address.town.areaCode),
    email: emailFor(rnd, given, seed.family, seed.dob),
    altEmail: rnd.chance(0.25) ? emailFor(rnd, given, seed.family, seed.dob) : null,
    ssn: randomSsn(rnd),
    wealth,
    engagement: rnd.logNormal(1, 0.6),
    role: seed.role,
  };
}

/**
 * One household: a head, often a partner (usually sharing the family name), sometimes adult children still at
 * home. Everyone shares the address and any landline, which is exactly what makes households a matching trap.
 */
export function generateHousehold(rnd: Random, hhNumber: number, firstPersonNumber: number, maxMembers: number, asOfDay: number): Household {
  const key = householdKey(hhNumber);
  const size = Math.min(maxMembers, rnd.weighted([[1, 40], [2, 35], [3, 15], [4, 8], [5, 2]] as const));
  const town = rnd.pick(TOWNS);
  const address = randomAddress(rnd, town);
  const moved = rnd.chance(0.25);
  const home: Home = {
    address,
    previousAddress: moved ? randomAddress(rnd, rnd.chance(0.6) ? town : rnd.pick(TOWNS)) : null,
    landline: rnd.chance(0.45) ? randomPhone(rnd, town.areaCode) : null,
  };
  // Household wealth is shared and heavy-tailed (sigma 1.3: the top 1 % hold ~20x the median).
  const wealth = rnd.logNormal(1, 1.3);
  const family = rnd.pick(FAMILY_NAMES);
  const headSex = rnd.chance(0.5) ? 'm' : 'f';
  const head = makePerson(rnd, firstPersonNumber, key, { sex: headSex, family, dob: randomDob(rnd, asOfDay, 24, 85), role: 'head' }, home, wealth);
  const members = [head];
  if (size >= 2) {
    const partnerFamily = rnd.chance(0.8) ? family : rnd.pick(FAMILY_NAMES);
    const partnerDob = ymdOf(dayOfYmd({ y: head.dob.y + rnd.int(-6, 6), m: 1, d: 1 }) + rnd.int(0, 364));
    const partnerSex = rnd.chance(0.9) ? (headSex === 'm' ? 'f' : 'm') : headSex;
    members.push(makePerson(rnd, firstPersonNumber + 1, key, { sex: partnerSex, family: partnerFamily, dob: clampAdult(partnerDob, asOfDay), role: 'partner' }, home, wealth * rnd.logNormal(0.8, 0.3)));
  }
  for (let i = members.length; i < size; i++) {
    // Children old enough to bank in their own name: 16 and up, born 20 to 40 years after the head.
    const { y: nowY } = ymdOf(asOfDay);
    const year = Math.min(nowY - 16, head.dob.y + rnd.int(20, 40));
    const dob = ymdOf(dayOfYmd({ y: year, m: 1, d: 1 }) + rnd.int(0, 364));
    const child = makePerson(rnd, firstPersonNumber + i, key, { sex: rnd.chance(0.5) ? 'm' : 'f', family, dob, role: 'child' }, home, wealth * rnd.logNormal(0.15, 0.8));
    // A junior often carries the parent's given name: same name, same address, different person.
    if (rnd.chance(0.12) && child.sex === head.sex) child.given = head.given;
    members.push(child);
  }
  if (rnd.chance(0.05)) {
    // A shared family inbox: the same email on different people.
    const shared = `the${asciiLower(family)}s@${rnd.pick(EMAIL_DOMAINS)}`;
    for (const m of members) if (m.role !== 'child') m.email = shared;
  }
  return { key, members };
}

function clampAdult(dob: Ymd, asOfDay: number): Ymd {
  const { y } = ymdOf(asOfDay);
  return { y: Math.min(dob.y, y - 20), m: dob.m, d: Math.min(dob.d, 28) };
}

export const ageOn = (p: Person, asOfDay: number) => ymdOf(asOfDay).y - p.dob.y;
