import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateBank, type DemoHousehold, type DemoRecord } from './generator.js';
import { DIVISIONS, type DivisionCode } from './divisions.js';
import { NICKNAMES } from './vocabulary.js';
import { STORY } from './story.js';
import { STAFF } from './staff.js';
import { TOUCH_POINTS } from '../interactions/schema.js';

const AS_OF = '2025-06-30';
const collect = (customers: number, seed: number) => [...generateBank({ customers, seed, asOf: AS_OF })];
const digest = (households: DemoHousehold[]) => createHash('sha256').update(JSON.stringify(households)).digest('hex');

describe('generateBank', () => {
  const bank = collect(1_000, 7);
  const records = bank.flatMap((h) => h.records);
  const byDivision = (code: DivisionCode) => records.filter((r) => r.division === code);

  it('is deterministic: the same seed gives the same rows, another seed other rows', () => {
    expect(digest(collect(1_000, 7))).toBe(digest(bank));
    expect(digest(collect(1_000, 8))).not.toBe(digest(bank));
  });

  it('generates exactly the people asked for, spread over 2 to 3 source records each', () => {
    expect(bank.reduce((n, h) => n + h.people.length, 0)).toBe(1_000);
    expect(records.length / 1_000).toBeGreaterThan(2.1);
    expect(records.length / 1_000).toBeLessThan(2.9);
    for (const d of DIVISIONS) expect(byDivision(d.code).length, d.code).toBeGreaterThan(30);
  });

  it('gives the default 10,000 customers about 25,000 source records with accounts and three years of contact', () => {
    let people = 0;
    let recordCount = 0;
    let accounts = 0;
    let interactions = 0;
    let first = '9999';
    let last = '0000';
    for (const h of generateBank({ customers: 10_000, seed: 1, asOf: AS_OF })) {
      people += h.people.length;
      recordCount += h.records.length;
      accounts += h.accounts.length;
      interactions += h.interactions.length;
      for (const i of h.interactions) {
        if (i.occurredAt < first) first = i.occurredAt;
        if (i.occurredAt > last) last = i.occurredAt;
      }
    }
    expect(people).toBe(10_000);
    expect(recordCount).toBeGreaterThan(23_500);
    expect(recordCount).toBeLessThan(26_500);
    expect(accounts).toBeGreaterThan(recordCount);
    expect(interactions).toBeGreaterThan(3 * recordCount);
    expect(first >= '2022-06-30').toBe(true);
    expect(last < '2025-07-01').toBe(true);
  });

  it('lays every division out in its own columns and formats', () => {
    const keys = new Map(DIVISIONS.map((d) => [d.code, new Set(byDivision(d.code).flatMap((r) => Object.keys(r.raw)))]));
    for (const a of DIVISIONS) {
      for (const b of DIVISIONS) {
        if (a === b) continue;
        const shared = [...keys.get(a.code)!].filter((k) => keys.get(b.code)!.has(k));
        expect(shared, `${a.code} and ${b.code} share raw columns`).toEqual([]);
      }
    }
    const every = (code: DivisionCode, field: string, pattern: RegExp) => {
      const values = byDivision(code).map((r) => r.raw[field]).filter((v) => v !== null);
      expect(values.length, `${code}.${field}`).toBeGreaterThan(10);
      for (const v of values) expect(String(v), `${code}.${field}`).toMatch(pattern);
    };
    every('MORTGAGES', 'date_of_birth', /^\d{4}-\d{2}-\d{2}$/);
    every('CARDS', 'BIRTH_DT', /^\d{2}\/\d{2}\/\d{4}$/);
    every('EVERYDAY', 'dob', /^\d{8}$/);
    every('INSURANCE', 'DOB', /^\d{2}-[A-Z]{3}-\d{4}$/);
    every('CARDS', 'CARDHOLDER_NAME', /^[^a-z]+, [^a-z]+$/);
    every('CARDS', 'PHONE', /^\(\d{3}\) \d{3}-\d{4}$/);
    every('MORTGAGES', 'home_phone', /^\d{3}-\d{3}-\d{4}$/);
    every('WEALTH', 'MobilePhone', /^\+1\d{10}$/);
    every('INSURANCE', 'SSN', /^9\d{2}-\d{2}-\d{4}$/);
    every('WEALTH', 'Email', /^[^@\s]+@[a-z]+\.example$/);
  });

  it('writes people down with the habits of real systems', () => {
    const quirks = new Map<string, number>();
    for (const r of records) for (const q of r.quirks) quirks.set(q, (quirks.get(q) ?? 0) + 1);
    for (const q of ['nickname', 'typo_given', 'typo_family', 'swapped_names', 'missing_dob', 'mistyped_dob', 'old_address', 'duplicate', 'household_phone', 'mistyped_national_id']) {
      expect(quirks.get(q) ?? 0, q).toBeGreaterThan(0);
    }
    const nicknames = new Set(Object.values(NICKNAMES).flat().map((n) => n.toUpperCase()));
    const nicknamed = byDivision('CARDS').filter((r) => r.quirks.includes('nickname') && !r.quirks.some((q) => q.startsWith('typo')));
    expect(nicknamed.length).toBeGreaterThan(20);
    for (const r of nicknamed) expect(nicknames).toContain(String(r.raw.CARDHOLDER_NAME).split(', ')[1]);
    expect(byDivision('CARDS').filter((r) => r.raw.BIRTH_DT === null).length).toBeGreaterThan(10);
  });

  it('keeps a consistent answer key: one household per person, at most one record per person in a one-per-person system', () => {
    const householdOf = new Map<string, string>();
    for (const r of records) {
      const known = householdOf.get(r.personKey);
      if (known) expect(r.householdKey).toBe(known);
      householdOf.set(r.personKey, r.householdKey);
    }
    expect(householdOf.size).toBeLessThanOrEqual(1_000);
    expect(householdOf.size).toBeGreaterThan(950);
    for (const d of DIVISIONS.filter((x) => x.source.uniquePerPerson)) {
      const keys = byDivision(d.code).map((r) => r.personKey);
      expect(new Set(keys).size, d.code).toBe(keys.length);
    }
    const duplicates = records.filter((r) => r.quirks.includes('duplicate'));
    for (const dup of duplicates) {
      expect(records.filter((r) => r.division === dup.division && r.personKey === dup.personKey).length).toBe(2);
    }
  });

  it('puts household members at one address under different person keys', () => {
    const address = (r: DemoRecord) => `${r.canonical.address_line1}|${r.canonical.postcode}`.toLowerCase();
    let sharedAddressPairs = 0;
    for (const h of bank.filter((x) => x.people.length > 1)) {
      const keys = h.people.map((p) => p.key);
      expect(new Set(keys).size).toBe(keys.length);
      const everyday = h.records.filter((r) => r.division === 'EVERYDAY');
      for (const a of everyday) for (const b of everyday) if (a.personKey < b.personKey && address(a) === address(b)) sharedAddressPairs++;
    }
    expect(sharedAddressPairs).toBeGreaterThan(50);
  });

  it("tells Bill Jackson's story on every seed", () => {
    for (const seed of [1, 7, 123456]) {
      const [story] = generateBank({ customers: 10, seed, asOf: AS_OF });
      const bill = story.records.filter((r) => r.personKey === STORY.bill);
      const mortgage = bill.find((r) => r.division === 'MORTGAGES')!;
      const card = bill.find((r) => r.division === 'CARDS')!;
      expect(mortgage.canonical.full_name).toBe(STORY.mortgageName);
      expect(card.raw.CARDHOLDER_NAME).toBe(STORY.cardName);
      const accountsOf = (r: DemoRecord) => story.accounts.filter((a) => a.sourceRecordId === r.id);
      const [loan] = accountsOf(mortgage);
      expect(loan.productCode).toBe('MTG_FIXED30');
      expect(loan.balance).toBeGreaterThan(1_000_000);
      expect(loan.openedOn).toBe('2010-06-30');
      const cards = accountsOf(card);
      expect(cards.map((a) => `${a.productCode}:${a.status}`).sort()).toEqual([`${STORY.cardProduct}:offered`, `${STORY.cardProduct}:open`]);
      const call = story.interactions.find((i) => i.sourceRecordId === mortgage.id && i.subject === 'Home-equity loan enquiry')!;
      expect(call.occurredAt.slice(0, 10)).toBe('2025-06-28');
      expect(STAFF.find((s) => s.email === call.staffEmail)!.seniority).toBeLessThan(3);
      const son = story.records.find((r) => r.personKey === STORY.son)!;
      expect(son.canonical.full_name).toBe('William Jackson');
      expect(son.canonical.address_line1).toBe(mortgage.canonical.address_line1);
    }
  });

  it('spreads contact over every touch point and concentrates value in a few customers', () => {
    const interactions = bank.flatMap((h) => h.interactions);
    expect(new Set(interactions.map((i) => i.touchPoint))).toEqual(new Set(TOUCH_POINTS));
    expect(new Set(interactions.map((i) => i.direction))).toEqual(new Set(['inbound', 'outbound']));
    expect(interactions.every((i) => i.cost > 0 && i.subject && i.outcome)).toBe(true);
    expect(interactions.filter((i) => i.sentiment !== null).every((i) => i.sentiment! >= -1 && i.sentiment! <= 1)).toBe(true);
    const personOf = new Map(records.map((r) => [r.id, r.personKey]));
    const value = new Map<string, number>();
    for (const a of bank.flatMap((h) => h.accounts)) {
      if (a.status === 'open') value.set(personOf.get(a.sourceRecordId)!, (value.get(personOf.get(a.sourceRecordId)!) ?? 0) + (a.balance ?? 0));
    }
    const sorted = [...value.values()].sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    const top = sorted.slice(0, Math.ceil(sorted.length / 20)).reduce((a, b) => a + b, 0);
    // The top 5 % of customers hold well over 5 % of the balances (a flat bank would give 5 %).
    expect(top / total).toBeGreaterThan(0.25);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(total / sorted.length);
  });

  it('refuses fewer customers than the story needs', () => {
    expect(() => collect(2, 1)).toThrow(RangeError);
  });
});
