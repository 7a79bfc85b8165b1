/**
 * `rapport import` throughput on PGlite (a data directory on disk, as in production without a server):
 * a fresh import, a re-import of the same file (all unchanged) and one with 10 % of rows changed, against
 * two baselines measured in the same run on the same file: parsing it alone (csv-parse), and COPY of the same
 * rows into a clone of source_records with the same indexes (the engine's fastest write: no normalisation,
 * hashing or upsert).
 * While importing, a SELECT 1 every 50 ms stands in for an API request, and the event-loop delay histogram shows
 * the longest stretch the thread (shared by PGlite, the importer and every request) was busy.
 * Last, the validation pass alone reads a file of --memory-rows rows while the heap is sampled: it should stay flat.
 *   npx tsx bench/import.ts [--rows=200000] [--batch=1000] [--memory-rows=1000000]
 */
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parse } from 'csv-parse';
import { migrate, openDatabase, type Database } from '../src/core/db/engine.js';
import { systemActor } from '../src/core/actor.js';
import { DEFAULT_TENANT, newId } from '../src/core/ids.js';
import { OrgService } from '../src/modules/org/service.js';
import { kindAndMapping, type ImportKind } from '../src/modules/identity/import/kinds.js';
import { defaultBatchSize, runImport, type ImportSummary } from '../src/modules/identity/import/importer.js';
import { planTarget } from '../src/modules/identity/import/target.js';
import { arg, peakRssMiB, percentile, pick, prng, round, tempDir } from './lib.js';

const ROWS = arg('rows', 200_000);
const BATCH = arg('batch', 0);
const MEMORY_ROWS = arg('memory-rows', 1_000_000);
const GIVEN = ['William', 'Mary', 'James', 'Patricia', 'Robert', 'Jennifer', 'John', 'Linda', 'Michael', 'Elizabeth', 'Bill', 'Peggy', 'Aisha', 'Wei', 'Olga', 'Carlos', 'Fatima', 'Kenji', 'Zoë', 'Søren'];
const FAMILY = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'García', 'Miller', 'Davis', 'Jackson', "O'Brien", 'Lee', 'Nakamura', 'Okafor', 'Kowalski', 'Novak', 'Haddad'];
const STREETS = ['High St', 'Station Rd', 'George Street', 'Main Ave', 'Church Lane', 'Victoria Pde'];
const HEADER = 'customer_id,first_name,last_name,dob,email,phone,street,city,postcode,segment,notes';

function writeFile(file: string, changedEvery = 0, rows = ROWS) {
  const rand = prng(7);
  const out = fs.openSync(file, 'w');
  let buf = `${HEADER}\n`;
  for (let i = 0; i < rows; i++) {
    const given = pick(rand, GIVEN);
    const family = pick(rand, FAMILY);
    const y = 1940 + Math.floor(rand() * 60);
    const m = 1 + Math.floor(rand() * 12);
    const d = 1 + Math.floor(rand() * 28);
    const phone = `04${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
    const drawn = pick(rand, ['Sydney', 'Melbourne', 'Perth', 'Hobart', 'Darwin']);
    const city = changedEvery && i % changedEvery === 0 ? 'Moved Town' : drawn;
    const notes = rand() < 0.1 ? '"called about a loan, wants ""fixed"" rate"' : '';
    buf += `C${i},${given},"${family.replace(/"/g, '""')}",${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')},${given.toLowerCase()}.${i}@bigpond.net.au,${phone},${1 + Math.floor(rand() * 200)} ${pick(rand, STREETS)},${city},${2000 + Math.floor(rand() * 7000)},${pick(rand, ['gold', 'silver', 'bronze'])},${notes}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(out, buf);
      buf = '';
    }
  }
  fs.writeSync(out, buf);
  fs.closeSync(out);
}

const mappingInput = {
  columns: {
    customer_id: 'external_id',
    first_name: 'given_name',
    last_name: 'family_name',
    dob: 'date_of_birth',
    email: 'email',
    phone: 'phone',
    street: 'address_line1',
    city: 'locality',
    postcode: 'postcode',
    segment: { attribute: 'tier', transforms: ['upper'] },
  },
  constants: { country: 'AU' },
  dateFormats: ['YYYY-MM-DD'],
};

async function parseOnly(file: string) {
  const t0 = performance.now();
  let n = 0;
  for await (const _ of fs.createReadStream(file).pipe(parse({ from_line: 2, info: true, raw: true }))) n++;
  return { rows: n, seconds: round((performance.now() - t0) / 1000) };
}

/** COPY of the same rows into a clone of source_records with all its indexes: the engine's floor for storing them. */
async function copyBaseline(db: Database, file: string) {
  await db.query('CREATE TABLE bench_copy (LIKE source_records INCLUDING DEFAULTS INCLUDING INDEXES)');
  const columns = ['tenant_id', 'id', 'source_system_id', 'external_id', 'given_name', 'family_name', 'search_name', 'date_of_birth', 'email', 'phone', 'address_line1', 'locality', 'postcode'];
  const sourceId = newId();
  const t0 = performance.now();
  let chunk: string[] = [];
  const send = async () => {
    await db.copyCsv('bench_copy', columns, `${chunk.join('\n')}\n`);
    chunk = [];
  };
  for await (const rec of fs.createReadStream(file).pipe(parse({ from_line: 2 })) as AsyncIterable<string[]>) {
    const [id, given, family, dob, email, phone, street, city, postcode] = rec;
    const cells = [DEFAULT_TENANT, newId(), sourceId, id, given, family, `${given} ${family}`.toLowerCase(), dob, email, phone, street, city, postcode];
    chunk.push(cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(','));
    if (chunk.length >= 50_000) await send();
  }
  if (chunk.length) await send();
  return { seconds: round((performance.now() - t0) / 1000) };
}

/** Heap while the validation pass reads a large file: flat if rows are streamed, not held. */
async function streamingMemory(db: Database, rows: number, dir: string) {
  const file = path.join(dir, 'memory.csv');
  writeFile(file, 0, rows);
  const { kind, mapping } = kindAndMapping(mappingInput);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  const t0 = performance.now();
  const stop = new Error('validation only');
  try {
    await runImport({ db, kind, file, mapping, onError: 'skip', target: () => Promise.reject(stop) }).catch((e) => {
      if (e !== stop) throw e;
    });
  } finally {
    clearInterval(timer);
  }
  const fileMiB = round(fs.statSync(file).size / 2 ** 20, 1);
  fs.rmSync(file);
  return { rows, fileMiB, seconds: round((performance.now() - t0) / 1000), heapBeforeMiB: round(before / 2 ** 20, 1), heapPeakMiB: round(peak / 2 ** 20, 1) };
}

/** Runs one import while probing query latency. */
async function timedImport(db: Database, file: string) {
  const { kind: base, mapping } = kindAndMapping(mappingInput);
  // Each batch's transaction holds PGlite's one connection (and this thread): its duration is what a request may wait.
  const batchMs: number[] = [];
  const kind: ImportKind = {
    ...base,
    async writeBatch(q, target, records) {
      const t = performance.now();
      const counts = await base.writeBatch(q, target, records);
      batchMs.push(performance.now() - t);
      return counts;
    },
  };
  const target = await planTarget(new OrgService(db), systemActor(DEFAULT_TENANT), { source: 'BENCH', division: 'Bench' });
  const latencies: number[] = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t = performance.now();
      await db.query('SELECT 1');
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let summary: ImportSummary;
  try {
    summary = await runImport({ db, kind, file, mapping, onError: 'skip', target, batchSize: BATCH || undefined });
  } finally {
    probing = false;
    loop.disable();
    await probe;
  }
  latencies.sort((a, b) => a - b);
  batchMs.sort((a, b) => a - b);
  const { sample: _s, ...counts } = summary;
  return {
    ...counts,
    rowsPerSecond: Math.round(summary.rowsRead / summary.seconds),
    writeBatchMs: { p50: round(percentile(batchMs, 50)), p95: round(percentile(batchMs, 95)), max: round(batchMs.at(-1) ?? NaN) },
    probeMs: { n: latencies.length, p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), max: round(latencies.at(-1) ?? NaN) },
    eventLoopDelayMs: { p50: round(loop.percentile(50) / 1e6), p99: round(loop.percentile(99) / 1e6), max: round(loop.max / 1e6) },
  };
}

async function main() {
  const dir = tempDir('rapport-bench-import-');
  const file = path.join(dir, 'people.csv');
  const changed = path.join(dir, 'people-changed.csv');
  writeFile(file);
  writeFile(changed, 10);
  const db = await openDatabase({ dataDir: path.join(dir, 'pglite') });
  try {
    await migrate(db);
    const parsing = await parseOnly(file);
    const copy = await copyBaseline(db, file);
    const fresh = await timedImport(db, file);
    const again = await timedImport(db, file);
    const tenPercent = await timedImport(db, changed);
    const memory = MEMORY_ROWS ? await streamingMemory(db, MEMORY_ROWS, dir) : null;
    const result = {
      benchmark: 'import',
      engine: db.engine,
      rows: ROWS,
      fileMiB: round(fs.statSync(file).size / 2 ** 20, 1),
      batchSize: BATCH || defaultBatchSize(db),
      baseline: { parseOnly: { ...parsing, rowsPerSecond: Math.round(parsing.rows / parsing.seconds) }, copy: { ...copy, rowsPerSecond: Math.round(ROWS / copy.seconds) } },
      import: { fresh, reimportUnchanged: again, tenPercentChanged: tenPercent },
      freshVsCopy: round(fresh.seconds / copy.seconds, 1),
      validationPassMemory: memory,
      peakRssMiB: peakRssMiB(),
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
