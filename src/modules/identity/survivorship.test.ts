import { describe, expect, it } from 'vitest';
import type { ResolveRecord } from './comparisons.js';
import { normalisePerson } from './normalise.js';
import { defaultSurvivorship, survive } from './survivorship.js';
import type { CanonicalInput } from './canonical.js';

const rec = (id: string, source: string, updatedAt: string | null, input: CanonicalInput, division = `${source}-division`): ResolveRecord => ({
  id, source, division, updatedAt, person: normalisePerson(input, { defaultCountry: 'GB' }).person,
});

// Bill Jackson as three divisions hold him.
const mortgage = rec('m1', 'mortgages', '2009-03-01T00:00:00Z', {
  given_name: 'William', family_name: 'Jackson', date_of_birth: '1961-04-12', national_id: 'AB123456C',
  address_line1: '4 Elm Rd', locality: 'Leeds', postcode: 'LS1 4AB', phone: '0113 496 0000',
});
const cards = rec('c7', 'cards', '2023-06-10T00:00:00Z', {
  given_name: 'Bill', family_name: 'Jackson', date_of_birth: '1961-04-12', email: 'bill@jackson.net',
  address_line1: '17 Harbour View', address_line2: 'Flat 2', locality: 'York', postcode: 'YO1 7HH', phone: '07911 123456',
});
const insurance = rec('i3', 'insurance', '2021-01-05T00:00:00Z', {
  given_name: 'William', family_name: 'Jackson', date_of_birth: '1961-12-04', email: 'w.jackson@work.example.org', national_id: 'AB123456D',
});

describe('survivorship', () => {
  it('chooses each field by its rules and records where it came from', () => {
    const golden = survive([mortgage, cards, insurance]);
    // name: most frequent (William twice)
    expect(golden.values.givenName).toBe('William');
    expect(golden.provenance.givenName?.rule).toBe('mostFrequent');
    // address: the most recent record's, taken whole (never stitched)
    expect(golden.values).toMatchObject({ addressLine1: '17 Harbour View', addressLine2: 'Flat 2', locality: 'York', postcode: 'YO1 7HH' });
    expect(golden.provenance.postcode).toEqual({ sourceRecordId: 'c7', source: 'cards', division: 'cards-division', updatedAt: '2023-06-10T00:00:00Z', rule: 'mostRecent' });
    // date of birth: most frequent beats the more recent insurance typo
    expect(golden.values.dateOfBirth).toBe('1961-04-12');
    // email and phone: most recent
    expect(golden.values.email).toBe('bill@jackson.net');
    expect(golden.values.phone).toBe('+447911123456');
  });

  it('source priority decides when configured', () => {
    const settings = defaultSurvivorship();
    settings.sourcePriority = ['insurance', 'mortgages'];
    const golden = survive([mortgage, cards, insurance], settings);
    expect(golden.values.nationalId).toBe('AB123456D');
    expect(golden.provenance.nationalId).toMatchObject({ sourceRecordId: 'i3', rule: 'sourcePriority' });
    settings.sourcePriority = ['mortgages'];
    expect(survive([mortgage, cards, insurance], settings).values.nationalId).toBe('AB123456C');
  });

  it('most complete prefers the fuller value', () => {
    const settings = defaultSurvivorship();
    settings.groups.name = ['mostComplete'];
    const short = rec('x', 's', null, { given_name: 'Ann', family_name: 'Lee' });
    const full = rec('y', 's', null, { given_name: 'Annabel', family_name: 'Lee' });
    expect(survive([short, full], settings).values.givenName).toBe('Annabel');
  });

  it('does not depend on input order', () => {
    const a = survive([mortgage, cards, insurance]);
    const b = survive([insurance, cards, mortgage]);
    expect(b).toEqual(a);
  });

  it('a field nobody holds stays absent; a single holder wins outright', () => {
    const golden = survive([mortgage]);
    expect(golden.values.email).toBeUndefined();
    expect(golden.provenance.phone?.rule).toBe('only value');
  });
});
