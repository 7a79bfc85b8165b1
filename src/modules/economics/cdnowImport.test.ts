/**
 * The CDNOW anchors through the path a user takes: `rapport import cdnowElog.csv --kind transactions`, then
 * `rapport economics fit` (the service the CLI calls), on source records and, after resolution, on golden customers.
 * cdnowElog.csv holds the same 6,919 rows as CDNOW_sample.txt with a header the CSV reader needs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../core/db/testing.js';
import type { Database } from '../../core/db/engine.js';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { ValidationError } from '../../core/errors.js';
import { createServices, type Services } from '../../api/services.js';
import { runImport } from '../identity/import/importer.js';
import { kindAndMapping } from '../identity/import/kinds.js';
import { planTarget } from '../identity/import/target.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const file = path.join(path.resolve(repoRoot, '../shared/bench-data'), 'cdnow/cdnowElog.csv');
const exists = existsSync(file);
if (!exists) console.warn(`economics CDNOW import anchors skipped: ${file} not found`);

const within = (actual: number, expected: number, rel = 0.005) => expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(Math.abs(expected) * rel);
const actor = systemActor(DEFAULT_TENANT);
const mapping = { columns: { sampleid: 'customer_external_id', date: 'occurred_at', sales: 'amount', cds: 'quantity' } };

describe.skipIf(!exists)('CDNOW through import and the economics service', () => {
  let db: Database;
  let services: Services;
  const fit = (model: 'bgnbd' | 'pareto-nbd' | 'gamma-gamma', source?: string) => services.economics.fit(actor, { model, period: 'week', calibrationEnd: '1997-09-30', source });

  beforeAll(async () => {
    db = await openTestDatabase();
    services = createServices(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('imports the 6,919 transactions, keeping same-day repeats, and re-imports as a no-op', async () => {
    const importOnce = async () => {
      const { kind, mapping: m } = kindAndMapping(mapping, 'transactions');
      const target = await planTarget(services.org, actor, { source: 'CDNOW', division: 'Music' });
      return runImport({ db, kind, file, mapping: m, nameHint: file, onError: 'abort', target });
    };
    expect(await importOnce()).toMatchObject({ rowsRead: 6919, inserted: 6919, bad: 0 });
    expect(await importOnce()).toMatchObject({ inserted: 0, updated: 0, unchanged: 6919 });
    const [{ n, customers }] = await db.query<{ n: number; customers: number }>('SELECT count(*)::int AS n, count(DISTINCT source_record_id)::int AS customers FROM transactions');
    expect(n).toBe(6919);
    expect(customers).toBe(2357);
  });

  it('fits BG/NBD per source record to the published maximum (Fader, Hardie & Lee 2005)', async () => {
    const r = await fit('bgnbd', 'CDNOW');
    expect(Object.keys(r.params).sort()).toEqual(['a', 'alpha', 'b', 'r']);
    expect(r.customers).toBe(2357);
    expect(r.converged).toBe(true);
    within(r.params.r, 0.2426);
    within(r.params.alpha, 4.4135);
    within(r.params.a, 0.7929);
    within(r.params.b, 2.4258);
    within(r.logLikelihood, -9582.43);
  });

  it('fits Pareto/NBD to the published maximum', async () => {
    const r = await fit('pareto-nbd', 'CDNOW');
    expect(Object.keys(r.params).sort()).toEqual(['alpha', 'beta', 'r', 's']);
    within(r.params.r, 0.5533);
    within(r.params.alpha, 10.5776);
    within(r.params.s, 0.6062);
    within(r.params.beta, 11.6679);
    within(r.logLikelihood, -9594.97);
  });

  it('fits Gamma-Gamma on the 946 repeat buyers (Fader & Hardie 2013)', async () => {
    const r = await fit('gamma-gamma', 'CDNOW');
    expect(Object.keys(r.params).sort()).toEqual(['gamma', 'p', 'q']);
    expect(r.customers).toBe(946);
    within(r.params.p, 6.2496);
    within(r.params.q, 3.7442);
    within(r.params.gamma, 15.4435);
    within(r.logLikelihood, -4055.92);
    const stored = await services.economics.listFits(actor, 3);
    expect(stored.map((f) => f.model)).toEqual(['gamma-gamma', 'pareto-nbd', 'bgnbd']);
    expect(stored[0].customers).toBe(946);
  });

  it('validates BG/NBD period by period on the 39-week holdout', async () => {
    const v = await services.economics.validate(actor, { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30', period: 'week', source: 'CDNOW' });
    expect(v.tracking).toHaveLength(39);
    within(v.params.r, 0.2426);
    expect(v.tracking.at(-1)!.actualCumulative).toBeGreaterThan(0);
    expect(v.errors.mapeCumulative).toBeLessThan(25);
  });

  it('refuses a calibration end before the first purchase', async () => {
    const err = await services.economics.fit(actor, { model: 'bgnbd', period: 'week', calibrationEnd: '1996-12-31', source: 'CDNOW' }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(/before the first purchase/);
  });

  it('after resolution each CDNOW customer is a golden customer, and the golden-customer fit is the same', async () => {
    const run = await services.resolution.run(actor, { full: true });
    expect(run.customers).toBe(2357);
    const r = await fit('bgnbd');
    expect(r.customers).toBe(2357);
    within(r.params.r, 0.2426);
    within(r.logLikelihood, -9582.43);
  });
});
