import { describe, expect, it } from 'vitest';
import { NotFoundError, UnprocessableError } from '../../../core/errors.js';
import { classify, summarise } from './scores.js';
import { peekSurveyToken, signSurveyToken, verifySurveyToken } from './token.js';

describe('survey tokens', () => {
  const claims = { t: 'default', i: '0190a5a4-7b8c-7def-8123-456789abcdef', e: Math.floor(Date.parse('2025-06-15T00:00:00Z') / 1000) };
  const token = signSurveyToken('secret-1', claims);

  it('round-trips and expires', () => {
    expect(verifySurveyToken('secret-1', token, new Date('2025-06-01T00:00:00Z'))).toEqual(claims);
    expect(() => verifySurveyToken('secret-1', token, new Date('2025-06-15T00:00:00Z'))).toThrow(UnprocessableError);
    expect(() => verifySurveyToken('secret-1', token, new Date('2025-06-16T00:00:00Z'))).toThrow('expired on 2025-06-15T00:00:00.000Z');
  });

  it('rejects a wrong key, an altered payload and garbage as not found', () => {
    expect(() => verifySurveyToken('secret-2', token, new Date('2025-06-01T00:00:00Z'))).toThrow(NotFoundError);
    const [, mac] = token.split('.');
    const forged = `${signSurveyToken('secret-1', { ...claims, e: claims.e + 86400 * 365 }).split('.')[0]}.${mac}`;
    expect(peekSurveyToken(forged).e).toBe(claims.e + 86400 * 365);
    expect(() => verifySurveyToken('secret-1', forged, new Date('2025-06-01T00:00:00Z'))).toThrow(NotFoundError);
    expect(() => peekSurveyToken('not-a-token')).toThrow(NotFoundError);
    expect(() => peekSurveyToken('a.b.c')).toThrow(NotFoundError);
    expect(() => peekSurveyToken(`${Buffer.from([2, 1, 2]).toString('base64url')}.x`)).toThrow(NotFoundError);
  });

  it('stays short enough for one path segment', () => {
    expect(token.length).toBeLessThan(100);
    expect(signSurveyToken('s', { ...claims, t: 'a-tenant-with-a-long-name' }).length).toBeLessThan(100);
  });
});

describe('survey scores', () => {
  it('classifies NPS, CSAT, CES and custom scales', () => {
    expect([0, 6, 7, 8, 9, 10].map((s) => classify('nps', s))).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
    expect([1, 2, 3, 4, 5].map((s) => classify('csat', s))).toEqual(['detractor', 'detractor', 'passive', 'promoter', 'promoter']);
    expect([1, 3, 4, 5, 6, 7].map((s) => classify('ces', s))).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
    expect(classify('custom', 2, { detractorAtOrBelow: 2 })).toBe('detractor');
    expect(classify('custom', 5, {})).toBeNull();
    expect(classify('nps', null)).toBeNull();
  });

  it('computes NPS as % promoters − % detractors and CSAT as % satisfied', () => {
    const nps = [10, 9, 9, 8, 7, 3, 0, 10, 6, 10].map((score) => ({ score, sentiment: classify('nps', score) }));
    expect(summarise('nps', nps)).toMatchObject({ responses: 10, promoters: 5, passives: 2, detractors: 3, score: 20 });
    const csat = [5, 4, 2, 3].map((score) => ({ score, sentiment: classify('csat', score) }));
    expect(summarise('csat', csat)).toMatchObject({ score: 50, mean: 3.5 });
    expect(summarise('nps', [])).toMatchObject({ responses: 0, score: null, mean: null });
  });
});
