import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../api/testing.js';
import { seedBank, type Bank } from '../access/testing.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let bank: Bank;
const agent = () => bank.principals.find((p) => p.name === 'agent-MTG')!;

type Entry = { action: string; resource: string; resourceId: string | null; actorUserId: string | null; before: Record<string, unknown> | null; after: Record<string, unknown> | null; status: number; method: string };

async function auditOf(query: string): Promise<Entry[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/audit?${query}`, headers: t.auth });
  expect(res.statusCode).toBe(200);
  return res.json().items;
}

beforeAll(async () => {
  t = await buildTestApp();
  bank = await seedBank(t.app, t.db, 'default');
});
afterAll(() => t.close());

describe('audit log', () => {
  it('records a write with who, what and before/after, queryable by record and by user', async () => {
    const customer = bank.customers[0];
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${customer.id}`, headers: agent().auth, payload: { postcode: 'SW1A 1AA' } });
    expect(res.statusCode).toBe(200);
    const [entry] = await auditOf(`resourceId=${customer.id}&action=update`);
    expect(entry).toMatchObject({ action: 'update', resource: 'customers', resourceId: customer.id, actorUserId: agent().userId, status: 200, method: 'PATCH' });
    expect(entry.before?.postcode).toBeNull();
    expect(entry.after?.postcode).toBe('SW1A 1AA');
    const byUser = await auditOf(`userId=${agent().userId}`);
    expect(byUser.some((e) => e.resourceId === customer.id && e.action === 'update')).toBe(true);
    expect(byUser.every((e) => e.actorUserId === agent().userId)).toBe(true);
  });

  it('writes a write\'s entry in the write\'s own transaction: once, with the declared success status', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: t.auth, payload: { displayName: 'Ada Audited' } });
    expect(res.statusCode).toBe(201);
    const entries = await auditOf(`resourceId=${res.json().id}`);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'create', resource: 'customers', status: 201, method: 'POST' });
    expect(entries[0].after?.displayName).toBe('Ada Audited');
  });

  it('rolls back the write when its audit entry fails, and the entry when the write fails at commit', async () => {
    const customersNamed = async (name: string) =>
      (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM golden_customers WHERE display_name = $1', [name]))[0].n;
    const entriesNamed = async (name: string) =>
      (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE after->>'displayName' = $1", [name]))[0].n;

    // 1. The audit insert fails after the customer row was written: neither stays.
    await t.db.query("ALTER TABLE audit_log ADD CONSTRAINT test_refuse_entry CHECK (after->>'displayName' IS DISTINCT FROM 'Audit Breaker') NOT VALID");
    try {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: t.auth, payload: { displayName: 'Audit Breaker' } });
      expect(res.statusCode).toBe(500);
    } finally {
      await t.db.query('ALTER TABLE audit_log DROP CONSTRAINT test_refuse_entry');
    }
    expect(await customersNamed('Audit Breaker'), 'the customer write rolled back with its entry').toBe(0);

    // 2. Both inserts succeed, then the transaction fails at commit (a deferred check on the customer): neither stays.
    await t.db.query(`CREATE FUNCTION test_refuse_customer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.display_name = 'Commit Breaker' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NULL; END $$`);
    await t.db.query(`CREATE CONSTRAINT TRIGGER test_refuse_customer AFTER INSERT ON golden_customers DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION test_refuse_customer()`);
    try {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: t.auth, payload: { displayName: 'Commit Breaker' } });
      expect(res.statusCode).toBe(500);
    } finally {
      await t.db.query('DROP TRIGGER test_refuse_customer ON golden_customers');
      await t.db.query('DROP FUNCTION test_refuse_customer()');
    }
    expect(await customersNamed('Commit Breaker')).toBe(0);
    expect(await entriesNamed('Commit Breaker'), 'the entry rolled back with the write it described').toBe(0);

    // And once the obstacle is gone the same write commits with its entry.
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: t.auth, payload: { displayName: 'Commit Breaker' } });
    expect(ok.statusCode).toBe(201);
    expect([await customersNamed('Commit Breaker'), await entriesNamed('Commit Breaker')]).toEqual([1, 1]);
  });

  it('records sensitive reads (a customer’s 360 view) but not ordinary lists', async () => {
    const customer = bank.customers[3];
    await t.app.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}/360`, headers: agent().auth });
    await t.app.inject({ method: 'GET', url: '/api/v1/customers', headers: agent().auth });
    const entries = await auditOf(`userId=${agent().userId}&action=read`);
    expect(entries.map((e) => e.resourceId)).toContain(customer.id);
    expect(entries.every((e) => e.resourceId)).toBe(true);
  });

  it('records writes a service did not describe, denied writes and sign-ins, and never credentials', async () => {
    const key = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: agent().auth, payload: { name: 'laptop' } });
    expect(key.statusCode).toBe(201);
    const [created] = await auditOf(`resourceId=${key.json().id}`);
    expect(created).toMatchObject({ action: 'create', resource: 'api-keys', actorUserId: agent().userId });

    const user = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: t.auth, payload: { email: 'audited@example.org', displayName: 'Audited', role: 'agent', password: 'a long enough password' } });
    expect(user.statusCode).toBe(201);

    const denied = await t.app.inject({ method: 'POST', url: '/api/v1/divisions', headers: agent().auth, payload: { code: 'NOPE', name: 'Nope' } });
    expect(denied.statusCode).toBe(403);
    const [refusal] = await auditOf(`userId=${agent().userId}&action=denied`);
    expect(refusal).toMatchObject({ resource: 'divisions', status: 403 });

    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'audited@example.org', password: 'wrong password!' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'audited@example.org', password: 'a long enough password' } });
    const signIns = await auditOf('resource=sessions');
    expect(signIns.map((e) => e.action).slice(0, 2)).toEqual(['login', 'login-failed']);
    expect(signIns[0].actorUserId).toBe(user.json().id);

    const all = await t.app.inject({ method: 'GET', url: '/api/v1/audit/export', headers: t.auth });
    expect(all.body).not.toContain(key.json().secret);
    expect(all.body).not.toContain('a long enough password');
    expect(all.body).not.toContain('scrypt$');
  });

  it('is for administrators only', async () => {
    for (const p of bank.principals.filter((x) => x.role !== 'admin')) {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: p.auth })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit/export', headers: p.auth })).statusCode).toBe(403);
    }
  });

  it('exports JSON Lines, oldest first, and records the export', async () => {
    const customer = bank.customers[0];
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}`, headers: agent().auth })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/audit/export?resourceId=${customer.id}`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as Entry & { id: string });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.resourceId === customer.id)).toBe(true);
    expect([...lines.map((l) => l.id)].sort()).toEqual(lines.map((l) => l.id));
    const [exported] = await auditOf('action=export');
    expect(exported).toMatchObject({ resource: 'audit', actorUserId: t.admin.id });
  });

  it('pages newest first with a cursor', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=2', headers: t.auth });
    const page1 = first.json();
    expect(page1.items).toHaveLength(2);
    const second = await t.app.inject({ method: 'GET', url: `/api/v1/audit?limit=2&cursor=${page1.nextCursor}`, headers: t.auth });
    const ids = [...page1.items, ...second.json().items].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(4);
    expect([...ids].sort().reverse()).toEqual(ids);
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE fail', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(before[0].n).toBeGreaterThan(0);
    await expect(t.db.query("UPDATE audit_log SET action = 'nothing'")).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(t.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(after[0].n).toBe(before[0].n);
  });
});
