/**
 * The customer 360 view at N people (default 1,000,000): the demo bank generated and loaded (about 2.5 source
 * records, 2 accounts and 17 interactions a person), every source record linked to its person's golden customer
 * from the generator's ground truth (resolution itself is benchmarked in identity-scale.ts; this measures reads),
 * and a stored economics row per customer. Then:
 *  - `GET /api/v1/customers/{id}/360` latency, one request at a time, for random customers, as an administrator
 *    and as a division-scoped manager; throughput with 8 connections against a bare Fastify handler running the
 *    same core reads (customer, records with links, accounts, 20 newest interactions) with no auth, scoping,
 *    economics, insights or serialisation schema;
 *  - the web app's customer page in headless Chromium: navigation to interactive (the customer's name heading
 *    and the first timeline entries on screen), for 20 customers.
 *
 *   npx tsx bench/customer360.ts [--customers=1000000] [--samples=400] [--dir=PATH (kept; reused when loaded)] [--seconds=10]
 */
import fs from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import autocannon from 'autocannon';
import { chromium, type Browser } from 'playwright-core';
import { migrate, openDatabase, type Database } from '../src/core/db/engine.js';
import { buildServer } from '../src/api/server.js';
import { systemActor } from '../src/core/actor.js';
import { DEFAULT_TENANT } from '../src/core/ids.js';
import { loadDemoBank } from '../src/modules/demo/loader.js';
import { arg, peakRssMiB, percentile, prng, round, tempDir } from './lib.js';

const N = arg('customers', 1_000_000);
const SAMPLES = arg('samples', 400);
const SECONDS = arg('seconds', 10);
const dirArg = process.argv.find((a) => a.startsWith('--dir='))?.slice('--dir='.length);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WEB_DIST = path.resolve(import.meta.dirname, '../web/dist');
const T = DEFAULT_TENANT;

async function seed(db: Database) {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM golden_customers WHERE tenant_id = $1', [T]);
  if (n > 0) return { reused: true, loadSeconds: 0, linkSeconds: 0 };
  const t0 = performance.now();
  await loadDemoBank(db, { customers: N, seed: 11, asOf: '2026-11-24' });
  const t1 = performance.now();
  // One golden customer per true person, built from the person's first record; every record linked to it.
  await db.query('BEGIN');
  // (CREATE TABLE AS takes no bind parameters; the tenant is our own constant.) One pass, hash-aggregated.
  await db.query(`CREATE TEMP TABLE person_customer ON COMMIT DROP AS
    SELECT t.person_key, gen_random_uuid() AS customer_id, array_agg(DISTINCT ss.division_id) AS division_ids, count(*)::int AS records, min(r.id::text)::uuid AS first_record
      FROM demo_truth t JOIN source_records r ON r.tenant_id = t.tenant_id AND r.id = t.source_record_id
      JOIN source_systems ss ON ss.tenant_id = r.tenant_id AND ss.id = r.source_system_id
     WHERE t.tenant_id = '${T}' GROUP BY t.person_key`);
  await db.query(
    `INSERT INTO golden_customers (tenant_id, id, display_name, search_name, given_name, family_name, date_of_birth, email, phone, address_line1, locality, postcode, country, division_ids, source_record_count)
     SELECT r.tenant_id, p.customer_id,
            coalesce(nullif(trim(concat_ws(' ', r.given_name, r.family_name)), ''), r.full_name, r.external_id),
            lower(coalesce(nullif(trim(concat_ws(' ', r.given_name, r.family_name)), ''), r.full_name, r.external_id)),
            r.given_name, r.family_name, r.date_of_birth, r.email, r.phone, r.address_line1, r.locality, r.postcode, r.country, p.division_ids, p.records
       FROM person_customer p JOIN source_records r ON r.tenant_id = $1 AND r.id = p.first_record`,
    [T],
  );
  await db.query(
    `INSERT INTO customer_links (tenant_id, source_record_id, customer_id, method, match_probability)
     SELECT t.tenant_id, t.source_record_id, p.customer_id, 'probabilistic', 0.99 FROM demo_truth t JOIN person_customer p ON p.person_key = t.person_key WHERE t.tenant_id = $1`,
    [T],
  );
  const run = '00000000-0000-7000-8000-00000000360b';
  await db.query(`INSERT INTO economics_runs (tenant_id, id, model_version, period, calibration_end, status, finished_at) VALUES ($1, $2, 'bench', 'week', '2026-11-24', 'succeeded', now())`, [T, run]);
  await db.query(
    `INSERT INTO customer_economics (tenant_id, customer_id, run_id, model_version, computed_at, clv, probability_alive, expected_purchases, tier, disposition, reasons, revenue, profit)
     SELECT tenant_id, id, $2, 'bench', now(), 100 + (abs(hashtext(id::text)) % 50000), 0.8, 3, 'rest', 'profitable', '["bench"]'::jsonb, 500, 200 FROM golden_customers WHERE tenant_id = $1`,
    [T, run],
  );
  await db.query('COMMIT');
  await db.query('ANALYZE');
  return { reused: false, loadSeconds: round((t1 - t0) / 1000), linkSeconds: round((performance.now() - t1) / 1000) };
}

async function serial(url: string, headers: Record<string, string>, paths: string[]) {
  const times: number[] = [];
  let bytes = 0;
  for (const p of paths) {
    const t = performance.now();
    const res = await fetch(url + p, { headers });
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${res.status} for ${p}: ${Buffer.from(body).toString().slice(0, 300)}`);
    times.push(performance.now() - t);
    bytes += body.byteLength;
  }
  times.sort((a, b) => a - b);
  return { requests: times.length, p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), max: round(times[times.length - 1]), meanKiB: round(bytes / times.length / 1024) };
}

async function throughput(url: string, headers: Record<string, string>, paths: string[]) {
  let i = 0;
  const r = await autocannon({ url, connections: 8, duration: SECONDS, headers, requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[i++ % paths.length] }) }] });
  return { requestsPerSec: round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function webPage(baseURL: string, ids: string[], login: { email: string; password: string }) {
  const names = new Map((await db.query<{ id: string; display_name: string }>('SELECT id::text, display_name FROM golden_customers WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [T, ids])).map((r) => [r.id, r.display_name]));
  if (!fs.existsSync(CHROMIUM) || !fs.existsSync(path.join(WEB_DIST, 'index.html'))) return { skipped: `needs ${CHROMIUM} and a built web app (npm run build:web)` };
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    return await visit(browser, baseURL, ids, names, login);
  } finally {
    await browser.close();
  }
}

async function visit(browser: Browser, baseURL: string, ids: string[], names: Map<string, string>, login: { email: string; password: string }) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Generous waits: the first visit compiles the app's scripts, which takes many seconds on a loaded machine; the timings are what count.
  page.setDefaultTimeout(120_000);
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Email' }).fill(login.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/customers');
  const times: number[] = [];
  // The first visit loads the app's scripts; later ones come from the browser cache, as for a user at work.
  for (const [k, id] of [ids[0], ...ids].entries()) {
    const t = performance.now();
    await page.goto(`/customers/${id}`);
    await page.getByRole('heading', { level: 1, name: names.get(id) }).waitFor();
    try {
      // The timeline has settled: its first contact, or the statement that there is none.
      const timeline = page.getByRole('region', { name: 'Interaction timeline' });
      await timeline.getByRole('listitem').or(timeline.getByText('No contact recorded yet')).first().waitFor({ timeout: 30_000 });
    } catch (err) {
      await page.screenshot({ path: path.join(WEB_DIST, '..', '..', 'tmp', 'bench-360-timeout.png') });
      throw err;
    }
    if (k > 0) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { pages: times.length, p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), max: round(times[times.length - 1]) };
}

const dir = dirArg ?? tempDir('rapport-bench-360-');
fs.mkdirSync(dir, { recursive: true });
const db = await openDatabase({ dataDir: dir });
await migrate(db);
const seeded = await seed(db);
const [{ customers, records, accounts, interactions }] = await db.query<{ customers: number; records: number; accounts: number; interactions: number }>(
  `SELECT (SELECT count(*) FROM golden_customers)::int AS customers, (SELECT count(*) FROM source_records)::int AS records,
          (SELECT count(*) FROM accounts)::int AS accounts, (SELECT count(*) FROM interactions)::int AS interactions`,
);

const app = await buildServer({ db, rateLimitPerMinute: 100_000_000, webDir: fs.existsSync(WEB_DIST) ? WEB_DIST : undefined });
const admin = await app.services.access.createUser(T, { email: `bench-${Date.now()}@example.org`, displayName: 'Bench', role: 'admin' });
const adminKey = await app.services.access.createApiKey(systemActor(T), admin.id, 'bench');
const [cards] = await db.query<{ id: string }>("SELECT id FROM divisions WHERE tenant_id = $1 AND name = 'Cards'", [T]);
const manager = await app.services.access.createUser(T, { email: `bench-cards-${Date.now()}@example.org`, displayName: 'Bench Cards', role: 'manager', divisionIds: [cards.id] });
const managerKey = await app.services.access.createApiKey(systemActor(T), manager.id, 'bench');
const ourUrl = await app.listen({ port: 0, host: '127.0.0.1' });

const bare = Fastify();
bare.get('/c/:id', async (req) => {
  const id = (req.params as { id: string }).id;
  const [customer, recs, accts, timeline] = await Promise.all([
    db.query('SELECT * FROM golden_customers WHERE tenant_id = $1 AND id = $2', [T, id]),
    db.query('SELECT r.*, l.method, l.match_probability FROM customer_links l JOIN source_records r ON r.tenant_id = l.tenant_id AND r.id = l.source_record_id WHERE l.tenant_id = $1 AND l.customer_id = $2', [T, id]),
    db.query('SELECT a.*, p.name, p.category FROM customer_links l JOIN accounts a ON a.tenant_id = l.tenant_id AND a.source_record_id = l.source_record_id JOIN products p ON p.tenant_id = a.tenant_id AND p.id = a.product_id WHERE l.tenant_id = $1 AND l.customer_id = $2', [T, id]),
    db.query('SELECT i.* FROM customer_links l JOIN interactions i ON i.tenant_id = l.tenant_id AND i.source_record_id = l.source_record_id WHERE l.tenant_id = $1 AND l.customer_id = $2 ORDER BY i.occurred_at DESC, i.id DESC LIMIT 21', [T, id]),
  ]);
  return { customer: customer[0], records: recs, accounts: accts, timeline };
});
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

const rand = prng(360);
const sample = async (where: string, params: unknown[], count: number) => {
  // Random customers: the first id at or after a random point of the id space (an OFFSET would scan).
  const ids: string[] = [];
  while (ids.length < count) {
    const [row] = await db.query<{ id: string }>(`SELECT id FROM golden_customers WHERE tenant_id = $1 AND id >= $2::uuid ${where} ORDER BY id LIMIT 1`, [T, pivot(rand()), ...params]);
    if (row) ids.push(row.id);
  }
  return ids;
};
const [{ lo, hi }] = await db.query<{ lo: string; hi: string }>(
  `SELECT (SELECT id::text FROM golden_customers WHERE tenant_id = $1 ORDER BY id LIMIT 1) AS lo, (SELECT id::text FROM golden_customers WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1) AS hi`,
  [T],
);
const loN = BigInt(`0x${lo.replace(/-/g, '')}`);
const hiN = BigInt(`0x${hi.replace(/-/g, '')}`);
function pivot(x: number): string {
  const v = loN + ((hiN - loN) * BigInt(Math.floor(x * 1e9))) / 1_000_000_000n;
  const h = v.toString(16).padStart(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const anyIds = await sample('', [], SAMPLES);
const cardIds = await sample('AND $3::uuid = ANY(division_ids)', [cards.id], SAMPLES);
const path360 = (id: string) => `/api/v1/customers/${id}/360`;
const adminHeaders = { authorization: `Bearer ${adminKey.secret}` };

// Warm-up: the first requests pay for plan caching and cold pages, as the first user of the morning would.
await serial(ourUrl, adminHeaders, anyIds.slice(0, 20).map(path360));

const out = {
  benchmark: 'customer360',
  engine: db.engine,
  people: N,
  rows: { customers, records, accounts, interactions },
  seed: seeded,
  latencyMs: {
    admin: await serial(ourUrl, adminHeaders, anyIds.map(path360)),
    cardsManager: await serial(ourUrl, { authorization: `Bearer ${managerKey.secret}` }, cardIds.map(path360)),
    bareSameReads: await serial(bareUrl, {}, anyIds.map((id) => `/c/${id}`)),
  },
  throughput: {
    rapport: await throughput(ourUrl, adminHeaders, anyIds.map(path360)),
    bare: await throughput(bareUrl, {}, anyIds.map((id) => `/c/${id}`)),
  },
  // A failed browser run must not lose the API figures measured above.
  webCustomerPageMs: await webPage(ourUrl, anyIds.slice(0, 20), { email: 'admin@demo.rapport', password: 'rapport-demo-2024' }).catch((err: unknown) => ({ error: String(err).split('\n')[0] })),
  peakRssMiB: peakRssMiB(),
  dataDir: dirArg ? dir : '(temporary)',
};
console.log(JSON.stringify({ ...out, throughputRatioVsBare: round(out.throughput.rapport.requestsPerSec / out.throughput.bare.requestsPerSec, 3) }, null, 2));
await app.close();
await bare.close();
await db.close();
if (!dirArg) fs.rmSync(dir, { recursive: true, force: true });
