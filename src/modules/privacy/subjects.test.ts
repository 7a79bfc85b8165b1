/**
 * Subject access export and erasure on the demo bank (resolved, with transactions, economics, interactions),
 * plus a case, a task, consents and a survey response for the person. After erasure the person's name, email
 * and phone are in no text column of any table, search finds nothing, the export shows only the erasure
 * record, re-importing their source row is suppressed — and every aggregate is what it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../api/testing.js';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { actorFor } from '../access/service.js';
import { loadDemoBank } from '../demo/loader.js';
import { seedEconomicsDemo } from '../economics/demoTransactions.js';
import { personsKind } from '../identity/import/persons.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
const admin = systemActor(DEFAULT_TENANT);
let subject: { customerId: string; sourceRecordIds: string[]; names: string[]; email: string | null; phone: string | null; displayName: string };
const call = (method: 'GET' | 'POST', url: string, body?: unknown, headers = t.auth) => t.app.inject({ method, url: `/api/v1${url}`, headers, ...(body ? { payload: body as object } : {}) });

/** Figures erasure must not move: economics, holdings, transactions, interactions per touch point, service counts. */
async function aggregates() {
  const [sql] = await t.db.query(
    `SELECT (SELECT count(*)::int FROM golden_customers WHERE tenant_id = $1) AS customers,
            (SELECT count(*)::int FROM source_records WHERE tenant_id = $1) AS records,
            (SELECT count(*)::int FROM customer_links WHERE tenant_id = $1) AS links,
            (SELECT count(*)::int || '/' || round(coalesce(sum(balance), 0)::numeric, 2) FROM accounts WHERE tenant_id = $1) AS accounts,
            (SELECT count(*)::int || '/' || round(coalesce(sum(amount), 0)::numeric, 2) FROM transactions WHERE tenant_id = $1) AS transactions,
            (SELECT string_agg(touch_point || ':' || n || ':' || c, ',' ORDER BY touch_point) FROM (SELECT touch_point, count(*) AS n, round(coalesce(sum(cost), 0)::numeric, 2) AS c FROM interactions WHERE tenant_id = $1 GROUP BY 1) x) AS touch_points,
            (SELECT count(*)::int || '/' || round(sum(clv)::numeric, 2) || '/' || round(sum(profit)::numeric, 2) FROM customer_economics WHERE tenant_id = $1) AS economics,
            (SELECT count(*)::int FROM cases WHERE tenant_id = $1) AS cases,
            (SELECT count(*)::int || '/' || coalesce(sum(score), 0) FROM survey_responses WHERE tenant_id = $1) AS surveys`,
    [DEFAULT_TENANT],
  );
  return { sql, summary: JSON.parse(JSON.stringify(await t.app.services.economics.summary(admin))) };
}

/** Every text, jsonb and text[] column of every table, as text, that mentions any of the needles. */
async function mentions(needles: string[]) {
  const cols = await t.db.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type IN ('text', 'jsonb', 'ARRAY', 'character varying')",
  );
  const found: string[] = [];
  for (const c of cols) {
    for (const n of needles) {
      const [{ k }] = await t.db.query<{ k: number }>(`SELECT count(*)::int AS k FROM "${c.table_name}" WHERE "${c.column_name}"::text ILIKE $1`, [`%${n}%`]);
      if (k) found.push(`${c.table_name}.${c.column_name} ~ ${n} (${k})`);
    }
  }
  return found;
}

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoBank(t.db, { customers: 300, seed: 11, asOf: '2026-11-24' });
  await t.app.services.resolution.run(admin, { full: true });
  await seedEconomicsDemo(t.db, t.app.services.economics, DEFAULT_TENANT, {}, '2026-11-24');
  // Someone held in two divisions' systems, with interactions and an email: the interesting case.
  const [row] = await t.db.query<{ customer_id: string; display_name: string; email: string | null; phone: string | null; division_id: string }>(
    `SELECT g.id AS customer_id, g.display_name, g.email, g.phone, g.division_ids[1] AS division_id FROM golden_customers g
      WHERE g.tenant_id = $1 AND g.source_record_count >= 2 AND g.email IS NOT NULL AND g.phone IS NOT NULL
        AND EXISTS (SELECT 1 FROM customer_links l JOIN interactions i ON i.tenant_id = l.tenant_id AND i.source_record_id = l.source_record_id WHERE l.tenant_id = g.tenant_id AND l.customer_id = g.id)
        AND EXISTS (SELECT 1 FROM customer_economics e WHERE e.tenant_id = g.tenant_id AND e.customer_id = g.id)
        -- Nobody else shares the name, email or phone (the demo has namesakes on purpose), so any mention left is theirs.
        AND NOT EXISTS (SELECT 1 FROM golden_customers o WHERE o.tenant_id = g.tenant_id AND o.id <> g.id AND (o.display_name = g.display_name OR o.email = g.email OR o.phone = g.phone))
        AND NOT EXISTS (SELECT 1 FROM source_records r WHERE r.tenant_id = g.tenant_id AND (r.full_name ILIKE g.display_name OR r.email ILIKE g.email OR r.phone = g.phone)
                          AND r.id NOT IN (SELECT source_record_id FROM customer_links l WHERE l.tenant_id = g.tenant_id AND l.customer_id = g.id))
        AND NOT EXISTS (SELECT 1 FROM source_systems s WHERE s.layout::text ILIKE '%' || g.phone || '%' OR s.layout::text ILIKE '%' || g.display_name || '%' OR s.layout::text ILIKE '%' || g.email || '%')
      ORDER BY g.id LIMIT 1`,
    [DEFAULT_TENANT],
  );
  const records = await t.db.query<{ id: string; given_name: string | null; family_name: string | null }>(
    'SELECT r.id, r.given_name, r.family_name FROM source_records r JOIN customer_links l ON l.tenant_id = r.tenant_id AND l.source_record_id = r.id WHERE l.tenant_id = $1 AND l.customer_id = $2',
    [DEFAULT_TENANT, row.customer_id],
  );
  subject = {
    customerId: row.customer_id,
    sourceRecordIds: records.map((r) => r.id),
    displayName: row.display_name,
    email: row.email,
    phone: row.phone,
    names: [...new Set(records.map((r) => r.family_name).filter((n): n is string => !!n))],
  };
  // Service history and preferences that quote the person.
  const svc = t.app.services.service;
  await svc.cases.open(admin, { customerId: subject.customerId, kind: 'complaint', subject: `Complaint from ${row.display_name}`, description: `Call ${row.phone} or write to ${row.email}`, touchPoint: 'phone', divisionId: row.division_id });
  await t.app.services.consents.record(admin, subject.customerId, [{ channel: 'email', purpose: 'marketing', granted: true, source: 'web preference centre', note: `confirmed by ${row.email}` }]);
}, 600_000);
afterAll(() => t?.close());

describe('subject access export', () => {
  it('gathers everything about the person from every source and division, by customer id or source record id', async () => {
    const res = await call('GET', `/privacy/subjects/${subject.customerId}/export`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.subject.customerId).toBe(subject.customerId);
    expect(body.subject.sourceRecordIds.sort()).toEqual([...subject.sourceRecordIds].sort());
    expect(body.data.profile.golden_customers[0]).toMatchObject({ id: subject.customerId, display_name: subject.displayName });
    expect(Object.keys(body.data.profile.golden_customers[0].provenance).length).toBeGreaterThan(0);
    expect(body.data['source-records'].source_records).toHaveLength(subject.sourceRecordIds.length);
    expect(Object.keys(body.data['source-records'].source_records[0].raw).length, 'the raw payload is included').toBeGreaterThan(0);
    expect(body.data['identity-resolution'].customer_links).toHaveLength(subject.sourceRecordIds.length);
    expect(body.data.interactions.interactions.length).toBeGreaterThan(0);
    expect(body.data.holdings.accounts.length).toBeGreaterThan(0);
    expect(body.data.economics.customer_economics).toHaveLength(1);
    expect(body.data.economics.transactions.length).toBeGreaterThan(0);
    expect(body.data.service.cases).toHaveLength(1);
    expect(body.data.consents.customer_consents).toHaveLength(1);
    // By a source record id: the same person.
    const bySource = await call('GET', `/privacy/subjects/${subject.sourceRecordIds[0]}/export`);
    expect(bySource.json().subject.customerId).toBe(subject.customerId);
    // The export itself is audited as a sensitive read.
    const [{ n }] = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'export' AND path LIKE $1", [`%/privacy/subjects/${subject.customerId}/export%`]);
    expect(n).toBe(1);
  });

  it('is for the privacy permission only: a division manager is refused, a DPO is not', async () => {
    const users = t.app.services.access;
    const mgr = await users.createUser(DEFAULT_TENANT, { email: 'mgr@privacy.test', displayName: 'M', role: 'manager', divisionIds: [] });
    const dpo = await users.createUser(DEFAULT_TENANT, { email: 'dpo@privacy.test', displayName: 'D', role: 'dpo', divisionIds: [] });
    await expect(t.app.services.privacy.export(actorFor({ ...mgr, tenantId: DEFAULT_TENANT }), subject.customerId)).rejects.toMatchObject({ status: 403 });
    await expect(t.app.services.privacy.erase(actorFor({ ...mgr, tenantId: DEFAULT_TENANT }), subject.customerId, 'R-1')).rejects.toMatchObject({ status: 403 });
    const out = await t.app.services.privacy.export(actorFor({ ...dpo, tenantId: DEFAULT_TENANT }), subject.customerId);
    expect(out.subject.customerId).toBe(subject.customerId);
    const missing = await call('GET', '/privacy/subjects/00000000-0000-4000-8000-000000000000/export');
    expect(missing.statusCode).toBe(404);
  });
});

describe('erasure', () => {
  it('anonymises the person everywhere, keeps every aggregate, and leaves only the erasure record', async () => {
    const needles = [subject.email!, subject.phone!, subject.displayName];
    expect((await mentions(needles)).length, 'the person is there before').toBeGreaterThan(0);
    const before = await aggregates();
    const ext = await t.db.query<{ source_system_id: string; external_id: string }>('SELECT source_system_id, external_id FROM source_records WHERE id = $1', [subject.sourceRecordIds[0]]);

    const bad = await call('POST', `/privacy/subjects/${subject.customerId}/erase`, {});
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body/requestRef');
    const res = await call('POST', `/privacy/subjects/${subject.customerId}/erase`, { requestRef: 'DSR-2026-042' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().categories).toEqual(expect.arrayContaining(['profile', 'source-records', 'interactions', 'service', 'economics', 'consents']));

    expect(await mentions(needles), 'no table mentions the person').toEqual([]);
    expect(await aggregates()).toEqual(before);
    const search = await t.app.services.customers.listCustomers(admin, { q: subject.displayName, limit: 50 });
    expect(search.items.filter((c: { id: string }) => c.id === subject.customerId)).toEqual([]);

    const exported = (await call('GET', `/privacy/subjects/${subject.customerId}/export`)).json();
    expect(exported.data).toEqual({});
    expect(exported.erasures).toHaveLength(1);
    expect(exported.erasures[0]).toMatchObject({ request_ref: 'DSR-2026-042', customer_id: subject.customerId });
    expect(JSON.stringify(exported.erasures)).not.toContain(subject.displayName);
    const again = await call('POST', `/privacy/subjects/${subject.customerId}/erase`, { requestRef: 'DSR-2026-043' });
    expect(again.statusCode).toBe(409);

    // The source row coming back in an import is suppressed, not re-created.
    const { record } = personsKind.prepare({ line: 2, externalId: ext[0].external_id, fields: { given_name: 'Again', family_name: subject.names[0] ?? 'Again' }, raw: {} } as never, { constants: {} } as never);
    const counts = await t.db.transaction((q) => personsKind.writeBatch(q, { tenantId: DEFAULT_TENANT, sourceSystemId: ext[0].source_system_id } as never, [record]));
    expect(counts).toMatchObject({ inserted: 0, suppressed: 1 });
    const [{ n }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM source_records WHERE tenant_id = $1 AND external_id = $2', [DEFAULT_TENANT, ext[0].external_id]);
    expect(n).toBe(0);
    // The erasure is audited with the record, not the person.
    const audit = await t.db.query<{ after: unknown }>("SELECT after FROM audit_log WHERE resource = 'privacy' AND resource_id = $1", [subject.customerId]);
    expect(audit.length).toBeGreaterThan(0);
  }, 300_000);
});
