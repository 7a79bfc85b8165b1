/**
 * Point read, filtered list page and name search at N golden customers (default 1,000,000) on PGlite:
 * latency p50/p95 through our API, and throughput as a ratio to a bare Fastify handler running the same SQL
 * on the same database in the same run.
 *   npx tsx bench/api-read.ts [--customers=1000000] [--seconds=10]
 */
import Fastify from 'fastify';
import autocannon from 'autocannon';
import { migrate, openDatabase } from '../src/core/db/engine.js';
import { buildServer } from '../src/api/server.js';
import { systemActor } from '../src/core/actor.js';
import { newId, DEFAULT_TENANT } from '../src/core/ids.js';
import { arg, peakRssMiB, percentile, pick, prng, round, tempDir } from './lib.js';

const N = arg('customers', 1_000_000);
const SECONDS = arg('seconds', 10);
const GIVEN = ['William', 'Mary', 'James', 'Patricia', 'Robert', 'Jennifer', 'John', 'Linda', 'Michael', 'Elizabeth', 'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Margaret', 'Bill', 'Peggy', 'Aisha', 'Wei', 'Olga', 'Carlos', 'Fatima', 'Kenji', 'Ingrid'];
const FAMILY = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Nakamura', 'Okafor', 'Kowalski', 'Novak', 'Haddad'];

async function seed(db: Awaited<ReturnType<typeof openDatabase>>) {
  const rand = prng(42);
  const divisions = Array.from({ length: 5 }, () => newId());
  const ids: string[] = [];
  const t0 = performance.now();
  const BATCH = 50_000;
  for (let start = 0; start < N; start += BATCH) {
    let csv = '';
    for (let i = start; i < Math.min(N, start + BATCH); i++) {
      const id = newId();
      if (i % 1000 === 0) ids.push(id);
      const given = pick(rand, GIVEN);
      const family = i % 7 === 0 ? `${pick(rand, FAMILY)}-${pick(rand, FAMILY)}` : pick(rand, FAMILY);
      const suffix = Math.floor(rand() * 100000);
      const display = `${given} ${family} ${suffix}`;
      const divs = `{${divisions.filter(() => rand() < 0.4).join(',') || divisions[0]}}`;
      csv += `${DEFAULT_TENANT},${id},${display},${display.toLowerCase()},${given},${family},"${divs}",${String(10000 + (i % 90000))}\n`;
    }
    await db.copyCsv('golden_customers', ['tenant_id', 'id', 'display_name', 'search_name', 'given_name', 'family_name', 'division_ids', 'postcode'], csv);
  }
  await db.query('ANALYZE golden_customers');
  return { ids, divisions, seedSeconds: round((performance.now() - t0) / 1000) };
}

async function run(url: string, headers: Record<string, string>, paths: string[]) {
  let i = 0;
  const result = await autocannon({
    url,
    connections: 8,
    duration: SECONDS,
    headers,
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  return { requestsPerSec: round(result.requests.average), p50: result.latency.p50, p95: result.latency.p97_5 ?? result.latency.p99, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** Latencies measured one request at a time (no queueing), for the p95 the issue targets. */
async function serial(url: string, headers: Record<string, string>, paths: string[], count = 400) {
  const times: number[] = [];
  for (let k = 0; k < count; k++) {
    const t = performance.now();
    const res = await fetch(url + paths[k % paths.length], { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${res.status} for ${paths[k % paths.length]}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
}

const dir = tempDir('rapport-bench-api-');
const db = await openDatabase({ dataDir: dir });
await migrate(db);
const { ids, divisions, seedSeconds } = await seed(db);

const app = await buildServer({ db, rateLimitPerMinute: 100_000_000 });
const admin = await app.services.access.createUser(DEFAULT_TENANT, { email: 'bench@example.org', displayName: 'Bench', role: 'admin' });
const key = await app.services.access.createApiKey(systemActor(DEFAULT_TENANT), admin.id, 'bench');
const ourUrl = await app.listen({ port: 0, host: '127.0.0.1' });
const headers = { authorization: `Bearer ${key.secret}` };

// The bare baseline: the same SQL the service issues, with no auth, validation, serialisation schema or scoping.
const bare = Fastify();
bare.get('/c/:id', async (req) => (await db.query('SELECT * FROM golden_customers WHERE tenant_id = $1 AND id = $2', [DEFAULT_TENANT, (req.params as { id: string }).id]))[0]);
bare.get('/list', async (req) => {
  const q = req.query as { d: string };
  return db.query("SELECT * FROM golden_customers WHERE tenant_id = $1 AND status = 'active' AND division_ids && $2::uuid[] ORDER BY display_name, id LIMIT 51", [DEFAULT_TENANT, `{${q.d}}`]);
});
bare.get('/search', async (req) => {
  const q = (req.query as { q: string }).q;
  return db.query("SELECT * FROM golden_customers WHERE tenant_id = $1 AND status = 'active' AND $2 <% search_name ORDER BY $2 <<-> search_name LIMIT 20", [DEFAULT_TENANT, q]);
});
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

const rand = prng(7);
const pointPaths = ids.map((id) => `/api/v1/customers/${id}`);
const listPaths = divisions.map((d) => `/api/v1/customers?divisionId=${d}&limit=50`);
const searchTerms = Array.from({ length: 50 }, () => `${pick(rand, GIVEN).toLowerCase()} ${pick(rand, FAMILY).toLowerCase()}`);
const searchPaths = searchTerms.map((q) => `/api/v1/customers?q=${encodeURIComponent(q)}&limit=20`);

const out = {
  benchmark: 'api-read',
  engine: db.engine,
  customers: N,
  seedSeconds,
  latencyMs: {
    pointRead: await serial(ourUrl, headers, pointPaths),
    listPage: await serial(ourUrl, headers, listPaths),
    nameSearch: await serial(ourUrl, headers, searchPaths),
  },
  throughput: {
    pointRead: { rapport: await run(ourUrl, headers, pointPaths), bare: await run(bareUrl, {}, ids.map((id) => `/c/${id}`)) },
    listPage: { rapport: await run(ourUrl, headers, listPaths), bare: await run(bareUrl, {}, divisions.map((d) => `/list?d=${d}`)) },
    nameSearch: { rapport: await run(ourUrl, headers, searchPaths), bare: await run(bareUrl, {}, searchTerms.map((q) => `/search?q=${encodeURIComponent(q)}`)) },
  },
  peakRssMiB: peakRssMiB(),
};
const ratios = Object.fromEntries(
  Object.entries(out.throughput).map(([k, v]) => [k, round(v.rapport.requestsPerSec / v.bare.requestsPerSec, 3)]),
);
console.log(JSON.stringify({ ...out, throughputRatioVsBare: ratios }, null, 2));
await app.close();
await bare.close();
await db.close();
