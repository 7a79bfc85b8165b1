/**
 * Correctness anchors on the CDNOW 1/10 sample (Fader, Hardie & Lee 2005): the event log is
 * parsed here and fed through the same summary builder a user's import goes through.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitEconomics, scoreEconomics } from './analysis.js';
import { bgnbdExpectedPurchases, bgnbdLogLikelihood, bgnbdModel, bgnbdProbabilityAlive, fitBgNbd } from './bgnbd.js';
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood } from './gammaGamma.js';
import { fitParetoNbd, paretoNbdLogLikelihood, paretoNbdModel } from './paretoNbd.js';
import { scoreCustomers } from './score.js';
import { buildSummary, type CustomerSummary, type Transaction } from './summary.js';
import { expectedCumulativeRepeatPurchases, validateHoldout } from './validate.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.resolve(repoRoot, '../shared/bench-data/cdnow');
const exists = existsSync(path.join(dataDir, 'CDNOW_sample.txt'));
if (!exists) console.warn(`economics CDNOW anchors skipped: ${dataDir}/CDNOW_sample.txt not found`);

function readEventLog(): Transaction[] {
  // Whitespace-separated, CRLF, no header: master_id sample_id YYYYMMDD n_cds usd.
  return readFileSync(path.join(dataDir, 'CDNOW_sample.txt'), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => {
      const f = l.trim().split(/\s+/);
      return { customerId: String(Number(f[1])), date: f[2], amount: f[4] };
    });
}

function readCsv(name: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path.join(dataDir, name), 'utf8').trim().split(/\r?\n/);
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

const within = (actual: number, expected: number, rel = 0.005) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * rel);

const PUBLISHED_BGNBD = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };

describe.skipIf(!exists)('CDNOW sample', () => {
  let s: CustomerSummary;
  beforeAll(() => {
    s = buildSummary(readEventLog(), { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30', period: 'week', today: '2020-01-01' });
  });

  it('summary matches the published per-customer x, t_x, T and z-bar', () => {
    const ref = readCsv('cdnow_customers_summary_with_transactions.csv');
    const lifetimes = readCsv('cdnow_customers_summary.csv');
    expect(s.customerIds.length).toBe(2357);
    expect(ref.length).toBe(2357);
    expect(s.warnings).toEqual([]);
    const byId = new Map(s.customerIds.map((id, i) => [id, i]));
    let repeatBuyers = 0;
    for (const [k, row] of ref.entries()) {
      const i = byId.get(row.ID);
      expect(i, `customer ${row.ID}`).toBeDefined();
      const j = i as number;
      expect(s.x[j]).toBe(Number(row.x));
      expect(Math.abs(s.tx[j] - Number(row.t_x))).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.T[j] - Number(row.T))).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.monetary[j] - Number(row.zbar))).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(s.x[j]).toBe(Number(lifetimes[k].frequency));
      expect(Math.abs(s.tx[j] - Number(lifetimes[k].recency))).toBeLessThanOrEqual(0.005 + 1e-9);
      if (s.x[j] > 0) repeatBuyers++;
    }
    expect(repeatBuyers).toBe(946);
    // Holdout covers weeks 40-78: 39 whole weeks.
    expect(s.holdoutLength).toBe(39);
    expect(s.holdoutByPeriod.reduce((a, b) => a + b, 0)).toBe(s.holdoutX.reduce((a, b) => a + b, 0));
  });

  it('fits BG/NBD to the published maximum', () => {
    const fit = fitBgNbd(s);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(2357);
    within(fit.params.r, 0.2426);
    within(fit.params.alpha, 4.4135);
    within(fit.params.a, 0.7929);
    within(fit.params.b, 2.4258);
    within(fit.logLikelihood, -9582.43, 1e-5);
    // The published point is (to rounding) the maximum: our optimum is at least as good.
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgnbdLogLikelihood(PUBLISHED_BGNBD, s) - 1e-6);
  });

  it('reproduces the FHL (2005) worked example for one customer', () => {
    within(bgnbdExpectedPurchases(PUBLISHED_BGNBD, 39, 2, 30.43, 38.86), 1.226, 0.001);
    within(bgnbdProbabilityAlive(PUBLISHED_BGNBD, 2, 30.43, 38.86), 0.727, 0.001);
  });

  it('fits Pareto/NBD to the published maximum', () => {
    const fit = fitParetoNbd(s);
    expect(fit.converged).toBe(true);
    within(fit.params.r, 0.5533);
    within(fit.params.alpha, 10.5776);
    within(fit.params.s, 0.6062);
    within(fit.params.beta, 11.6679);
    within(fit.logLikelihood, -9594.97, 1e-5);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(paretoNbdLogLikelihood({ r: 0.5533, alpha: 10.5776, s: 0.6062, beta: 11.6679 }, s) - 1e-6);
  });

  it('fits Gamma-Gamma on the 946 repeat buyers', () => {
    const fit = fitGammaGamma(s);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(946);
    within(fit.params.p, 6.2496);
    within(fit.params.q, 3.7442);
    within(fit.params.gamma, 15.4435);
    within(fit.logLikelihood, -4055.92, 1e-5);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood({ p: 6.2496, q: 3.7442, gamma: 15.4435 }, s) - 1e-6);
    // The conditional mean shrinks a customer's own mean towards the population mean pγ/(q−1):
    // customer 1 (x = 2, z-bar $22.35) lands strictly between the two.
    const first = s.customerIds.indexOf('1');
    const own = s.monetary[first];
    const population = (fit.params.p * fit.params.gamma) / (fit.params.q - 1);
    const e = gammaGammaExpectedSpend(fit.params, s.x[first], own);
    expect(e).toBeGreaterThan(own);
    expect(e).toBeLessThan(population);
  });

  it('tracks the cohort: cumulative expected repeat purchases match the BTYD reference curve', () => {
    const ref = readCsv('clv_cumulative_transactions.csv');
    const model = paretoNbdModel({ r: 0.5533, alpha: 10.5776, s: 0.6062, beta: 11.6679 });
    const maxT = Math.max(...s.T);
    const curve = expectedCumulativeRepeatPurchases(model, Array.from(s.T, (T) => maxT - T), ref.length);
    ref.forEach((row, k) => within(curve[k], Number(row.predicted), 0.001));
  });

  it('validates BG/NBD on the 39-week holdout', () => {
    const v = validateHoldout(bgnbdModel(PUBLISHED_BGNBD), s);
    expect(v.tracking).toHaveLength(39);
    const last = v.tracking[38];
    expect(last.actualCumulative).toBe(s.holdoutX.reduce((a, b) => a + b, 0));
    // Summing each customer's conditional expectation over the holdout gives the curve's end point.
    const scores = scoreCustomers(bgnbdModel(PUBLISHED_BGNBD), s, 39);
    within(last.predictedCumulative, scores.expectedPurchases.reduce((a, b) => a + b, 0), 1e-9);
    // Repeat buyers' conditional expectations rise with calibration frequency (FHL 2005 fig. 4).
    for (let b = 1; b < v.byFrequency.length; b++) expect(v.byFrequency[b].predictedMean).toBeGreaterThan(v.byFrequency[b - 1].predictedMean);
    expect(v.errors.mapeCumulative).toBeGreaterThan(0);
    expect(v.errors.mapeCumulative).toBeLessThan(25);
    expect(Math.abs(v.errors.totalErrorPct)).toBeLessThan(20);
  });

  it('runs the whole pass: fits, CLV, RFM, tiers and dispositions for every customer', () => {
    const fits = fitEconomics(s);
    const rows = scoreEconomics(s, fits, { margin: 0.3, annualDiscountRate: 0.1 });
    expect(rows).toHaveLength(2357);
    const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
    // 1 % of 2357 is 23.57: at most 23 customers rank inside it.
    expect(count((r) => r.tier === 'top1')).toBeLessThanOrEqual(23);
    expect(count((r) => r.tier === 'top1')).toBeGreaterThan(15);
    expect(count((r) => r.disposition === 'strategic')).toBeGreaterThan(0);
    expect(count((r) => r.disposition === 'let-go')).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.reasons.length).toBeGreaterThan(0);
      expect(Number.isFinite(r.clv) && r.clv >= 0).toBe(true);
      if (r.disposition === 'strategic') expect(r.probabilityAlive).toBeGreaterThanOrEqual(0.5);
    }
    // The most valuable customer buys often and recently.
    const best = rows.reduce((a, b) => (b.clv > a.clv ? b : a));
    expect(best.tier).toBe('top1');
    expect(best.x).toBeGreaterThanOrEqual(10);
    expect(best.rfm.segment).toBe('Champions');
  });
});
