import fs from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
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

/**
 * The tenant the current async context acts for. On the server engine every connection handed out by the
 * pool is first bound to it (`app.tenant_id`), which the row-level security policies of migration
 * 0007_security_walls compare with each row's tenant_id. The API binds a request once its caller is
 * authenticated; code outside a request (jobs, CLI, migrations, sign-in lookups) runs as ALL_TENANTS.
 */
export interface TenantBinding {
  tenantId?: string;
}
const tenantBinding = new AsyncLocalStorage<TenantBinding>();
export const ALL_TENANTS = '*';

export const tenantContext = {
  /** Runs fn in a fresh binding; set `binding.tenantId` (now or later in the same context) to restrict it. */
  run<T>(binding: TenantBinding, fn: () => T): T {
    return tenantBinding.run(binding, fn);
  },
  current(): string {
    return tenantBinding.getStore()?.tenantId ?? ALL_TENANTS;
  },
  /** Restricts the enclosing run()'s binding to one tenant; false (and nothing bound) outside run(). */
  bind(tenantId: string): boolean {
    const binding = tenantBinding.getStore();
    if (!binding) return false;
    binding.tenantId = tenantId;
    return true;
  },
};

type PoolClientCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/**
 * A pool whose clients carry the caller's tenant. The binding is captured when connect() is called (in the
 * caller's async context: pool.query() and drizzle both call connect synchronously) and applied with a
 * session-level set_config before the client is handed over, so a pooled connection never keeps the
 * previous borrower's tenant. The last value per connection is remembered to skip the round trip.
 */
class TenantBoundPool extends pg.Pool {
  private readonly bound = new WeakMap<pg.PoolClient, string>();

  private async bind(client: pg.PoolClient, tenant: string) {
    if (this.bound.get(client) === tenant) return client;
    await client.query("SELECT set_config('app.tenant_id', $1, false)", [tenant]);
    this.bound.set(client, tenant);
    return client;
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: PoolClientCallback): void;
  override connect(callback?: PoolClientCallback): Promise<pg.PoolClient> | void {
    const tenant = tenantContext.current();
    if (!callback) {
      return super.connect().then((client) =>
        this.bind(client, tenant).catch((err) => {
          client.release(err);
          throw err;
        }),
      );
    }
    super.connect((err, client, done) => {
      if (err || !client) return callback(err, client, done);
      this.bind(client, tenant).then(
        () => callback(undefined, client, done),
        (bindErr: Error) => {
          done(bindErr);
          callback(bindErr, undefined, () => undefined);
        },
      );
    });
  }
}

async function openPostgres(url: string): Promise<Database> {
  const parsers: Record<number, (v: string) => unknown> = { [INT8]: toNumber, [NUMERIC]: toNumber };
  const pool = new TenantBoundPool({
    connectionString: url,
    max: Number(process.env.RAPPORT_PG_POOL ?? 10),
    application_name: 'rapport',
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // A server restart or an administrator's terminate reaches idle and checked-out connections as 'error'
  // events; unhandled, they would crash the process. The pool replaces the dead connection on next use.
  const warn = (err: Error) => console.warn(`rapport: PostgreSQL connection lost (${err.message})`);
  pool.on('error', warn);
  pool.on('connect', (client) => client.on('error', warn));
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
  // Tables added by later migrations get the tenant policy too (idempotent; defined in 0007_security_walls).
  await db.query('SELECT rapport_tenant_rls()');
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
