/**
 * Loads the generated bank into a database: the organisation (divisions, source systems, teams, products, staff)
 * through the services, then the bulk (source records, accounts, interactions, ground truth) with COPY in
 * batches, which is the only path fast enough for a million customers.
 *
 * Source records are normalised exactly as `rapport import` normalises a file (normalisePerson with each
 * division's date formats) and carry the importer's content hash, so re-importing the same rows is a no-op.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { and, eq } from 'drizzle-orm';
import { systemActor } from '../../core/actor.js';
import type { Database } from '../../core/db/engine.js';
import { ConflictError, ValidationError } from '../../core/errors.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { AccessService } from '../access/service.js';
import { HoldingsService } from '../holdings/service.js';
import { OrgService } from '../org/service.js';
import { sourceSystems } from '../org/schema.js';
import { users } from '../access/schema.js';
import { DIVISIONS, type DivisionCode } from './divisions.js';
import { MIN_CUSTOMERS, type DemoOptions } from './generator.js';
import { BULK_TABLES, COLUMNS, csvBatches, type BulkTable, type CsvBatch, type DemoOrg } from './csv.js';
import type { CsvWorkerData } from './csvWorker.js';
import { DEMO_PASSWORD, STAFF, TEAMS } from './staff.js';

export { BULK_TABLES, COLUMNS, type BulkTable } from './csv.js';

export const DEFAULT_CUSTOMERS = 10_000;
export const DEFAULT_SEED = 1;

export interface LoadDemoOptions {
  customers?: number;
  seed?: number;
  /** The demo's "today"; defaults to the current UTC date. */
  asOf?: string;
  tenantId?: string;
  /** Replace the tenant's existing customer data instead of refusing. */
  force?: boolean;
  /** Rows buffered before a COPY round (all tables together). */
  batchRows?: number;
  /**
   * Generate in the loader's own thread instead of a worker. The worker lets generation and normalisation of
   * the next batch overlap the database's work on the current one; the rows are the same either way.
   */
  inProcess?: boolean;
  onProgress?: (p: { customers: number; total: number; rows: number }) => void;
}

export interface DemoLoadSummary {
  tenantId: string;
  customers: number;
  seed: number;
  asOf: string;
  rows: Record<BulkTable, number>;
  totalRows: number;
  /** Tables whose rows for this tenant were deleted first (--force). */
  cleared: string[];
  /** load = waiting for batches + copy + finish (deferred indexes, key checks, ANALYZE). */
  seconds: { setup: number; load: number; copy: number; finish: number; total: number };
  rowsPerSecond: number;
  signIn: { email: string; role: string; division: string | null }[];
  password: string;
}

export async function countSourceRecords(db: Database, tenantId = DEFAULT_TENANT): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM source_records WHERE tenant_id = $1', [tenantId]);
  return row.n;
}

const todayUtc = () => new Date().toISOString().slice(0, 10);

export async function loadDemoBank(db: Database, opts: LoadDemoOptions = {}): Promise<DemoLoadSummary> {
  const started = performance.now();
  const tenantId = opts.tenantId ?? DEFAULT_TENANT;
  const customers = opts.customers ?? DEFAULT_CUSTOMERS;
  const seed = opts.seed ?? DEFAULT_SEED;
  const asOf = opts.asOf ?? todayUtc();
  const batchRows = opts.batchRows ?? 50_000;
  if (!Number.isInteger(customers) || customers < MIN_CUSTOMERS) {
    throw new ValidationError(`--customers must be a whole number of at least ${MIN_CUSTOMERS}`, [{ path: 'customers', message: `got ${customers}` }]);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new ValidationError('--seed must be a whole number between 0 and 4294967295');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new ValidationError(`--as-of must be a date (YYYY-MM-DD), got ${asOf}`);

  const existing = await countSourceRecords(db, tenantId);
  let cleared: string[] = [];
  if (existing > 0) {
    if (!opts.force) {
      throw new ConflictError(
        `tenant "${tenantId}" already holds ${existing.toLocaleString('en-US')} source records; the demo loads into an empty database only (use --force to replace the existing customer data)`,
      );
    }
    cleared = await clearCustomerData(db, tenantId);
  }

  const org = await ensureOrganisation(db, tenantId);
  const setupDone = performance.now();

  const bulk = await enterBulkMode(db);
  const rows: Record<BulkTable, number> = { source_records: 0, demo_truth: 0, accounts: 0, interactions: 0 };
  let copyMs = 0;
  let people = 0;
  let loaded = 0;
  const options = { customers, seed, asOf };
  const batches = opts.inProcess ? inProcessBatches(tenantId, org, options, batchRows) : workerBatches({ tenantId, org, options, batchRows, window: 2 });
  try {
    for await (const batch of batches) {
      // Parents first: accounts, interactions and truth reference the source records of the same batch.
      for (const table of BULK_TABLES) {
        if (!batch.rows[table]) continue;
        const t0 = performance.now();
        await db.copyCsv(table, COLUMNS[table], batch.csv[table]);
        copyMs += performance.now() - t0;
        rows[table] += batch.rows[table];
      }
      people = batch.people;
      opts.onProgress?.({ customers: people, total: customers, rows: totalOf(rows) });
    }
    loaded = performance.now();
    await bulk?.finish(tenantId);
  } catch (err) {
    await bulk?.abort();
    throw err;
  }
  // Fresh statistics, so the first searches and joins plan for the data that is there now.
  for (const table of BULK_TABLES) await db.query(`ANALYZE ${table}`);
  const finished = performance.now();

  const totalRows = totalOf(rows);
  return {
    tenantId,
    customers: people,
    seed,
    asOf,
    rows,
    totalRows,
    cleared,
    seconds: {
      setup: secs(setupDone - started), load: secs(finished - setupDone), copy: secs(copyMs), finish: secs(finished - loaded), total: secs(finished - started),
    },
    rowsPerSecond: Math.round(totalRows / ((finished - setupDone) / 1000)),
    signIn: STAFF.filter((s) => s.signIn).map((s) => ({ email: s.email, role: s.role, division: s.division })),
    password: DEMO_PASSWORD,
  };
}

interface BulkMode {
  /** Rebuilds the deferred indexes, verifies every foreign key, commits. */
  finish(tenantId: string): Promise<void>;
  abort(): Promise<void>;
}

/**
 * PGlite's bulk mode, the pg_restore recipe. Row by row, PGlite checks each foreign key with a query and
 * inserts into every index of a table that outgrows its buffers at random places, which together cost several
 * times the COPY itself. So on PGlite (one session, superuser) the whole load runs in one transaction that:
 * switches row-by-row foreign-key triggers off (replica mode), drops the plain secondary indexes of the bulk
 * tables, and at the end recreates them from their own definitions (a sorted build) and verifies every foreign
 * key with one anti-join, as ALTER TABLE … ADD FOREIGN KEY would. Any failure rolls everything back, indexes
 * included, so an interrupted demo load leaves no half-loaded bank. Primary keys and unique constraints stay.
 * Skipped when the bulk tables carry triggers other than foreign keys, which replica mode would silence too.
 */
async function enterBulkMode(db: Database): Promise<BulkMode | null> {
  if (db.engine !== 'pglite') return null;
  const tables = [...BULK_TABLES];
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*) AS n FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY($1::regclass[])', [tables]);
  if (n > 0) return null;
  await db.query('BEGIN');
  try {
    await db.query('SET LOCAL session_replication_role = replica');
    const indexes = await db.query<{ name: string; def: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
        WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [tables],
    );
    for (const ix of indexes) await db.query(`DROP INDEX ${ix.name}`);
    return {
      async finish(tenantId) {
        for (const ix of indexes) await db.query(ix.def);
        await verifyForeignKeys(db, tenantId);
        await db.query('COMMIT');
      },
      async abort() {
        await db.query('ROLLBACK');
      },
    };
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
}

/** Every foreign key leaving a bulk table, checked with one anti-join each; throws naming the first broken one. */
export async function verifyForeignKeys(db: Database, tenantId: string): Promise<void> {
  const fks = await db.query<{ name: string; child: string; parent: string; child_cols: string[]; parent_cols: string[] }>(`
    SELECT c.conname AS name, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS child_cols,
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS parent_cols
      FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY($1::regclass[])`, [[...BULK_TABLES]]);
  for (const fk of fks) {
    const on = fk.child_cols.map((col, i) => `p.${fk.parent_cols[i]} = c.${col}`).join(' AND ');
    const present = fk.child_cols.map((col) => `c.${col} IS NOT NULL`).join(' AND ');
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*) AS n FROM ${fk.child} c WHERE c.tenant_id = $1 AND ${present} AND NOT EXISTS (SELECT 1 FROM ${fk.parent} p WHERE ${on})`,
      [tenantId],
    );
    if (n > 0) throw new Error(`demo load broke foreign key ${fk.name}: ${n} rows of ${fk.child} point at no ${fk.parent}`);
  }
}

async function* inProcessBatches(tenantId: string, org: DemoOrg, options: DemoOptions, batchRows: number): AsyncGenerator<CsvBatch> {
  yield* csvBatches(tenantId, org, options, batchRows);
}

/**
 * Batches from a worker thread, acknowledged one by one once the database has taken them. Run from the
 * TypeScript sources (tests, tsx), the worker needs tsx's loader too; the built JavaScript needs nothing.
 */
/** A worker entry (an ES module in a data: URL) that loads a TypeScript module through tsx's API. */
function tsxBootstrap(entry: URL): URL {
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const code = `import { tsImport } from ${JSON.stringify(api)};\nawait tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(import.meta.url)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

async function* workerBatches(data: CsvWorkerData): AsyncGenerator<CsvBatch> {
  const fromSource = import.meta.url.endsWith('.ts');
  // Hooks registered in this thread (tsx, vitest) do not reach a worker: from the sources, load the entry
  // through tsx's API inside the worker; the built JavaScript needs nothing.
  const worker = fromSource ? new Worker(tsxBootstrap(new URL('./csvWorker.ts', import.meta.url)), { workerData: data }) : new Worker(new URL('./csvWorker.js', import.meta.url), { workerData: data });
  const queue: (CsvBatch | null)[] = [];
  let failure: Error | null = null;
  let notify: (() => void) | null = null;
  const wake = () => {
    notify?.();
    notify = null;
  };
  worker.on('message', (m: CsvBatch | null) => {
    queue.push(m);
    wake();
  });
  worker.on('error', (err) => {
    failure = err;
    wake();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the demo generator worker stopped (exit code ${code}) before finishing`);
    wake();
  });
  try {
    for (;;) {
      while (!queue.length && !failure) await new Promise<void>((resolve) => (notify = resolve));
      const next = queue.shift();
      if (next === null) return;
      if (next === undefined) throw failure;
      yield next;
      worker.postMessage('done');
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}

const secs = (ms: number) => Math.round(ms / 10) / 100;
const totalOf = (rows: Record<BulkTable, number>) => Object.values(rows).reduce((a, b) => a + b, 0);

/**
 * Divisions, source systems (with their layouts), teams, the product catalogue and staff, through the services
 * that own them. Idempotent: what exists is reused, so a forced reload keeps users and their sessions.
 */
export async function ensureOrganisation(db: Database, tenantId: string): Promise<DemoOrg> {
  await db.query('INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [tenantId, tenantId === DEFAULT_TENANT ? 'Default' : tenantId]);
  const actor = systemActor(tenantId);
  const org = new OrgService(db);
  const holdings = new HoldingsService(db);
  const access = new AccessService(db);

  const divisionId = {} as Record<DivisionCode, string>;
  const sourceSystemId = {} as Record<DivisionCode, string>;
  for (const d of DIVISIONS) {
    const source = await org.ensureSource(actor, {
      code: d.source.code, name: d.source.name, divisionCode: d.code, divisionName: d.name,
      uniquePerPerson: d.source.uniquePerPerson, priority: d.source.priority,
    });
    // ensureSource has no layout parameter; the layout is descriptive metadata on the system's own row.
    await db.orm.update(sourceSystems).set({ layout: d.layout }).where(and(eq(sourceSystems.tenantId, tenantId), eq(sourceSystems.id, source.id)));
    divisionId[d.code] = source.divisionId;
    sourceSystemId[d.code] = source.id;
  }

  const teams = new Map((await org.listTeams(actor)).map((t) => [t.name, t.id]));
  for (const t of TEAMS) {
    if (!teams.has(t.name)) teams.set(t.name, (await org.createTeam(actor, { divisionId: divisionId[t.division], name: t.name })).id);
  }

  const productId: Record<string, string> = Object.fromEntries((await holdings.listProducts(actor)).map((p) => [p.code, p.id]));
  for (const d of DIVISIONS) {
    for (const p of d.products) {
      if (!productId[p.code]) productId[p.code] = (await holdings.createProduct(actor, { divisionId: divisionId[d.code], ...p })).id;
    }
  }

  const known = new Map((await db.orm.select({ id: users.id, email: users.email }).from(users).where(eq(users.tenantId, tenantId))).map((u) => [u.email, u.id]));
  const userId: Record<string, string> = {};
  for (const s of STAFF) {
    userId[s.email] = known.get(s.email) ?? (await access.createUser(tenantId, {
      email: s.email,
      displayName: s.displayName,
      password: s.signIn ? DEMO_PASSWORD : undefined,
      role: s.role,
      divisionIds: s.division ? [divisionId[s.division]] : [],
      teamId: s.team ? teams.get(s.team) : null,
      seniority: s.seniority,
      skills: s.skills,
    })).id;
  }
  return { divisionId, sourceSystemId, productId, userId };
}

/** Columns by which tables without a foreign key still point at records or customers (resolution state). */
const RECORD_REFERENCE_COLUMNS = ['source_record_id', 'source_record_ids', 'record_a', 'record_b', 'customer_id'];

/**
 * Deletes one tenant's customer data: source records, golden customers and every table that refers to them
 * (by foreign key, or by a record/customer id column), children first. The organisation, products and users stay.
 */
export async function clearCustomerData(db: Database, tenantId: string): Promise<string[]> {
  const roots = ['source_records', 'golden_customers'];
  const fks = await db.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const tenantTables = new Set((await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'`,
  )).map((r) => r.table_name));
  const byReference = (await db.query<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = ANY($1::text[])`,
    [RECORD_REFERENCE_COLUMNS],
  )).map((r) => r.table_name);
  const doomed = new Set<string>(roots);
  for (const t of byReference) if (tenantTables.has(t)) doomed.add(t);
  for (let grew = true; grew; ) {
    grew = false;
    for (const { child, parent } of fks) {
      if (doomed.has(parent) && !doomed.has(child) && child !== parent) {
        doomed.add(child);
        grew = true;
      }
    }
  }
  // Children before parents: repeatedly take a table no remaining table references.
  const order: string[] = [];
  const left = new Set(doomed);
  while (left.size) {
    const next = [...left].find((t) => !fks.some((f) => f.parent === t && f.child !== t && left.has(f.child)));
    if (!next) throw new Error(`cannot order the deletion of ${[...left].join(', ')}: circular foreign keys`);
    order.push(next);
    left.delete(next);
  }
  await db.transaction(async (q) => {
    for (const table of order) await q(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);
  });
  return order;
}
