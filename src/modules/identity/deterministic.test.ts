import { describe, expect, it } from 'vitest';
import { PersonTable, type ResolveRecord } from './comparisons.js';
import { defaultDeterministicRules, deterministicLinks } from './deterministic.js';
import type { NormalisedPerson } from './canonical.js';

const person = (p: Partial<NormalisedPerson>): NormalisedPerson => ({
  externalId: '', givenName: null, familyName: null, fullName: null, searchName: '', dateOfBirth: null, email: null, phone: null,
  streetNumber: null, addressLine1: null, addressLine2: null, locality: null, postcode: null, region: null, country: null, nationalId: null,
  ...p,
});
const rec = (id: string, p: Partial<NormalisedPerson>, source = 's'): ResolveRecord => ({ id, source, person: person(p) });

function links(records: ResolveRecord[], maxShared = 10, uniqueSources: string[] = []) {
  const t = PersonTable.from(records);
  const unique = new Uint8Array(t.sources.length + 1);
  for (const s of uniqueSources) unique[t.sourceCode(s)] = 1;
  const out = deterministicLinks(t, defaultDeterministicRules(), { maxShared, uniqueSource: unique });
  return { pairs: [...out.a].map((a, k) => `${t.ids[a]}-${t.ids[out.b[k]]}:${defaultDeterministicRules()[out.rule[k]].name}`), out };
}

describe('deterministic rules', () => {
  it('links on national id and on email', () => {
    const { pairs } = links([
      rec('a', { givenName: 'Bill', familyName: 'Jackson', nationalId: 'AB123456C' }),
      rec('b', { givenName: 'William', familyName: 'Jackson', nationalId: 'AB123456C', email: 'bill@jackson.net' }),
      rec('c', { givenName: 'Bill', familyName: 'Jackson', email: 'bill@jackson.net' }),
    ]);
    expect(pairs).toEqual(['a-b:same national id', 'b-c:same email']);
  });

  it('links a shared phone only when the names agree', () => {
    const { pairs } = links([
      rec('a', { givenName: 'Bill', familyName: 'Jackson', phone: '+442079460958' }),
      rec('b', { givenName: 'William', familyName: 'Jackson', phone: '+442079460958' }),
      rec('c', { givenName: 'Mary', familyName: 'Jackson', phone: '+442079460958' }),
      rec('d', { givenName: 'Bill', familyName: 'Smith', phone: '+442079460958' }),
    ]);
    expect(pairs).toEqual(['a-b:same phone and name']);
  });

  it('a father and son sharing name and home phone stay apart', () => {
    const { pairs } = links([
      rec('dad', { givenName: 'William', familyName: 'Jackson', dateOfBirth: '1961-04-12', phone: '+12175550100' }),
      rec('son', { givenName: 'William', familyName: 'Jackson', dateOfBirth: '1991-02-14', phone: '+12175550100' }),
    ]);
    expect(pairs).toEqual([]);
  });

  it('never links on placeholders, even if the normaliser let one through', () => {
    const { pairs } = links([
      rec('a', { nationalId: '000000000', email: 'test@example.com', phone: '+19999999999', givenName: 'A', familyName: 'B' }),
      rec('b', { nationalId: '000000000', email: 'test@example.com', phone: '+19999999999', givenName: 'A', familyName: 'B' }),
    ]);
    expect(pairs).toEqual([]);
  });

  it('never links on a value shared by too many records', () => {
    const many = Array.from({ length: 4 }, (_, k) => rec(String(k), { email: 'branch@bank.com', givenName: `P${k}`, familyName: 'X' }));
    const { pairs, out } = links(many, 3);
    expect(pairs).toEqual([]);
    expect(out.sharedValuesSkipped['same email']).toBe(1);
    expect(links(many.slice(0, 3), 3).pairs).toHaveLength(3);
  });

  it('leaves to the model a shared identifier whose holders clearly differ (spouses sharing an email)', () => {
    const { pairs } = links([
      rec('a', { givenName: 'Bill', familyName: 'Jackson', dateOfBirth: '1961-04-12', email: 'jacksons@home.net' }),
      rec('b', { givenName: 'Mary', familyName: 'Jackson', dateOfBirth: '1963-09-30', email: 'jacksons@home.net' }),
    ]);
    expect(pairs).toEqual([]);
  });

  it('never links two records of one unique-per-person source', () => {
    const { pairs } = links([rec('a', { nationalId: 'X1' }, 'crm'), rec('b', { nationalId: 'X1' }, 'crm')], 10, ['crm']);
    expect(pairs).toEqual([]);
  });
});
