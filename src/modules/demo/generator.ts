/**
 * The demo bank, generated one household at a time: pure and deterministic for (seed, customers, asOf), and
 * streaming, so a million customers never sit in memory at once.
 */
import type { CanonicalInput } from '../identity/canonical.js';
import type { TouchPoint } from '../interactions/schema.js';
import { contactsFor, holdingsFor, offersFor, type AccountStatus, type Contact, type Holding } from './activity.js';
import { dayOf, isoOfDay, isoTimestamp } from './dates.js';
import { DIVISIONS, type DivisionCode, type DivisionSpec, type Observation } from './divisions.js';
import { generateHousehold, type Person } from './people.js';
import { demoUuid, Random } from './random.js';
import { storyHousehold } from './story.js';

export interface DemoOptions {
  /** People (not records): each becomes one to several source records. */
  customers: number;
  seed: number;
  /** The demo's "today" (YYYY-MM-DD): three years of history end here. */
  asOf: string;
}

export interface DemoRecord {
  id: string;
  division: DivisionCode;
  externalId: string;
  raw: Record<string, unknown>;
  canonical: CanonicalInput;
  sourceUpdatedAt: string;
  personKey: string;
  householdKey: string;
  quirks: string[];
}

export interface DemoAccount {
  id: string;
  sourceRecordId: string;
  division: DivisionCode;
  productCode: string;
  accountNumber: string;
  status: AccountStatus;
  openedOn: string | null;
  closedOn: string | null;
  balance: number | null;
}

export interface DemoInteraction {
  id: string;
  sourceRecordId: string;
  division: DivisionCode;
  touchPoint: TouchPoint;
  direction: 'inbound' | 'outbound';
  occurredAt: string;
  subject: string;
  outcome: string | null;
  sentiment: number | null;
  cost: number;
  staffEmail: string | null;
}

export interface DemoHousehold {
  key: string;
  people: Person[];
  records: DemoRecord[];
  accounts: DemoAccount[];
  interactions: DemoInteraction[];
}

const enum Table {
  SourceRecord = 1,
  Account = 2,
  Interaction = 3,
}

const ACCOUNT_FORMAT: Record<DivisionCode, (n: number) => string> = {
  MORTGAGES: (n) => `ML${String(n).padStart(9, '0')}`,
  CARDS: (n) => `4000${String(n).padStart(12, '0')}`,
  EVERYDAY: (n) => `0${String(n).padStart(9, '0')}`,
  WEALTH: (n) => `WM-${String(n).padStart(7, '0')}`,
  INSURANCE: (n) => `POL-${String(n).padStart(8, '0')}`,
};

/** Hands out ids and per-division numbers in generation order, which is what makes them reproducible. */
export class Allocator {
  private readonly counters = new Map<string, number>();

  constructor(private readonly seed: number, readonly asOfDay: number) {}

  private next(key: string): number {
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return n;
  }

  recordId = () => demoUuid(this.seed, Table.SourceRecord, this.next('id:record'));
  recordNumber = (division: DivisionCode) => this.next(`record:${division}`);

  record(division: DivisionSpec, person: Person, obs: Observation, updatedDay: number): DemoRecord {
    const written = division.write(obs.fields);
    return {
      id: this.recordId(),
      division: division.code,
      externalId: written.externalId,
      raw: written.raw,
      canonical: written.canonical,
      sourceUpdatedAt: isoTimestamp(updatedDay, 9 * 60),
      personKey: person.key,
      householdKey: person.householdKey,
      quirks: obs.quirks,
    };
  }

  account(record: DemoRecord, h: Holding): DemoAccount {
    const n = this.next(`account:${record.division}`);
    return {
      id: demoUuid(this.seed, Table.Account, this.next('id:account')),
      sourceRecordId: record.id,
      division: record.division,
      productCode: h.productCode,
      accountNumber: h.status === 'offered' ? `OFFER-${String(n).padStart(8, '0')}` : ACCOUNT_FORMAT[record.division](n),
      status: h.status,
      openedOn: h.openedDay === null ? null : isoOfDay(h.openedDay),
      closedOn: h.closedDay === null ? null : isoOfDay(h.closedDay),
      balance: h.balance,
    };
  }

  interaction(record: DemoRecord, c: Contact): DemoInteraction {
    return {
      id: demoUuid(this.seed, Table.Interaction, this.next('id:interaction')),
      sourceRecordId: record.id,
      division: record.division,
      touchPoint: c.touchPoint,
      direction: c.direction,
      occurredAt: isoTimestamp(c.day, c.minute),
      subject: c.subject,
      outcome: c.outcome,
      sentiment: c.sentiment,
      cost: c.cost,
      staffEmail: c.staffEmail,
    };
  }
}

export const MIN_CUSTOMERS = 3;

export function* generateBank(opts: DemoOptions): Generator<DemoHousehold> {
  if (!Number.isInteger(opts.customers) || opts.customers < MIN_CUSTOMERS) throw new RangeError(`customers must be an integer of at least ${MIN_CUSTOMERS}`);
  const asOfDay = dayOf(opts.asOf);
  if (!Number.isFinite(asOfDay)) throw new RangeError(`asOf must be a date (YYYY-MM-DD), got ${opts.asOf}`);
  const alloc = new Allocator(opts.seed, asOfDay);
  const story = storyHousehold(alloc);
  yield story;
  const rnd = new Random(opts.seed);
  let people = story.people.length;
  let households = 1;
  while (people < opts.customers) {
    households++;
    const household = generateHousehold(rnd, households, people + 1, opts.customers - people, asOfDay);
    people += household.members.length;
    const out: DemoHousehold = { key: household.key, people: household.members, records: [], accounts: [], interactions: [] };
    for (const person of household.members) recordsOf(person, rnd, alloc, out);
    yield out;
  }
}

function recordsOf(person: Person, rnd: Random, alloc: Allocator, out: DemoHousehold) {
  const { asOfDay } = alloc;
  let count = 0;
  for (const division of DIVISIONS) {
    const n = division.recordsFor(person, rnd, asOfDay);
    for (let k = 0; k < n; k++) count += addRecord(division, person, k > 0, rnd, alloc, out);
  }
  // Everyone the bank knows is known somewhere: at least a checking account.
  if (!count) addRecord(DIVISIONS.find((d) => d.code === 'EVERYDAY')!, person, false, rnd, alloc, out);
}

function addRecord(division: DivisionSpec, person: Person, duplicate: boolean, rnd: Random, alloc: Allocator, out: DemoHousehold): number {
  const { asOfDay } = alloc;
  const obs = division.observe(person, rnd, alloc.recordNumber(division.code), duplicate);
  const updatedDay = obs.stale ? asOfDay - rnd.int(400, 3000) : asOfDay - rnd.int(1, 700);
  const record = alloc.record(division, person, obs, updatedDay);
  out.records.push(record);
  const holdings = holdingsFor(division.code, person, obs.stale, rnd, asOfDay);
  let firstDay = asOfDay;
  for (const h of holdings) {
    out.accounts.push(alloc.account(record, h));
    if (h.openedDay !== null && h.openedDay < firstDay) firstDay = h.openedDay;
  }
  for (const h of offersFor(division.code, rnd)) out.accounts.push(alloc.account(record, h));
  for (const c of contactsFor(division.code, person, obs.stale, firstDay, rnd, asOfDay)) out.interactions.push(alloc.interaction(record, c));
  return 1;
}
