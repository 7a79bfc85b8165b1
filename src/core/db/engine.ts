import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import pg from 'pg';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';

export type EngineName = 'pglite' | 'postgres';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Orm = PgDatabase<PgQueryResultHKT, any>;
export type Row = Record<string, unknown>;

export interface Database {
  readonly engine: EngineName;
  readonly orm: Orm;
  /** Raw parameterised SQL ($1, $2…), for queries the ORM would only obscure. int8 and numeric come back as numbers on both engines. */
  query<T = Row>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn inside one transaction; `q` runs raw SQL inside it. */
  transaction<T>(fn: (q: <R = Row>(text: string, params?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T>;
  /** Bulk load with COPY … FROM STDIN (CSV text); the fastest path on both engines. */
  copyCsv(table: string, columns: string[], csv: string): Promise<void>;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;
// PGlite parses int8 to BigInt and pg to string: one rule for both keeps JSON and arithmetic simple.
const toNumber = (v: string) => (v === null ? v : Number(v));

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data directory, or 'memory://' for a throwaway database. */
  dataDir: string;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dataDir);
}

async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, {
    extensions: { pg_trgm, fuzzystrmatch },
    parsers: { [INT8]: toNumber, [NUMERIC]: toNumber },
  });
  const orm = drizzlePglite(client) as unknown as Orm;
  const run = async <R>(text: string, params?: unknown[]) => (await client.query<R>(text, params)).rows;
  return {
    engine: 'pglite',
    orm,
    query: run,
    transaction: (fn) => client.transaction((tx) => fn(async (text, params) => (await tx.query(text, params)).rows as never)),
    async copyCsv(table, columns, csv) {
      await client.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], {
        blob: new Blob([csv]),
      });
    },
    close: () => client.close(),
  };
}

async function openPostgres(url: string): Promise<Database> {
  const parsers: Record<number, (v: string) => unknown> = { [INT8]: toNumber, [NUMERIC]: toNumber };
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.RAPPORT_PG_POOL ?? 10),
    application_name: 'rapport',
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const orm = drizzlePg(pool) as unknown as Orm;
  return {
    engine: 'postgres',
    orm,
    query: async (text, params) => (await pool.query(text, params)).rows,
    async transaction(fn) {
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        const result = await fn(async (text, params) => (await conn.query(text, params)).rows);
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        conn.release();
      }
    },
    async copyCsv(table, columns, csv) {
      const { from } = await import('pg-copy-streams');
      const conn = await pool.connect();
      try {
        await new Promise<void>((resolve, reject) => {
          const stream = conn.query(from(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
          stream.on('finish', resolve);
          stream.on('error', reject);
          stream.end(csv);
        });
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Applies the committed drizzle-kit migrations with drizzle's runtime migrator (drizzle-kit migrate misses CREATE EXTENSION on PGlite). */
export async function migrate(db: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (db.engine === 'pglite') await migratePglite(db.orm as never, config);
  else await migratePg(db.orm as never, config);
}

export interface MigrationState {
  applied: number;
  latest: string | null;
  available: number;
}

export async function migrationState(db: Database): Promise<MigrationState> {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  let applied: { created_at: number }[] = [];
  try {
    applied = await db.query<{ created_at: number }>('SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at');
  } catch {
    applied = [];
  }
  const last = applied.at(-1);
  const latest = last ? (journal.entries.find((e) => e.when === Number(last.created_at))?.tag ?? null) : null;
  return { applied: applied.length, latest, available: journal.entries.length };
}
