/**
 * The neglect-alarm job and the SLA check at scale on PGlite: N customers (default 1,000,000) and M cases
 * (default 1,000,000, a share of them open), while the API keeps answering. Reports the time of each job,
 * the same run's baselines (a bare keyset read of the same rows, no computation and no writes), and API
 * latency idle and during each job (serial requests to /cases and /customers/:id against the same database).
 *   npx tsx bench/service-alarms.ts [--customers=1000000] [--cases=1000000] [--open=0.2] [--dir=/path/to/keep/the/data]
 * With --dir the seeded database is kept and reused by the next run with the same --dir (jobs then start from
 * the state the previous run left: run without --dir for the reported numbers).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openDatabase, type Database } from '../src/core/db/engine.js';
import { buildServer } from '../src/api/server.js';
import { systemActor } from '../src/core/actor.js';
import { DEFAULT_TENANT, newId } from '../src/core/ids.js';
import { defaultPolicy } from '../src/modules/service/sla/policy.js';
import type { CustomerValueLookup, ValueTier, ValueTrend } from '../src/modules/service/value.js';
import { arg, peakRssMiB, percentile, pick, prng, round, tempDir } from './lib.js';

const N = arg('customers', 1_000_000);
const M = arg('cases', 1_000_000);
const OPEN_SHARE = arg('open', 0.2);
const T = DEFAULT_TENANT;
const DAY = 86_400_000;
const NOW = Date.now();

const DIVISIONS = [
  { code: 'MTG', name: 'Mortgages', products: [['MTG-30', '30-year mortgage', 'mortgage'], ['HELOC', 'Home equity line', 'loan']] },
  { code: 'CARDS', name: 'Cards', products: [['CARD-CLASSIC', 'Classic Card', 'card'], ['CARD-GOLD', 'Gold Card', 'card']] },
  { code: 'EVERYDAY', name: 'Everyday Banking', products: [['CHECKING', 'Checking account', 'deposit'], ['DEBIT', 'Debit card', 'card']] },
  { code: 'WEALTH', name: 'Wealth', products: [['MANAGED', 'Managed portfolio', 'investment'], ['SAVINGS', 'Savings account', 'deposit']] },
  { code: 'INS', name: 'Insurance', products: [['HOME', 'Home insurance', 'insurance'], ['AUTO', 'Auto insurance', 'insurance']] },
] as const;
const TOUCH = ['branch', 'call_centre', 'web', 'email', 'mail', 'mobile', 'chat'] as const;
const KINDS = ['complaint', 'request', 'request', 'incident', 'question', 'question'] as const;
const PRIORITY = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'] as const;

/** Tiers and trends derived from the id's random bits: 1 % top1, 4 % top5, 15 % top20; 10 % with a trend. */
const bucket = (id: string) => parseInt(id.slice(-6), 16) % 1000;
const tierOf = (id: string): ValueTier => {
  const b = bucket(id);
  return b < 10 ? 'top1' : b < 50 ? 'top5' : b < 200 ? 'top20' : 'rest';
};
const lookup: CustomerValueLookup = {
  async tierOf(_t, ids) {
    return new Map(ids.map((id) => [id, tierOf(id)]));
  },
  async trendsOf(_t, ids) {
    const out = new Map<string, ValueTrend>();
    for (const id of ids) {
      const b = parseInt(id.slice(-9, -6), 16) % 100;
      if (b < 10) out.set(id, { pAlive: b / 20, pAlivePrevious: 0.6 + b / 40, spend: 100 + b * 10, spendPrevious: 400 });
    }
    return out;
  },
};

const csvField = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`);
const line = (...vs: unknown[]) => `${vs.map(csvField).join(',')}\n`;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

async function copyInBatches(db: Database, table: string, columns: string[], total: number, row: (i: number) => string, batch = 100_000) {
  for (let start = 0; start < total; start += batch) {
    let csv = '';
    for (let i = start; i < Math.min(total, start + batch); i++) csv += row(i);
    if (csv) await db.copyCsv(table, columns, csv);
  }
}

async function seed(db: Database) {
  const rand = prng(2024);
  const t0 = performance.now();
  // Consistent by construction: foreign keys are not checked row by row during COPY (PGlite is a superuser).
  await db.query('SET session_replication_role = replica');
  const divisionIds: string[] = [];
  const systemIds: string[] = [];
  const products: { id: string; division: number; category: string }[] = [];
  let d = 0;
  for (const div of DIVISIONS) {
    const id = newId();
    const sys = newId();
    divisionIds.push(id);
    systemIds.push(sys);
    await db.query('INSERT INTO divisions (tenant_id, id, code, name) VALUES ($1, $2, $3, $4)', [T, id, div.code, div.name]);
    await db.query('INSERT INTO source_systems (tenant_id, id, division_id, code, name) VALUES ($1, $2, $3, $4, $4)', [T, sys, id, `${div.code}-SYS`]);
    for (const [code, name, category] of div.products) {
      const pid = newId();
      products.push({ id: pid, division: d, category });
      await db.query('INSERT INTO products (tenant_id, id, division_id, code, name, category) VALUES ($1, $2, $3, $4, $5, $6)', [T, pid, id, code, name, category]);
    }
    d += 1;
  }
  const staff: string[] = [];
  for (let i = 0; i < 50; i++) {
    const id = newId();
    const division = divisionIds[i % DIVISIONS.length];
    staff.push(id);
    await db.query('INSERT INTO users (tenant_id, id, email, display_name, role, division_ids, seniority) VALUES ($1, $2, $3, $4, $5, $6, $7)', [T, id, `staff${i}@bench.test`, `Staff ${i}`, i < 5 ? 'manager' : 'agent', [division], 1 + (i % 5)]);
  }

  const customers = Array.from({ length: N }, () => newId());
  const records = Array.from({ length: N }, () => newId());
  const home = Array.from({ length: N }, () => Math.floor(rand() * DIVISIONS.length));
  await copyInBatches(db, 'golden_customers', ['tenant_id', 'id', 'display_name', 'search_name', 'division_ids', 'source_record_count'], N, (i) => line(T, customers[i], `Customer ${i}`, `customer ${i}`, `{${divisionIds[home[i]]}}`, 1));
  await copyInBatches(db, 'source_records', ['tenant_id', 'id', 'source_system_id', 'external_id', 'search_name'], N, (i) => line(T, records[i], systemIds[home[i]], `X${i}`, `customer ${i}`));
  await copyInBatches(db, 'customer_links', ['tenant_id', 'source_record_id', 'customer_id', 'method'], N, (i) => line(T, records[i], customers[i], 'seed'));

  // One open product each; 5 % are also being offered a product of a category they already hold (an offer conflict).
  const cols = ['tenant_id', 'id', 'source_record_id', 'product_id', 'division_id', 'account_number', 'status', 'opened_on'];
  await copyInBatches(db, 'accounts', cols, N, (i) => {
    const p = products[home[i] * 2];
    let out = line(T, newId(), records[i], p.id, divisionIds[home[i]], `A${i}`, 'open', isoDay(NOW - Math.floor(rand() * 3000) * DAY));
    if (i % 20 === 0) {
      const offer = products.find((x) => x.category === p.category && x.id !== p.id);
      if (offer) out += line(T, newId(), records[i], offer.id, divisionIds[offer.division], `O${i}`, 'offered', null);
    }
    return out;
  });
  // 30 % have a recorded contact in the last 200 days (some are mailings, which do not count as attention).
  const withContact = Math.floor(N * 0.3);
  await copyInBatches(db, 'interactions', ['tenant_id', 'id', 'source_record_id', 'division_id', 'touch_point', 'direction', 'occurred_at', 'subject'], withContact, (k) => {
    const i = Math.floor((k / withContact) * N);
    return line(T, newId(), records[i], divisionIds[home[i]], pick(rand, TOUCH), rand() < 0.6 ? 'inbound' : 'outbound', new Date(NOW - Math.floor(rand() * 200 * DAY)).toISOString(), 'Contact');
  });

  // Cases: closed history over three years; the open share opened in the last 30 days and never checked (a fresh import).
  const caseCols = ['tenant_id', 'id', 'customer_id', 'kind', 'subject', 'division_id', 'touch_point', 'priority', 'status', 'owner_user_id', 'queue_division_id', 'value_tier', 'sla', 'opened_at', 'first_responded_at', 'resolved_at', 'closed_at', 'waiting_pauses', 'first_response_state', 'resolution_state', 'sla_next_check_at', 'root_cause'];
  const openCount = Math.floor(M * OPEN_SHARE);
  await copyInBatches(db, 'cases', caseCols, M, (k) => {
    const i = Math.floor(rand() * N);
    const kind = pick(rand, KINDS);
    const priority = pick(rand, PRIORITY);
    const tier = tierOf(customers[i]);
    const p = defaultPolicy({ kind, priority, tier });
    const sla = JSON.stringify({ policyId: null, name: p.name, firstResponseMinutes: p.firstResponseMinutes, resolutionMinutes: p.resolutionMinutes, warnAtFraction: p.warnAtFraction, escalation: p.escalation, calendarId: null });
    const owner = rand() < 0.7 ? staff[5 + Math.floor(rand() * 45)] : null;
    if (k < openCount) {
      const opened = NOW - Math.floor(rand() * 30 * DAY);
      const r = rand();
      const status = r < 0.5 ? 'open' : r < 0.85 ? 'in_progress' : 'waiting_on_customer';
      const responded = status === 'open' ? null : new Date(opened + 30 * 60_000).toISOString();
      const pauses = status === 'waiting_on_customer' ? JSON.stringify([{ from: new Date(opened + 3600_000).toISOString(), to: null }]) : '[]';
      return line(T, newId(), customers[i], kind, 'Open case', divisionIds[home[i]], pick(rand, TOUCH), priority, status, owner, owner ? null : divisionIds[home[i]], tier, sla, new Date(opened).toISOString(), responded, null, null, pauses, 'running', 'running', new Date(opened).toISOString(), null);
    }
    const opened = NOW - 30 * DAY - Math.floor(rand() * 1065 * DAY);
    return line(T, newId(), customers[i], kind, 'Past case', divisionIds[home[i]], pick(rand, TOUCH), priority, 'closed', owner ?? staff[5], null, tier, sla, new Date(opened).toISOString(), new Date(opened + 3600_000).toISOString(), new Date(opened + 2 * DAY).toISOString(), new Date(opened + 3 * DAY).toISOString(), '[]', 'met', 'met', null, 'process');
  });
  await db.query('SET session_replication_role = origin');
  for (const table of ['golden_customers', 'source_records', 'customer_links', 'accounts', 'interactions', 'cases']) await db.query(`ANALYZE ${table}`);
  return { customers, seedSeconds: round((performance.now() - t0) / 1000), openCases: openCount };
}

/** Serial requests until `until` resolves; latency of each (ms). */
async function probe(url: string, headers: Record<string, string>, paths: string[], until: Promise<unknown>) {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const times: number[] = [];
  let k = 0;
  while (!done) {
    const t = performance.now();
    const res = await fetch(url + paths[k++ % paths.length], { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${res.status} for ${paths[(k - 1) % paths.length]}`);
    times.push(performance.now() - t);
  }
  return summarise(times);
}
function summarise(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { requests: sorted.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted.at(-1) ?? NaN) };
}
async function idle(url: string, headers: Record<string, string>, paths: string[], count = 300) {
  const times: number[] = [];
  for (let k = 0; k < count; k++) {
    const t = performance.now();
    const res = await fetch(url + paths[k % paths.length], { headers });
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  return summarise(times);
}

/** Wall time, and CPU time of this process (PGlite runs in it, so that includes the database's work). */
async function timed<R>(fn: () => Promise<R>) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  return { seconds: round((performance.now() - t) / 1000), cpuSeconds: round((used.user + used.system) / 1e6), result };
}

const keep = process.argv.find((a) => a.startsWith('--dir='))?.slice(6);
const dir = keep ?? tempDir('rapport-bench-service-');
const marker = path.join(dir, 'seeded.json');
const db = await openDatabase({ dataDir: dir });
await migrate(db);
const seeded = keep && fs.existsSync(marker)
  ? { ...(JSON.parse(fs.readFileSync(marker, 'utf8')) as { seedSeconds: number; openCases: number }), customers: (await db.query<{ id: string }>('SELECT id FROM golden_customers ORDER BY id LIMIT 20')).map((r) => r.id) }
  : await seed(db);
if (keep) fs.writeFileSync(marker, JSON.stringify({ seedSeconds: seeded.seedSeconds, openCases: seeded.openCases }));
if (process.argv.includes('--seed-only')) {
  console.log(JSON.stringify({ dir, seedSeconds: seeded.seedSeconds }));
  await db.close();
  process.exit(0);
}
const app = await buildServer({ db, rateLimitPerMinute: 100_000_000 });
const service = app.services.service;
service.useValueLookup(lookup);
const admin = await app.services.access.createUser(T, { email: 'bench@example.org', displayName: 'Bench', role: 'admin' });
const key = await app.services.access.createApiKey(systemActor(T), admin.id, 'bench');
const url = await app.listen({ port: 0, host: '127.0.0.1' });
const headers = { authorization: `Bearer ${key.secret}` };
const paths = [...seeded.customers.filter((_, i) => i % Math.max(1, Math.floor(seeded.customers.length / 20)) === 0).map((id) => `/api/v1/customers/${id}`), '/api/v1/cases?limit=20', '/api/v1/cases?open=true&limit=20'];

const apiIdle = await idle(url, headers, paths);

// Baselines: the same keyset reads the jobs make, with nothing computed and nothing written.
const slaBaseline = await timed(async () => {
  const now = new Date().toISOString();
  let after: { at: string; id: string } | null = null;
  let rows = 0;
  for (;;) {
    const chunk: { id: string; at: Date }[] = await db.query(
      `SELECT id, sla_next_check_at AS at, status, priority, sla, opened_at, first_responded_at, resolved_at, waiting_pauses, resolved_pauses, first_response_state, resolution_state
         FROM cases WHERE tenant_id = $1 AND sla_next_check_at <= $2 ${after ? 'AND (sla_next_check_at, id) > ($3::timestamptz, $4::uuid)' : ''} ORDER BY sla_next_check_at, id LIMIT 5000`,
      after ? [T, now, after.at, after.id] : [T, now],
    );
    rows += chunk.length;
    if (chunk.length < 5000) break;
    const last = chunk[chunk.length - 1];
    after = { at: new Date(last.at).toISOString(), id: last.id };
  }
  return rows;
});
const alarmBaseline = await timed(async () => {
  let after = '00000000-0000-0000-0000-000000000000';
  let rows = 0;
  for (;;) {
    const ids = await db.query<{ id: string }>(`SELECT id FROM golden_customers WHERE tenant_id = $1 AND status = 'active' AND id > $2 ORDER BY id LIMIT 10000`, [T, after]);
    rows += ids.length;
    if (!ids.length) break;
    after = ids[ids.length - 1].id;
  }
  return rows;
});

const slaRun = service.sla.run(T);
const [slaApi, slaBacklog] = await Promise.all([probe(url, headers, paths, slaRun), timed(() => slaRun)]);
const slaSteady = await timed(() => service.sla.run(T));
const fullRun = service.sla.run(T, { full: true });
const [fullApi, slaFull] = await Promise.all([probe(url, headers, paths, fullRun), timed(() => fullRun)]);
const alarmRun = service.alarms.run(T);
const [alarmApi, alarms] = await Promise.all([probe(url, headers, paths, alarmRun), timed(() => alarmRun)]);
const alarmsAgain = await timed(() => service.alarms.run(T));

console.log(
  JSON.stringify(
    {
      benchmark: 'service-alarms',
      engine: db.engine,
      customers: N,
      cases: M,
      openCases: seeded.openCases,
      seedSeconds: seeded.seedSeconds,
      slaCheck: {
        backlog: { seconds: slaBacklog.seconds, cpuSeconds: slaBacklog.cpuSeconds, ...slaBacklog.result },
        steadyState: { seconds: slaSteady.seconds, cpuSeconds: slaSteady.cpuSeconds, examined: slaSteady.result.examined },
        fullReread: { seconds: slaFull.seconds, cpuSeconds: slaFull.cpuSeconds, examined: slaFull.result.examined, changed: slaFull.result.changed, phases: slaFull.result.phases },
        baselineBareReadOfDueRows: { seconds: slaBaseline.seconds, rows: slaBaseline.result },
      },
      alarms: {
        firstRun: { seconds: alarms.seconds, cpuSeconds: alarms.cpuSeconds, ...alarms.result },
        secondRun: { seconds: alarmsAgain.seconds, cpuSeconds: alarmsAgain.cpuSeconds, newAlarms: alarmsAgain.result.newAlarms, resolved: alarmsAgain.result.resolved },
        baselineBareIdScan: { seconds: alarmBaseline.seconds, rows: alarmBaseline.result },
      },
      apiLatencyMs: { idle: apiIdle, duringSlaBacklog: slaApi, duringSlaFullReread: fullApi, duringAlarms: alarmApi },
      peakRssMiB: peakRssMiB(),
      loadAverage: os.loadavg().map((x) => round(x, 1)),
    },
    null,
    2,
  ),
);
await app.close();
await db.close();
if (!keep) fs.rmSync(dir, { recursive: true, force: true });
