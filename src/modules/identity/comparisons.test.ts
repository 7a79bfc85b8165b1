import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  damerauLevenshtein, defaultComparisons, jaroWinkler, jaroWinklerAbove, nysiis, PersonTable, soundex, withinOneEdit, type ResolveRecord,
} from './comparisons.js';
import { normalisePerson } from './normalise.js';
import type { CanonicalInput } from './canonical.js';

const record = (id: string, input: CanonicalInput): ResolveRecord => ({ id, person: normalisePerson(input).person });

function levelOf(name: string, a: CanonicalInput, b: CanonicalInput): string {
  const t = PersonTable.from([record('a', a), record('b', b)]);
  const c = defaultComparisons().find((x) => x.name === name)!;
  const l = c.compare(t, 0, 1);
  return l < 0 ? 'null' : c.levels[l].label;
}

describe('string metrics', () => {
  it('Jaro-Winkler matches the published examples', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 3);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
  });

  it('the bounded Jaro-Winkler never rejects a pair that reaches the floor', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcdeilmnorst'), maxLength: 40 });
    fc.assert(
      fc.property(word, word, fc.double({ min: 0.5, max: 0.99, noNaN: true }), (a, b, floor) => {
        const exact = jaroWinkler(a, b);
        const bounded = jaroWinklerAbove(a, b, floor);
        if (exact >= floor) return Math.abs(bounded - exact) < 1e-12;
        return bounded < floor;
      }),
      { numRuns: 3000 },
    );
  });

  it('Damerau-Levenshtein counts adjacent transpositions as one edit', () => {
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('ca', 'ac')).toBe(1);
    expect(damerauLevenshtein('19870315', '19870351')).toBe(1);
    expect(damerauLevenshtein('abcdef', 'uvwxyz', 2)).toBe(3); // stops early: max + 1
  });

  it('withinOneEdit agrees with Damerau-Levenshtein <= 1, and the capped distance agrees below the cap', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcd'), maxLength: 9 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        const d = damerauLevenshtein(a, b);
        return withinOneEdit(a, b) === d <= 1 && Math.min(damerauLevenshtein(a, b, 2), 3) === Math.min(d, 3);
      }),
      { numRuns: 3000 },
    );
  });

  it('phonetic codes', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Tymczak')).toBe('T522');
    expect(soundex('Pfister')).toBe('P236');
    expect(soundex('Ashcraft')).toBe('A261');
    expect(nysiis('Knight')).toBe(nysiis('Night'));
    expect(nysiis('MacDonald')).toBe(nysiis('McDonald'));
    expect(nysiis('Phillips')).toBe(nysiis('Fillips'));
    expect(nysiis('Smith')).not.toBe(nysiis('Jones'));
  });
});

describe('comparison levels', () => {
  it('given names: exact, nickname, swapped, fuzzy, phonetic, else', () => {
    expect(levelOf('given_name', { given_name: 'Bill' }, { given_name: 'bill' })).toBe('exact');
    expect(levelOf('given_name', { given_name: 'Bill' }, { given_name: 'William' })).toBe('nickname');
    expect(levelOf('given_name', { given_name: 'Peggy' }, { given_name: 'Margaret' })).toBe('nickname');
    expect(levelOf('given_name', { given_name: 'Madeline', family_name: 'Mason' }, { given_name: 'Masno', family_name: 'Madeline' })).toBe('swapped with family name');
    // the swap is scored once, on the given name
    expect(levelOf('family_name', { given_name: 'Madeline', family_name: 'Mason' }, { given_name: 'Masno', family_name: 'Madeline' })).toBe('null');
    expect(levelOf('given_name', { given_name: 'Jonathon' }, { given_name: 'Jonathan' })).toBe('jaro-winkler >= 0.92');
    expect(levelOf('given_name', { given_name: 'Mary' }, { given_name: 'Peter' })).toBe('else');
    expect(levelOf('given_name', { given_name: 'Mary' }, {})).toBe('null');
  });

  it('dates of birth: the ways a keyed date goes wrong', () => {
    const dob = (a: string, b: string) => levelOf('date_of_birth', { date_of_birth: a }, { date_of_birth: b });
    expect(dob('1987-03-15', '15/03/1987')).toBe('exact');
    expect(dob('1987-03-15', '1987-03-16')).toBe('one digit off or transposed');
    expect(dob('1987-03-15', '1978-03-15')).toBe('one digit off or transposed');
    expect(dob('1987-03-04', '1987-04-03')).toBe('day and month swapped');
    expect(dob('1987-03-15', '1988-03-25')).toBe('two digits off');
    expect(dob('1987-03-15', '1987-11-27')).toBe('same year');
    expect(dob('1987-03-15', '1950-11-27')).toBe('else');
  });

  it('emails, phones, postcodes, addresses', () => {
    expect(levelOf('email', { email: 'bill.j@bank.com' }, { email: 'bill.j@other.org' })).toBe('else');
    expect(levelOf('email', { email: 'bill.j@bank.com' }, { email: 'bill.j@bnak.com' })).toBe('user or domain mistyped');
    expect(levelOf('email', { email: 'bill.j@bank.com' }, { email: 'bill.jj@bank.com' })).toBe('user or domain mistyped');
    expect(levelOf('email', { email: 'j.smith@gmail.com' }, { email: 'jsmith+x@gmail.com' })).toBe('exact');
    expect(levelOf('phone', { phone: '+44 20 7946 0958' }, { phone: '+44 20 7946 0959' })).toBe('one digit off or transposed');
    const addr = (a: CanonicalInput, b: CanonicalInput) => levelOf('address', a, b);
    expect(addr({ address_line1: 'Pridham Street', postcode: '3165' }, { address_line1: 'pridhamstreet', postcode: '3165' })).toBe('all parts agree exactly');
    expect(addr({ address_line1: '12 Oak Rd', locality: 'Leeds' }, { address_line1: '12 Oak Road', locality: 'Leeds' })).toBe('all parts agree exactly');
    expect(addr({ street_number: '4', address_line1: 'Elm Rd', postcode: 'LS1 4AB' }, { street_number: '4', address_line1: 'Elm Rdd', postcode: 'LS1 4AB' })).toBe('all parts agree');
    expect(addr({ street_number: '4', address_line1: 'Elm Rd', postcode: 'LS1 4AB' }, { street_number: '9', address_line1: 'Elm Rd', postcode: 'LS1 4AB' })).toBe('all but one part agree');
    // a house move: every part differs, which costs one disagreement, not four
    expect(addr({ street_number: '4', address_line1: 'Elm Rd', postcode: 'LS1 4AB', locality: 'Leeds' }, { street_number: '17', address_line1: 'Harbour View', postcode: 'YO1 7HH', locality: 'York' })).toBe('no part agrees');
    expect(addr({ locality: 'Leeds' }, { postcode: 'LS1 4AB' })).toBe('null');
  });
});
