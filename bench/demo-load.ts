/**
 * Generates and loads the demo bank (default 1,000,000 customers) into PGlite on disk, and compares its speed with
 * a plain COPY of the very same CSV bytes into bare tables (same columns, no indexes, no constraints) in the same
 * run: the ratio is our whole overhead (generation, normalisation, hashing, indexes, key checks) over the
 * engine's raw load speed. Memory must stay bounded: peak RSS is reported.
 *   npx tsx bench/demo-load.ts [--customers=1000000] [--seed=1] [--batch=50000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openDatabase } from '../src/core/db/engine.js';
import { BULK_TABLES, COLUMNS, loadDemoBank, type BulkTable } from '../src/modules/demo/loader.js';
import { arg, peakRssMiB, round, tempDir } from './lib.js';

const CUSTOMERS = arg('customers', 1_000_000);
const SEED = arg('seed', 1);
const BATCH = arg('batch', 50_000);
const AS_OF = '2025-06-30';
const CHUNK_BYTES = 16 * 1024 * 1024;

const log = (msg: string) => process.stderr.write(`[demo-load] ${msg}\n`);

function dirMiB(dir: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return round(bytes / 1024 / 1024, 0);
}

/** Reads a CSV file in ~16 MiB pieces cut at line ends (the demo's fields never contain a raw newline). */
function* chunks(file: string): Generator<string> {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(CHUNK_BYTES);
  let carry = '';
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      const text = carry + buf.toString('utf8', 0, n);
      const cut = text.lastIndexOf('\n') + 1;
      carry = text.slice(cut);
      if (cut) yield text.slice(0, cut);
    }
    if (carry) yield carry;
  } finally {
    fs.closeSync(fd);
  }
}

async function main() {
  const work = tempDir('rapport-demo-load-');
  const dataDir = path.join(work, 'pglite');
  const csvDir = path.join(work, 'csv');
  fs.mkdirSync(csvDir);
  const loadBefore = os.loadavg()[0];
  try {
    const db = await openDatabase({ dataDir });
    await migrate(db);

    // Tee every COPY batch to a file (timed apart, so it is not charged to the load) for the baseline.
    const copySeconds: Record<string, number> = {};
    let teeMs = 0;
    const copy = db.copyCsv.bind(db);
    db.copyCsv = async (table, columns, csv) => {
      const t0 = performance.now();
      await copy(table, columns, csv);
      const t1 = performance.now();
      copySeconds[table] = (copySeconds[table] ?? 0) + (t1 - t0) / 1000;
      fs.appendFileSync(path.join(csvDir, `${table}.csv`), csv);
      teeMs += performance.now() - t1;
    };

    let lastLog = 0;
    const t0 = performance.now();
    const summary = await loadDemoBank(db, {
      customers: CUSTOMERS, seed: SEED, asOf: AS_OF, batchRows: BATCH,
      onProgress: (p) => {
        if (performance.now() - lastLog < 10_000) return;
        lastLog = performance.now();
        log(`${p.customers.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} customers, ${p.rows.toLocaleString('en-US')} rows, ${round((performance.now() - t0) / 1000, 0)} s, rss ${round(process.memoryUsage().rss / 1048576, 0)} MiB`);
      },
    });
    const demoLoadSeconds = summary.seconds.load - teeMs / 1000;
    const demoCopySeconds = Object.values(copySeconds).reduce((a, b) => a + b, 0);
    log(`demo loaded in ${round(demoLoadSeconds, 1)} s; now the bare COPY baseline`);

    const bare: Record<string, { rows: number; seconds: number }> = {};
    for (const table of BULK_TABLES) {
      const target = `bare_${table}`;
      // Same column names and types (and defaults, for the columns the demo leaves to them); no keys, no indexes.
      await db.query(`CREATE TABLE ${target} (LIKE ${table} INCLUDING DEFAULTS)`);
      let seconds = 0;
      for (const csv of chunks(path.join(csvDir, `${table}.csv`))) {
        const s0 = performance.now();
        await copy(target, COLUMNS[table as BulkTable], csv);
        seconds += (performance.now() - s0) / 1000;
      }
      const [{ n }] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${target}`);
      bare[table] = { rows: n, seconds: round(seconds, 2) };
    }
    const baselineSeconds = Object.values(bare).reduce((a, b) => a + b.seconds, 0);
    const baselineRows = Object.values(bare).reduce((a, b) => a + b.rows, 0);
    if (baselineRows !== summary.totalRows) throw new Error(`baseline copied ${baselineRows} rows, the demo ${summary.totalRows}`);
    const csvMiB = dirMiB(csvDir);
    await db.close();

    const demoRowsPerSecond = summary.totalRows / demoLoadSeconds;
    const baselineRowsPerSecond = baselineRows / baselineSeconds;
    const result = {
      benchmark: 'demo-load',
      engine: 'pglite (on disk)',
      customers: summary.customers,
      seed: SEED,
      batchRows: BATCH,
      rows: summary.rows,
      totalRows: summary.totalRows,
      demo: {
        setupSeconds: summary.seconds.setup,
        loadSeconds: round(demoLoadSeconds, 1),
        rowsPerSecond: Math.round(demoRowsPerSecond),
        /** Time inside COPY, per table. */
        copySeconds: Object.fromEntries(Object.entries(copySeconds).map(([k, v]) => [k, round(v, 1)])),
        /** Rebuilding deferred indexes, verifying foreign keys, ANALYZE. */
        finishSeconds: summary.seconds.finish,
        /** Waiting for the generator (worker) to hand over the next batch: generation not hidden behind COPY. */
        waitSeconds: round(demoLoadSeconds - demoCopySeconds - summary.seconds.finish, 1),
      },
      baseline: {
        what: 'COPY of the same CSV bytes into bare tables (LIKE … INCLUDING DEFAULTS: no indexes, keys or constraints beyond NOT NULL)',
        seconds: round(baselineSeconds, 1),
        rowsPerSecond: Math.round(baselineRowsPerSecond),
        perTable: bare,
      },
      /** Our rows/s as a fraction of the bare engine's; 1 would mean no overhead at all. */
      ratioToBareCopy: round(demoRowsPerSecond / baselineRowsPerSecond, 3),
      peakRssMiB: peakRssMiB(),
      csvMiB,
      dataDirMiB: dirMiB(dataDir),
      machine: { cpus: os.cpus().length, loadAverage1mBefore: round(loadBefore, 1), loadAverage1mAfter: round(os.loadavg()[0], 1), node: process.version },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
