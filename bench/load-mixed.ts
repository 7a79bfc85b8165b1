/**
 * A mixed read/write load on loopback (issue 9): the real server on a resolved demo bank, N concurrent
 * connections for S seconds, each request drawn from a staff member's working mix: customer reads, list pages,
 * name searches and 360 views (80 %), recording contacts and opening cases (20 %), through API keys of an
 * administrator and division staff. Reports errors (including any non-2xx), latency percentiles and throughput,
 * and a same-run baseline: a bare Fastify handler running the point read's SQL at the same concurrency.
 *
 *   npx tsx bench/load-mixed.ts [--people=5000] [--seconds=60] [--connections=16]
 */
import Fastify from 'fastify';
import autocannon from 'autocannon';
import { migrate, openDatabase } from '../src/core/db/engine.js';
import { buildServer } from '../src/api/server.js';
import { systemActor } from '../src/core/actor.js';
import { DEFAULT_TENANT } from '../src/core/ids.js';
import { loadDemoBank } from '../src/modules/demo/loader.js';
import { arg, peakRssMiB, pick, prng, round, tempDir } from './lib.js';

const PEOPLE = arg('people', 5000);
const SECONDS = arg('seconds', 60);
const CONNECTIONS = arg('connections', 16);
const T = DEFAULT_TENANT;

const db = await openDatabase({ dataDir: tempDir('rapport-bench-load-') });
await migrate(db);
const t0 = performance.now();
await loadDemoBank(db, { customers: PEOPLE, seed: 5, asOf: '2026-11-24' });
const app = await buildServer({ db, rateLimitPerMinute: 100_000_000 });
await app.services.resolution.run(systemActor(T), { full: true });
const setupSeconds = round((performance.now() - t0) / 1000);

// Staff of the demo bank: an administrator and division staff, each with an API key.
const staff = await db.query<{ id: string; role: string; division_ids: string[] }>(
  "SELECT id, role, division_ids FROM users WHERE tenant_id = $1 AND role IN ('admin', 'manager', 'agent') ORDER BY role, email",
  [T],
);
const keys: { header: string; divisions: string[] | null }[] = [];
for (const u of [staff.find((s) => s.role === 'admin')!, ...staff.filter((s) => s.role !== 'admin').slice(0, 6)]) {
  const key = await app.services.access.createApiKey(systemActor(T), u.id, 'load');
  keys.push({ header: `Bearer ${key.secret}`, divisions: u.role === 'admin' ? null : u.division_ids });
}

// What each key may touch: customers and source records of its divisions.
const records = await db.query<{ id: string; customer_id: string; division_id: string; family_name: string | null }>(
  `SELECT r.id, l.customer_id, s.division_id, r.family_name FROM source_records r
     JOIN customer_links l ON l.tenant_id = r.tenant_id AND l.source_record_id = r.id
     JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id
    WHERE r.tenant_id = $1 ORDER BY r.id`,
  [T],
);
const rand = prng(99);
const visible = (k: (typeof keys)[number]) => records.filter((r) => !k.divisions || k.divisions.includes(r.division_id));
const perKey = keys.map((k) => ({ ...k, records: visible(k) })).filter((k) => k.records.length > 0);
const names = records.map((r) => r.family_name).filter((n): n is string => !!n);

type Req = { method: 'GET' | 'POST'; path: string; body?: string; headers: Record<string, string>; kind: string };
function next(): Req {
  const k = pick(rand, perKey);
  const r = pick(rand, k.records);
  const headers: Record<string, string> = { authorization: k.header, 'content-type': 'application/json' };
  const x = rand();
  if (x < 0.3) return { kind: 'point', method: 'GET', path: `/api/v1/customers/${r.customer_id}`, headers };
  if (x < 0.45) return { kind: '360', method: 'GET', path: `/api/v1/customers/${r.customer_id}/360`, headers };
  if (x < 0.6) return { kind: 'search', method: 'GET', path: `/api/v1/customers?q=${encodeURIComponent(pick(rand, names))}&limit=20`, headers };
  if (x < 0.8) return { kind: 'list', method: 'GET', path: `/api/v1/customers?divisionId=${r.division_id}&limit=50`, headers };
  if (x < 0.95) {
    const body = { sourceRecordId: r.id, divisionId: r.division_id, touchPoint: pick(rand, ['branch', 'call_centre', 'web', 'email'] as const), direction: 'inbound', occurredAt: new Date().toISOString(), subject: 'Load test contact' };
    return { kind: 'contact', method: 'POST', path: '/api/v1/interactions', body: JSON.stringify(body), headers };
  }
  const body = { customerId: r.customer_id, kind: 'question', subject: 'Load test question', divisionId: r.division_id, touchPoint: 'web' };
  return { kind: 'case', method: 'POST', path: '/api/v1/cases', body: JSON.stringify(body), headers };
}

const url = await app.listen({ port: 0, host: '127.0.0.1' });
const mix: Record<string, number> = {};
const statuses: Record<string, number> = {};
const result = await autocannon({
  url,
  connections: CONNECTIONS,
  duration: SECONDS,
  requests: [
    {
      setupRequest: (req: Record<string, unknown>) => {
        const r = next();
        mix[r.kind] = (mix[r.kind] ?? 0) + 1;
        return { ...req, method: r.method, path: r.path, body: r.body, headers: r.headers };
      },
      onResponse: (status: number) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
      },
    },
  ],
});

const bare = Fastify();
bare.get('/c/:id', async (req) => (await db.query('SELECT * FROM golden_customers WHERE tenant_id = $1 AND id = $2', [T, (req.params as { id: string }).id]))[0]);
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
const ids = records.map((r) => r.customer_id);
let i = 0;
const baseline = await autocannon({ url: bareUrl, connections: CONNECTIONS, duration: Math.min(20, SECONDS), requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/c/${ids[i++ % ids.length]}` }) }] });

const latency = (r: autocannon.Result) => ({ p50: r.latency.p50, p90: r.latency.p90, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max });
console.log(
  JSON.stringify(
    {
      benchmark: 'load-mixed',
      engine: db.engine,
      people: PEOPLE,
      setupSeconds,
      seconds: SECONDS,
      connections: CONNECTIONS,
      keys: perKey.length,
      rapport: {
        requests: result.requests.total,
        requestsPerSec: round(result.requests.average),
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        statuses,
        mix,
        latencyMs: latency(result),
      },
      bareFastifyPointRead: { requestsPerSec: round(baseline.requests.average), errors: baseline.errors + baseline.non2xx, latencyMs: latency(baseline) },
      throughputRatioVsBare: round(result.requests.average / baseline.requests.average, 3),
      peakRssMiB: peakRssMiB(),
    },
    null,
    2,
  ),
);
await app.close();
await bare.close();
await db.close();
