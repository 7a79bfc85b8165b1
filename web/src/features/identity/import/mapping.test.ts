import { describe, expect, it } from 'vitest';
import { buildMapping, foldHeader, mappingProblems, suggestField, suggestMapping } from './mapping';

describe('suggestField', () => {
  it.each([
    ['given_name', 'given_name'],
    ['First Name', 'given_name'],
    ['firstName', 'given_name'],
    ['FORENAME', 'given_name'],
    ['surname', 'family_name'],
    ['Last-Name', 'family_name'],
    ['DOB', 'date_of_birth'],
    ['Date of Birth', 'date_of_birth'],
    ['e-mail', 'email'],
    ['Mobile', 'phone'],
    ['tel', 'phone'],
    ['Postcode', 'postcode'],
    ['ZIP', 'postcode'],
    ['cust_no', 'external_id'],
    ['CUSTOMER_ID', 'external_id'],
    ['customer_email', 'email'],
    ['addr_1', 'address_line1'],
    ['town', 'locality'],
    ['SSN', 'national_id'],
  ])('%s -> %s', (header, field) => {
    expect(suggestField(header)).toBe(field);
  });

  it('leaves headers it does not know unmapped', () => {
    expect(suggestField('home_branch')).toBeNull();
    expect(suggestField('segment')).toBeNull();
  });

  it('folds camel case, accents and punctuation', () => {
    expect(foldHeader('dateOfBirth')).toBe('date_of_birth');
    expect(foldHeader(' Prénom ')).toBe('prenom');
    expect(foldHeader('E-Mail Address')).toBe('e_mail_address');
  });
});

describe('suggestMapping', () => {
  it('gives a field to the first column that suggests it, never to two', () => {
    const m = suggestMapping(['cust_no', 'first_name', 'fname', 'surname', 'home_branch']);
    expect(m).toEqual({ cust_no: 'external_id', first_name: 'given_name', fname: null, surname: 'family_name', home_branch: null });
  });
});

describe('mappingProblems and buildMapping', () => {
  const base = { columns: { cust_no: 'external_id', first: 'given_name', last: 'family_name', note: null } as const, generateIds: false, dateOrder: 'auto' as const };

  it('accepts a mapping with an id and a name, and writes only mapped columns', () => {
    expect(mappingProblems(base)).toEqual([]);
    expect(buildMapping({ ...base, format: 'csv' })).toEqual({ columns: { cust_no: 'external_id', first: 'given_name', last: 'family_name' }, format: 'csv' });
  });

  it('asks for an id column unless ids are derived from the row', () => {
    const noId = { ...base, columns: { first: 'given_name' as const } };
    expect(mappingProblems(noId).map((p) => p.field)).toEqual(['external_id']);
    expect(mappingProblems({ ...noId, generateIds: true })).toEqual([]);
    expect(buildMapping({ ...noId, generateIds: true })).toEqual({ columns: { first: 'given_name' }, externalId: { generate: 'row-hash' } });
  });

  it('refuses a field mapped twice and a file without any name column', () => {
    const twice = mappingProblems({ ...base, columns: { ...base.columns, note: 'given_name' } });
    expect(twice).toHaveLength(1);
    expect(twice[0].message).toContain('first, note');
    expect(mappingProblems({ ...base, columns: { cust_no: 'external_id', mail: 'email' } }).map((p) => p.message)).toEqual([expect.stringContaining('name column')]);
  });

  it('turns a day-first or month-first choice into date formats tried before the unambiguous ones', () => {
    expect(buildMapping({ ...base, dateOrder: 'DD/MM/YYYY' }).dateFormats).toEqual(['DD/MM/YYYY', 'YYYY-MM-DD', 'YYYYMMDD']);
  });
});
