import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openTestDatabase } from '../../core/db/testing.js';
import { migrate, openDatabase, tenantContext, type Database } from '../../core/db/engine.js';
import { buildServer } from '../../api/server.js';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { seedBank, type Bank } from './testing.js';

/**
 * Row-level security, the second wall behind the services' tenant filters. The policies are checked on
 * PGlite (as a non-superuser role, since superusers bypass RLS); the per-request binding of pooled
 * connections is checked on a PostgreSQL server when DATABASE_URL names one.
 */

describe('tenant_isolation policies (any engine)', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it('cover every table with a tenant_id column, enabled and forced (tables added by later migrations too)', async () => {
    const tables = await db.query<{ table: string; enabled: boolean; forced: boolean; policy: string | null }>(`
      SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
             (SELECT p.polname FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation') AS policy
      FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
      WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'p')
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`);
    expect(tables.length).toBeGreaterThan(10);
    const uncovered = tables.filter((r) => !r.enabled || !r.forced || r.policy !== 'tenant_isolation').map((r) => r.table);
    expect(uncovered).toEqual([]);
  });

  it('let a non-superuser role see and write only the bound tenant’s rows', async () => {
    const role = `rls_probe_${randomBytes(3).toString('hex')}`;
    await db.query(`INSERT INTO tenants (id, name) VALUES ('t-one', 'One'), ('t-two', 'Two') ON CONFLICT DO NOTHING`);
    await db.query(`INSERT INTO divisions (tenant_id, id, code, name) VALUES ('t-one', gen_random_uuid(), 'A', 'A'), ('t-two', gen_random_uuid(), 'B', 'B')`);
    await db.query(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS`);
    await db.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await db.query(`GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO ${role}`);
    const visible = async (tenant: string | null) =>
      db.transaction(async (q) => {
        await q(`SET LOCAL ROLE ${role}`);
        // null: a connection that never bound a tenant (on the server engine the pool binds '*', so clear it).
        await q("SELECT set_config('app.tenant_id', $1, true)", [tenant ?? '']);
        return (await q<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM divisions ORDER BY 1')).map((r) => r.tenant_id);
      });
    expect(await visible('t-one')).toEqual(['t-one']);
    expect(await visible('t-two')).toEqual(['t-two']);
    expect(await visible('*')).toEqual(['t-one', 't-two']);
    expect(await visible(null)).toEqual([]);
    await expect(
      db.transaction(async (q) => {
        await q(`SET LOCAL ROLE ${role}`);
        await q("SELECT set_config('app.tenant_id', 't-one', true)");
        await q(`INSERT INTO divisions (tenant_id, id, code, name) VALUES ('t-two', gen_random_uuid(), 'C', 'C')`);
      }),
    ).rejects.toSatisfy(isRlsViolation);
    // The superuser PGlite runs as is not subject to the policies: the embedded engine behaves as before.
    expect((await db.query<{ n: number }>('SELECT count(DISTINCT tenant_id)::int AS n FROM divisions'))[0].n).toBe(2);
  });
});

/** drizzle wraps driver errors ("Failed query: …"); the policy violation is the cause. */
function isRlsViolation(err: unknown): boolean {
  const e = err as { message?: string; cause?: { message?: string } };
  return /row-level security/.test(`${e.message} ${e.cause?.message ?? ''}`);
}

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) console.warn('rls.test.ts: DATABASE_URL is not set, so the PostgreSQL-server part (pooled connections bound per request) is skipped');

describe.skipIf(!serverUrl)('request binding on a PostgreSQL server (DATABASE_URL)', () => {
  const suffix = randomBytes(4).toString('hex');
  const role = `rapport_rls_${suffix}`;
  const database = `rapport_rls_${suffix}`;
  let db: Database;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let A: Bank;
  let appUrl: string;

  beforeAll(async () => {
    // The application connects as the owner of its tables, not as a superuser: exactly the role FORCE ROW LEVEL SECURITY is for.
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${suffix}' NOSUPERUSER NOBYPASSRLS`);
    await admin.query(`CREATE DATABASE ${database} OWNER ${role}`);
    await admin.end();
    const url = new URL(serverUrl!);
    url.username = role;
    url.password = suffix;
    url.pathname = `/${database}`;
    appUrl = url.toString();
    db = await openDatabase({ databaseUrl: appUrl, dataDir: '' });
    await migrate(db);
    app = await buildServer({ db, rateLimitPerMinute: 1_000_000 });
    // A handler that forgets its tenant filter: RLS must still confine it to the caller's tenant.
    app.post('/api/v1/rls-probe', async () => ({ tenants: (await db.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM golden_customers ORDER BY 1')).map((r) => r.tenant_id) }));
    A = await seedBank(app, db, DEFAULT_TENANT);
    await seedBank(app, db, 'rival-bank');
    await app.ready();
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await db?.close();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it('confines a query without a tenant filter to the request’s tenant, after body parsing too', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/rls-probe', headers: A.principals[0].auth, payload: { some: 'body' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().tenants).toEqual([DEFAULT_TENANT]);
    // Outside a request (jobs, CLI) the binding is '*': every tenant.
    expect((await db.query<{ n: number }>('SELECT count(DISTINCT tenant_id)::int AS n FROM golden_customers'))[0].n).toBe(2);
  });

  it('serves the ordinary API with the binding in place', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/customers?limit=500', headers: A.principals[0].auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBe(A.customers.length);
    const write = await app.inject({ method: 'POST', url: '/api/v1/customers', headers: A.principals[0].auth, payload: { displayName: 'Bound write' } });
    expect(write.statusCode).toBe(201);
    // The audit entry is written in the same bound context, so the policy's WITH CHECK must accept it.
    const audited = await db.query<{ tenant_id: string }>('SELECT tenant_id FROM audit_log WHERE resource_id = $1', [write.json().id]);
    expect(audited.map((r) => r.tenant_id)).toEqual([DEFAULT_TENANT]);
  });

  it('never lets a pooled connection keep the previous borrower’s tenant', async () => {
    const tenants = [DEFAULT_TENANT, 'rival-bank', 'nobody'];
    const seen = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        tenantContext.run({ tenantId: tenants[i % 3] }, async () => {
          const rows = await db.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM divisions');
          return { expected: tenants[i % 3], got: rows.map((r) => r.tenant_id) };
        }),
      ),
    );
    for (const s of seen) expect(s.got).toEqual(s.expected === 'nobody' ? [] : [s.expected]);
  });

  it('rejects a write of another tenant’s row inside a bound context', async () => {
    await expect(
      tenantContext.run({ tenantId: DEFAULT_TENANT }, () => db.query(`INSERT INTO divisions (tenant_id, id, code, name) VALUES ('rival-bank', gen_random_uuid(), 'X', 'X')`)),
    ).rejects.toSatisfy(isRlsViolation);
    // A service handed the wrong actor (the kind of bug RLS is there for) is stopped too.
    await expect(
      tenantContext.run({ tenantId: DEFAULT_TENANT }, () => app.services.org.createDivision(systemActor('rival-bank'), { code: 'SNEAK', name: 'Sneak' })),
    ).rejects.toSatisfy(isRlsViolation);
  });

  it('shows nothing to a connection of the owner role that never bound a tenant', async () => {
    const raw = new pg.Client({ connectionString: appUrl });
    await raw.connect();
    try {
      const { rows } = await raw.query('SELECT count(*)::int AS n FROM golden_customers');
      expect(rows[0].n).toBe(0);
    } finally {
      await raw.end();
    }
  });
});
