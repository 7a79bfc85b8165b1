/**
 * Economics through the database, on the demo bank: generate its transactions, score every golden customer
 * (fits and scores in worker threads), and measure what a reader of the API sees meanwhile: event-loop delay and
 * the latency of one customer's economics read, polled during the run. Baseline in the same run: the same fits
 * and scores on the main thread (what the workers keep off it), with the event-loop delay that causes.
 *
 *   npx tsx bench/economics-db.ts [--customers=10000] [--seed=7] [--data-dir=PATH]
 *
 * PGlite on disk in a fresh temporary directory (as `rapport demo` runs: PGlite's in-memory file system slows down
 * as a table grows inside one transaction), in memory with --data-dir=memory://, or the PostgreSQL server named by
 * DATABASE_URL. Prints JSON.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createServices } from '../src/api/services.js';
import { systemActor } from '../src/core/actor.js';
import { migrate, openDatabase } from '../src/core/db/engine.js';
import { DEFAULT_TENANT } from '../src/core/ids.js';
import { loadDemoBank } from '../src/modules/demo/loader.js';
import { fitEconomics, scoreBook } from '../src/modules/economics/analysis.js';
import { DEMO_ECONOMICS_SETTINGS, loadDemoTransactions } from '../src/modules/economics/demoTransactions.js';
import { eventLog, scopeKeys } from '../src/modules/economics/reads.js';
import { buildSummary } from '../src/modules/economics/summary.js';
import { arg, peakRssMiB, percentile, round, tempDir } from './lib.js';

const customers = arg('customers', 10_000);
const seed = arg('seed', 7);
const asOf = '2026-11-24';
const admin = systemActor(DEFAULT_TENANT);
const secs = (ms: number) => round(ms / 1000, 2);

const dataDirArg = process.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
const dataDir = dataDirArg ?? tempDir('rapport-econ-bench-');
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir });
await migrate(db);
const services = createServices(db);
const t0 = performance.now();
await loadDemoBank(db, { customers, seed, asOf });
const t1 = performance.now();
const resolution = await services.resolution.run(admin, { full: true });
const t2 = performance.now();
const tx = await loadDemoTransactions(db, DEFAULT_TENANT, { asOf });
const t3 = performance.now();
await services.economics.updateSettings(admin, DEMO_ECONOMICS_SETTINGS);
const [probe] = await db.query<{ id: string }>(`SELECT id::text AS id FROM golden_customers WHERE tenant_id = $1 LIMIT 1`, [DEFAULT_TENANT]);

/** Event-loop delay and read latency while `work` runs. */
async function observe<T>(work: () => Promise<T>) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const latencies: number[] = [];
  let running = true;
  // A reader who wants one customer's economics every 50 ms: latency counts from when the read was due, so time the
  // event loop spent blocked before the read could even start is included.
  const poll = (async () => {
    let due = performance.now();
    while (running) {
      await services.economics.ofCustomer(admin, probe.id).catch(() => null);
      latencies.push(performance.now() - due);
      due += 50;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else due = performance.now();
    }
  })();
  delay.enable();
  const cpu = process.cpuUsage();
  const s = performance.now();
  const result = await work();
  const wall = performance.now() - s;
  // One more turn of the loop, so that a block at the very end of `work` is sampled too.
  await new Promise((r) => setTimeout(r, 20));
  const used = process.cpuUsage(cpu);
  delay.disable();
  running = false;
  await poll;
  latencies.sort((a, b) => a - b);
  return {
    result,
    wallSeconds: secs(wall),
    mainThreadCpuSeconds: secs((used.user + used.system) / 1000),
    eventLoopDelayMs: { p50: round(delay.percentile(50) / 1e6, 1), p99: round(delay.percentile(99) / 1e6, 1), max: round(delay.max / 1e6, 1) },
    readLatencyMs: { reads: latencies.length, p50: round(percentile(latencies, 50), 1), p95: round(percentile(latencies, 95), 1), max: round(latencies.at(-1) ?? NaN, 1) },
  };
}

const run = await observe(() => services.economics.score(admin, { asOf }));

// Baseline: the same fits and scores on the main thread.
const settings = await services.economics.settings(DEFAULT_TENANT);
const golden = { kind: 'golden' } as const;
const summary = buildSummary(await eventLog(db, DEFAULT_TENANT, golden, await scopeKeys(db, DEFAULT_TENANT, golden), asOf, settings.eventKinds), { calibrationEnd: asOf, period: settings.period });
const inThread = await observe(async () => {
  const fits = fitEconomics(summary);
  return scoreBook(summary, fits, { margin: 0.5, annualDiscountRate: 0.1, horizon: (36 * 30.4375) / 7 }).scored.length;
});

console.log(
  JSON.stringify(
    {
      bench: 'economics-db',
      engine: db.engine,
      dataDir: db.engine === 'pglite' ? dataDir : null,
      demoPeople: customers,
      goldenCustomers: resolution.customers,
      transactions: tx.transactions,
      secondsDemoLoad: secs(t1 - t0),
      secondsResolution: secs(t2 - t1),
      secondsTransactions: secs(t3 - t2),
      transactionTimings: tx.timings,
      scoreRun: {
        seconds: run.result.seconds,
        timings: run.result.timings,
        scored: run.result.scored,
        withoutPurchases: run.result.withoutPurchases,
        tiers: run.result.tiers,
        purchaseFit: run.result.fits.purchase,
        wallSeconds: run.wallSeconds,
        mainThreadCpuSeconds: run.mainThreadCpuSeconds,
        eventLoopDelayMs: run.eventLoopDelayMs,
        readLatencyMs: run.readLatencyMs,
      },
      baselineFitAndScoreOnMainThread: { customers: inThread.result, wallSeconds: inThread.wallSeconds, eventLoopDelayMs: inThread.eventLoopDelayMs, readLatencyMs: inThread.readLatencyMs },
      peakRssMiB: peakRssMiB(),
    },
    null,
    2,
  ),
);
await db.close();
