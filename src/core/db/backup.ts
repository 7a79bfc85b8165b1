/**
 * Backup and restore, the same on both engines: a gzip'd stream of lines — a JSON manifest, then each table's
 * rows (one JSON object a line, between `#table` and `#end` marker lines) in foreign-key order (keyset-paged, never the whole table in memory), each table closed by its row count
 * and a SHA-256 of its lines, and a final line that says the backup is complete. Rows are written as PostgreSQL's
 * own `to_jsonb` text and read back with `jsonb_populate_recordset`, so every type round-trips exactly (uuid,
 * numeric, timestamptz, arrays, jsonb) and a PGlite backup restores into a PostgreSQL server and back.
 *
 * Restore goes into an empty database (a new data directory, or an empty PostgreSQL database), migrated to the
 * backup's version or a later one (columns added since take their defaults), inside one transaction: a truncated
 * or altered file, a count or checksum that does not match, or any failing row leaves the target untouched.
 */
import { createHash } from 'node:crypto';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable, type Writable } from 'node:stream';
import zlib from 'node:zlib';
import { ConflictError, UnprocessableError } from '../errors.js';
import { migrationState, type Database } from './engine.js';

export const BACKUP_FORMAT = 'rapport-backup';
export const BACKUP_VERSION = 1;
const PAGE = 2000;
const INSERT_BATCH = 1000;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  engine: string;
  migrations: { applied: number; latest: string | null };
  tables: string[];
}

export interface TableInfo {
  name: string;
  columns: string[];
  primaryKey: string[];
}

export type BackupProgress = (event: { table: string; rows: number; tablesDone: number; tables: number }) => void;

const quote = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/** The schema's tables, parents before children (Kahn's order over foreign keys; ties by name). */
export async function tablesInDependencyOrder(db: Database): Promise<TableInfo[]> {
  const tables = await db.query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 1",
  );
  const columns = await db.query<{ table: string; column: string }>(
    `SELECT c.relname AS table, a.attname AS column FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY c.relname, a.attnum`,
  );
  const keys = await db.query<{ table: string; column: string }>(
    `SELECT c.relname AS table, a.attname AS column FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, pos) ON true JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE n.nspname = current_schema() AND i.indisprimary ORDER BY c.relname, k.pos`,
  );
  const edges = await db.query<{ child: string; parent: string }>(
    `SELECT DISTINCT ch.relname AS child, pa.relname AS parent FROM pg_constraint f JOIN pg_class ch ON ch.oid = f.conrelid JOIN pg_class pa ON pa.oid = f.confrelid
       JOIN pg_namespace n ON n.oid = ch.relnamespace WHERE f.contype = 'f' AND n.nspname = current_schema() AND ch.oid <> pa.oid`,
  );
  const info = new Map(tables.map((t) => [t.name, { name: t.name, columns: [] as string[], primaryKey: [] as string[] }]));
  for (const c of columns) info.get(c.table)?.columns.push(c.column);
  for (const k of keys) info.get(k.table)?.primaryKey.push(k.column);
  const parents = new Map(tables.map((t) => [t.name, new Set<string>()]));
  for (const e of edges) if (info.has(e.child) && info.has(e.parent)) parents.get(e.child)!.add(e.parent);
  const order: TableInfo[] = [];
  const done = new Set<string>();
  while (order.length < info.size) {
    const ready = [...info.keys()].filter((t) => !done.has(t) && [...parents.get(t)!].every((p) => done.has(p)));
    if (!ready.length) throw new Error(`foreign keys form a cycle among ${[...info.keys()].filter((t) => !done.has(t)).join(', ')}`);
    for (const t of ready) {
      done.add(t);
      order.push(info.get(t)!);
    }
  }
  return order;
}

/** Every row of one table as `to_jsonb` text, in primary-key order, a page at a time. */
async function* tableRows(query: Query, t: TableInfo): AsyncGenerator<string> {
  const key = t.primaryKey.length ? t.primaryKey : t.columns;
  const keyList = key.map(quote).join(', ');
  let last: unknown[] | null = null;
  let offset = 0;
  for (;;) {
    const where: string = t.primaryKey.length && last ? `WHERE (${keyList}) > (${key.map((_, i) => `$${i + 1}`).join(', ')})` : '';
    const paging = t.primaryKey.length ? '' : ` OFFSET ${offset}`;
    const rows: { j: string; k: unknown[] }[] = await query<{ j: string; k: unknown[] }>(
      `SELECT to_jsonb(t)::text AS j, ARRAY[${key.map((c) => `t.${quote(c)}::text`).join(', ')}] AS k FROM ${quote(t.name)} t ${where} ORDER BY ${keyList} LIMIT ${PAGE}${paging}`,
      last ?? [],
    );
    for (const r of rows) yield r.j;
    if (rows.length < PAGE) return;
    last = rows[rows.length - 1].k;
    offset += rows.length;
  }
}

type Query = <R>(text: string, params?: unknown[]) => Promise<R[]>;

/**
 * Writes a backup of the whole database (every tenant) to `out`. Every table is read in one REPEATABLE READ,
 * READ ONLY transaction: one snapshot, so rows written meanwhile on a server never give a child without its parent.
 */
export async function backup(db: Database, out: Writable, progress?: BackupProgress): Promise<{ manifest: BackupManifest; rows: Record<string, number> }> {
  const tables = await tablesInDependencyOrder(db);
  const state = await migrationState(db);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    engine: db.engine,
    migrations: { applied: state.applied, latest: state.latest },
    tables: tables.map((t) => t.name),
  };
  const counts: Record<string, number> = {};
  async function* lines(): AsyncGenerator<string> {
    yield `${JSON.stringify(manifest)}\n`;
    for (const [i, t] of tables.entries()) {
      yield `#table ${JSON.stringify({ table: t.name, columns: t.columns })}\n`;
      const hash = createHash('sha256');
      let n = 0;
      for await (const row of tableRows(q, t)) {
        hash.update(row);
        n++;
        yield `${row}\n`;
        if (n % 10_000 === 0) progress?.({ table: t.name, rows: n, tablesDone: i, tables: tables.length });
      }
      counts[t.name] = n;
      progress?.({ table: t.name, rows: n, tablesDone: i + 1, tables: tables.length });
      yield `#end ${JSON.stringify({ end: t.name, rows: n, sha256: hash.digest('hex') })}\n`;
    }
    yield `#complete ${JSON.stringify({ tables: tables.length })}\n`;
  }
  let q: Query = db.query;
  await db.transaction(async (tx) => {
    await tx('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    q = tx as Query;
    await pipeline(Readable.from(lines()), zlib.createGzip(), out);
  });
  return { manifest, rows: counts };
}

/** Tables of the target that hold rows (the seeded default tenant aside): restore refuses to mix data. */
async function occupiedTables(db: Database, tables: TableInfo[]): Promise<string[]> {
  const busy: string[] = [];
  for (const t of tables) {
    const filter = t.name === 'tenants' ? "WHERE id <> 'default'" : '';
    const [{ any }] = await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quote(t.name)} ${filter}) AS any`);
    if (any) busy.push(t.name);
  }
  return busy;
}

/**
 * Restores a backup into an empty database, or with `replace` into one whose content it replaces (wiped in the
 * same transaction). Throws (and leaves the target as it was) on a file that is not a Rapport backup, comes from
 * a newer version, is truncated or altered, or does not fit the schema.
 */
export async function restore(
  db: Database,
  input: Readable,
  progress?: BackupProgress,
  opts: { replace?: boolean } = {},
): Promise<{ manifest: BackupManifest; rows: Record<string, number>; replaced: string[] }> {
  const targetTables = await tablesInDependencyOrder(db);
  const known = new Map(targetTables.map((t) => [t.name, t]));
  const lines = readline.createInterface({ input: input.pipe(zlib.createGunzip()), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string | null> => {
    const r = await lines.next();
    return r.done ? null : r.value;
  };
  let manifest: BackupManifest;
  try {
    const first = await nextLine();
    manifest = JSON.parse(first ?? 'null') as BackupManifest;
  } catch {
    throw new UnprocessableError('not a Rapport backup (expected a gzip file of JSON lines starting with a manifest)');
  }
  if (manifest?.format !== BACKUP_FORMAT) throw new UnprocessableError('not a Rapport backup (no manifest)');
  if (manifest.version > BACKUP_VERSION) throw new UnprocessableError(`backup format ${manifest.version} is newer than this Rapport reads (${BACKUP_VERSION}); upgrade Rapport first`);
  const state = await migrationState(db);
  if (manifest.migrations.applied > state.applied) {
    throw new UnprocessableError(`the backup comes from a newer schema (${manifest.migrations.applied} migrations, latest ${manifest.migrations.latest}); this database has ${state.applied}: upgrade Rapport first`);
  }
  const unknown = manifest.tables.filter((t) => !known.has(t));
  if (unknown.length) throw new UnprocessableError(`the backup holds tables this schema does not have: ${unknown.join(', ')}`);
  const busy = await occupiedTables(db, targetTables);
  if (busy.length && !opts.replace) {
    const named = busy.length > 4 ? `${busy.slice(0, 4).join(', ')} and ${busy.length - 4} more tables` : busy.join(', ');
    throw new ConflictError(`restore needs an empty database; this one already holds rows in ${named}. Restore into a new RAPPORT_DATA_DIR or an empty PostgreSQL database, or replace its content with --force.`);
  }

  const counts: Record<string, number> = {};
  await db.transaction(async (q) => {
    if (busy.length) {
      // Replacing: the old content goes in the same transaction as the new comes in, so a backup that fails to
      // restore leaves the old content as it was. The audit log's append-only triggers stand aside for this one
      // statement only (ALTER TABLE is transactional too); the backup brings its own audit log.
      await q('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await q(`TRUNCATE ${targetTables.map((t) => quote(t.name)).join(', ')}`);
      await q('ALTER TABLE audit_log ENABLE TRIGGER USER');
    }
    let tablesDone = 0;
    for (;;) {
      const header = await nextLine();
      if (header === null) throw new UnprocessableError('the backup is truncated: it ends before its completion line');
      if (header.startsWith('#complete ')) {
        const done = JSON.parse(header.slice('#complete '.length)) as { tables: number };
        if (done.tables !== manifest.tables.length || tablesDone !== manifest.tables.length) throw new UnprocessableError('the backup does not hold every table its manifest names');
        break;
      }
      if (!header.startsWith('#table ')) throw new UnprocessableError(`unexpected line in the backup: ${header.slice(0, 120)}`);
      const head = JSON.parse(header.slice('#table '.length)) as { table?: string; columns?: string[] };
      const table = head.table && known.get(head.table);
      if (!table || !head.columns) throw new UnprocessableError(`unexpected line in the backup: ${header.slice(0, 120)}`);
      const missing = head.columns.filter((c) => !table.columns.includes(c));
      if (missing.length) throw new UnprocessableError(`table ${table.name} in the backup has columns this schema does not: ${missing.join(', ')}`);
      const cols = head.columns.map(quote).join(', ');
      // The default tenant is seeded by the migrations: the backup's copy of it replaces the seeded one.
      const conflict =
        table.name === 'tenants' ? ` ON CONFLICT (id) DO UPDATE SET ${head.columns.filter((c) => c !== 'id').map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}` : '';
      const sql = `INSERT INTO ${quote(table.name)} (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::${quote(table.name)}, $1::jsonb)${conflict}`;
      const hash = createHash('sha256');
      let batch: string[] = [];
      let n = 0;
      const flush = async () => {
        if (batch.length) await q(sql, [`[${batch.join(',')}]`]);
        batch = [];
      };
      for (;;) {
        const line = await nextLine();
        if (line === null) throw new UnprocessableError(`the backup is truncated inside table ${table.name}`);
        // Rows are JSON objects; markers start with '#', which no row can.
        if (line.startsWith('#end ')) {
          await flush();
          const end = JSON.parse(line.slice('#end '.length)) as { end: string; rows: number; sha256: string };
          if (end.end !== table.name || end.rows !== n || end.sha256 !== hash.digest('hex')) {
            throw new UnprocessableError(`table ${table.name} does not match its checksum in the backup (the file was altered or damaged)`);
          }
          break;
        }
        hash.update(line);
        batch.push(line);
        n++;
        if (batch.length >= INSERT_BATCH) await flush();
        if (n % 10_000 === 0) progress?.({ table: table.name, rows: n, tablesDone, tables: manifest.tables.length });
      }
      counts[table.name] = n;
      tablesDone++;
      progress?.({ table: table.name, rows: n, tablesDone, tables: manifest.tables.length });
    }
  });
  return { manifest, rows: counts, replaced: busy };
}
