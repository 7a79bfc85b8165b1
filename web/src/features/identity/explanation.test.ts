import { describe, expect, it } from 'vitest';
import { formatProbability, formatWeight, holdReason, levelLabel, parseExplanation, weightScale } from './explanation';
import { agreementOf, compareRecords } from './recordComparison';
import { eventSentence, undoableMerge } from './history';

// As stored for a father and son the household safeguard held back (from the demo bank).
const household = {
  rule: 'phone',
  prior: -8.283,
  fields: [
    { level: 'else', values: ['william', 'joseph'], weight: -2.739, comparison: 'given_name' },
    { level: 'exact', values: ['edwards', 'edwards'], weight: 5.177, comparison: 'family_name', tfAdjustment: -1.578 },
    { level: 'else', weight: -3.606, comparison: 'date_of_birth' },
    { level: 'null', weight: 0, comparison: 'email' },
    { level: 'exact', weight: 15.899, comparison: 'phone' },
    { level: 'all parts agree exactly', weight: 7.743, comparison: 'address' },
  ],
  weight: 14.191,
  refused: null,
  probability: 0.9999465426122405,
};

describe('parseExplanation', () => {
  it('reads a stored explanation and ignores malformed fields', () => {
    const e = parseExplanation({ ...household, fields: [...household.fields, { comparison: 'x' }, null] });
    expect(e?.fields).toHaveLength(6);
    expect(e?.fields[1]).toMatchObject({ comparison: 'family_name', tfAdjustment: -1.578, values: ['edwards', 'edwards'] });
    expect(e?.rule).toBe('phone');
    expect(weightScale(e!)).toBeCloseTo(15.899);
  });

  it('answers null for anything that is not an explanation', () => {
    expect(parseExplanation(null)).toBeNull();
    expect(parseExplanation({ weight: 'x', prior: 0, fields: [] })).toBeNull();
    expect(parseExplanation('text')).toBeNull();
  });
});

describe('wording', () => {
  it('formats weights with a real minus sign and probabilities with the precision that matters', () => {
    expect(formatWeight(15.899)).toBe('+15.90');
    expect(formatWeight(-3.606)).toBe('−3.61');
    expect(formatWeight(0.0001)).toBe('0.00');
    expect(formatProbability(0.49999982)).toBe('50%');
    expect(formatProbability(0.9998)).toBe('99.98%');
    expect(formatProbability(1)).toBe('100%');
    expect(formatProbability(0.999998)).toBe('>99.99%');
    expect(formatProbability(0.00001)).toBe('<0.01%');
    expect(formatProbability(0.003)).toBe('0.30%');
    expect(levelLabel('else')).toBe('disagree');
    expect(levelLabel('null')).toBe('missing on one side');
  });

  it('says why a pair waits: household cap, one record per system, incoherent clusters, or plain doubt', () => {
    const e = parseExplanation(household);
    expect(holdReason(e, 0, 0.4999998)).toMatch(/birth dates clearly differ/);
    expect(holdReason(parseExplanation({ ...household, weight: 0.5, refused: 'unique-source' }), 0.5, 0.58)).toMatch(/one record per person/);
    expect(holdReason(parseExplanation({ ...household, weight: 0.7, refused: 'incoherent' }), 0.7, 0.62)).toMatch(/other records/);
    expect(holdReason(parseExplanation({ ...household, weight: -1 }), -1, 0.33)).toMatch(/inconclusive/);
  });
});

describe('compareRecords', () => {
  const record = (over: Record<string, string | null>) =>
    ({ givenName: null, familyName: null, fullName: null, dateOfBirth: null, email: null, phone: null, streetNumber: null, addressLine1: null, addressLine2: null, locality: null, postcode: null, region: null, country: null, nationalId: null, externalId: 'X', ...over }) as never;

  it('marks differences but not differences of case or punctuation, and drops optional fields neither holds', () => {
    expect(agreementOf('O’Brien', "o'brien")).toBe('same');
    expect(agreementOf('Bill', 'William')).toBe('differs');
    expect(agreementOf(null, 'x')).toBe('one missing');
    const rows = compareRecords(record({ givenName: 'Bill', familyName: 'Jackson', streetNumber: '42', addressLine1: 'Lakeview Dr' }), record({ givenName: 'William', familyName: 'JACKSON', addressLine1: '42 Lakeview Dr' }));
    expect(Object.fromEntries(rows.map((r) => [r.key, r.agreement]))).toMatchObject({ givenName: 'differs', familyName: 'same', address: 'same', email: 'both missing' });
    expect(rows.map((r) => r.key)).not.toContain('nationalId');
  });
});

describe('history', () => {
  const at = (m: number) => `2026-11-24T10:0${m}:00.000Z`;
  const ev = (event: string, ids: string[], m: number) => ({ id: `${event}${m}`, event, source_record_ids: ids, other_customer_id: 'c2', actor: 'system', reason: null, run_id: null, created_at: at(m) });

  it('describes events in words', () => {
    expect(eventSentence(ev('merged', ['r1', 'r2'], 1))).toEqual({ text: 'Merged in 2 records from', other: 'another customer' });
    expect(eventSentence({ ...ev('records-added', ['r1'], 1), other_customer_id: null }).text).toBe('1 record added by resolution');
  });

  it('offers to undo the latest merge only while its records are still with the customer', () => {
    const merged = ev('merged', ['r2'], 1);
    expect(undoableMerge([merged], new Set(['r1', 'r2']))).toBe(merged);
    expect(undoableMerge([ev('split', ['r2'], 2), merged], new Set(['r1']))).toBeNull();
    expect(undoableMerge([ev('created', ['r1'], 1)], new Set(['r1']))).toBeNull();
  });
});
