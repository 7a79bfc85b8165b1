import { describe, expect, it } from 'vitest';
import { emailMatchKey, expandAddress, foldText, normalisePerson, parseDate, searchKey } from './normalise.js';
import { areNicknames, canonicalGivenName, NICKNAME_PAIR_COUNT } from './nicknames.js';

describe('foldText and searchKey (used by search: behaviour kept)', () => {
  it('folds case, accents and punctuation', () => {
    expect(foldText('  José  O\'Brien-Smith ')).toBe('jose o brien smith');
    expect(searchKey({ givenName: 'Zoë', familyName: 'Ågren' })).toBe('zoe agren');
    expect(searchKey({ fullName: 'ACME Ltd.' })).toBe('acme ltd');
  });
});

describe('normalisePerson: names', () => {
  it('tidies case but keeps the name as written (no nickname replacement)', () => {
    const { person } = normalisePerson({ given_name: 'BILL', family_name: "o'brien" });
    expect(person.givenName).toBe('Bill');
    expect(person.familyName).toBe("O'Brien");
    expect(person.searchName).toBe('bill o brien');
  });

  it('keeps mixed case as written', () => {
    expect(normalisePerson({ given_name: 'DeShawn', family_name: 'McDonald' }).person.familyName).toBe('McDonald');
  });

  it('splits a full name when given and family are absent', () => {
    expect(normalisePerson({ full_name: 'Mr William J. Jackson Jr' }).person).toMatchObject({ givenName: 'William', familyName: 'Jackson' });
    expect(normalisePerson({ full_name: 'Jackson, Bill' }).person).toMatchObject({ givenName: 'Bill', familyName: 'Jackson' });
    expect(normalisePerson({ full_name: 'Ludwig van Beethoven' }).person).toMatchObject({ givenName: 'Ludwig', familyName: 'van Beethoven' });
    expect(normalisePerson({ full_name: 'Cher' }).person).toMatchObject({ givenName: 'Cher', familyName: null });
  });

  it('exposes a canonical given-name key through the nickname table', () => {
    expect(NICKNAME_PAIR_COUNT).toBeGreaterThan(300);
    expect(canonicalGivenName('bill')).toBe('william');
    expect(canonicalGivenName('bob')).toBe('robert');
    expect(canonicalGivenName('peggy')).toBe('margaret');
    expect(canonicalGivenName('liz')).toBe('elizabeth');
    expect(canonicalGivenName('zebedee')).toBe('zebedee');
    expect(areNicknames('al', 'alfred')).toBe(true);
    expect(areNicknames('al', 'albert')).toBe(true);
    expect(areNicknames('bill', 'robert')).toBe(false);
  });
});

describe('normalisePerson: contact details', () => {
  it('formats phones as E.164 with the default country', () => {
    expect(normalisePerson({ phone: '020 7946 0958' }, { defaultCountry: 'GB' }).person.phone).toBe('+442079460958');
    expect(normalisePerson({ phone: '(415) 555-2671' }).person.phone).toBe('+14155552671');
    expect(normalisePerson({ phone: '+61 2 9374 4000' }, { defaultCountry: 'US' }).person.phone).toBe('+61293744000');
  });

  it('uses the record country over the default', () => {
    expect(normalisePerson({ phone: '(02) 9374 4000', country: 'Australia' }).person).toMatchObject({ phone: '+61293744000', country: 'AU' });
  });

  it('rejects invalid and placeholder phones with a warning', () => {
    const bad = normalisePerson({ phone: '12' });
    expect(bad.person.phone).toBeNull();
    expect(bad.warnings[0].field).toBe('phone');
    for (const p of ['9999999999', '000-000-0000', '123456789', '1234567890']) {
      const r = normalisePerson({ phone: p });
      expect(r.person.phone, p).toBeNull();
      expect(r.warnings[0].message).toMatch(/placeholder/);
    }
  });

  it('lower-cases and trims emails, keeping dots and tags except for Gmail matching', () => {
    const { person } = normalisePerson({ email: '  John.Smith+bank@Example.co.uk ' });
    expect(person.email).toBe('john.smith+bank@example.co.uk');
    expect(emailMatchKey(person.email)).toBe('john.smith+bank@example.co.uk');
    expect(emailMatchKey('john.smith+bank@gmail.com')).toBe('johnsmith@gmail.com');
    expect(emailMatchKey('j.o.h.n@googlemail.com')).toBe('john@gmail.com');
  });

  it('drops placeholder emails and non-addresses', () => {
    expect(normalisePerson({ email: 'test@example.com' }).person.email).toBeNull();
    expect(normalisePerson({ email: 'noemail@bank.com' }).person.email).toBeNull();
    const r = normalisePerson({ email: 'not an email' });
    expect(r.person.email).toBeNull();
    expect(r.warnings).toHaveLength(1);
  });
});

describe('normalisePerson: identifiers and placeholders', () => {
  it('strips separators from national ids and drops placeholders', () => {
    expect(normalisePerson({ national_id: '123-45-6780' }).person.nationalId).toBe('123456780');
    for (const id of ['000-00-0000', '123456789', '999999999', '111-11-1111']) {
      const r = normalisePerson({ national_id: id });
      expect(r.person.nationalId, id).toBeNull();
      expect(r.warnings[0].field).toBe('national_id');
    }
  });

  it("turns 'unknown', 'n/a' and similar into null with a warning", () => {
    const r = normalisePerson({ given_name: 'unknown', family_name: 'N/A', locality: '-', email: 'none' });
    expect(r.person).toMatchObject({ givenName: null, familyName: null, locality: null, email: null });
    expect(r.warnings.map((w) => w.field).sort()).toEqual(['email', 'family_name', 'given_name', 'locality']);
  });
});

describe('normalisePerson: addresses', () => {
  it('expands common abbreviations', () => {
    expect(expandAddress('12 Smith St.')).toBe('12 smith street');
    expect(expandAddress('Apt 4, 7 Oak Ave')).toBe('apartment 4 7 oak avenue');
    expect(expandAddress('St Kilda Rd')).toBe('saint kilda road');
    expect(expandAddress('Unit 3 / 21 Hill Cres')).toBe('unit 3 21 hill crescent');
    expect(normalisePerson({ address_line1: '12 SMITH ST', locality: 'st james', region: 'nsw' }).person).toMatchObject({
      addressLine1: '12 Smith Street',
      locality: 'St James',
      region: 'NSW',
    });
  });

  it('formats postcodes per country', () => {
    expect(normalisePerson({ postcode: 'sw1a1aa', country: 'UK' }).person.postcode).toBe('SW1A 1AA');
    expect(normalisePerson({ postcode: '4011' }).person.postcode).toBe('4011');
    expect(normalisePerson({ postcode: '02134-1234', country: 'US' }).person.postcode).toBe('02134-1234');
  });
});

describe('parseDate', () => {
  it('reads several formats', () => {
    expect(parseDate('19870315').value).toBe('1987-03-15');
    expect(parseDate('1987-03-15').value).toBe('1987-03-15');
    expect(parseDate('1987-03-15T00:00:00Z').value).toBe('1987-03-15');
    expect(parseDate('15 Mar 1987').value).toBe('1987-03-15');
    expect(parseDate('15th March, 1987').value).toBe('1987-03-15');
    expect(parseDate('March 15, 1987').value).toBe('1987-03-15');
    expect(parseDate('15/03/1987').value).toBe('1987-03-15'); // only day-first is a real date
    expect(parseDate('03/15/1987').value).toBe('1987-03-15'); // only month-first is a real date
    expect(parseDate('05/05/1987').value).toBe('1987-05-05'); // both readings agree
  });

  it('never guesses: invalid or ambiguous dates are null with a warning', () => {
    for (const bad of ['19870231', '1987-13-01', '31/02/1987', '32 Jan 1987', 'yesterday', '1987-02-29']) {
      const r = parseDate(bad);
      expect(r.value, bad).toBeNull();
      expect(r.warning, bad).toBeTruthy();
    }
    const ambiguous = parseDate('03/04/1987');
    expect(ambiguous.value).toBeNull();
    expect(ambiguous.warning).toMatch(/ambiguous/);
    expect(parseDate('1988-02-29').value).toBe('1988-02-29');
  });

  it('follows the configured order for ambiguous day/month', () => {
    expect(parseDate('03/04/1987', ['MM/DD/YYYY']).value).toBe('1987-03-04');
    expect(parseDate('03/04/1987', ['DD/MM/YYYY']).value).toBe('1987-04-03');
    const r = normalisePerson({ date_of_birth: '03/04/1987' }, { dateFormats: ['DD/MM/YYYY'] });
    expect(r.person.dateOfBirth).toBe('1987-04-03');
  });

  it('treats placeholder birth dates as missing', () => {
    const r = normalisePerson({ date_of_birth: '1900-01-01' });
    expect(r.person.dateOfBirth).toBeNull();
    expect(r.warnings[0].message).toMatch(/placeholder/);
  });
});
