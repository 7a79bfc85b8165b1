import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../core/db/testing.js';
import type { Database } from '../../core/db/engine.js';
import { systemActor } from '../../core/actor.js';
import { ConflictError } from '../../core/errors.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { AccessService } from '../access/service.js';
import { CustomerService } from '../identity/service.js';
import { generateBank } from './generator.js';
import { BULK_TABLES, loadDemoBank, verifyForeignKeys, type DemoLoadSummary } from './loader.js';
import { DEMO_PASSWORD, STAFF } from './staff.js';
import { STORY } from './story.js';

const OPTS = { customers: 1_000, seed: 11, asOf: '2025-06-30' };

describe('loadDemoBank', () => {
  let db: Database;
  let summary: DemoLoadSummary;
  const progress: number[] = [];

  let indexesBefore: string[] = [];
  const indexes = async () =>
    (await db.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE tablename = ANY($1::text[]) ORDER BY indexname`, [[...BULK_TABLES]])).map((r) => r.def);

  beforeAll(async () => {
    db = await openTestDatabase();
    indexesBefore = await indexes();
    summary = await loadDemoBank(db, { ...OPTS, batchRows: 5_000, onProgress: (p) => progress.push(p.customers) });
  });
  afterAll(async () => {
    await db?.close();
  });

  const one = async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params))[0];
  /** Content of every bulk-loaded table, minus load-time columns: equal digests mean equal rows. */
  const fingerprint = async () =>
    one<{ sr: string; acc: string; int: string; truth: string }>(`
      SELECT (SELECT md5(string_agg(concat_ws('|', id, external_id, search_name, date_of_birth, email, phone, national_id, raw::text, content_hash), ',' ORDER BY id)) FROM source_records) AS sr,
             (SELECT md5(string_agg(concat_ws('|', id, source_record_id, account_number, status, opened_on, closed_on, balance), ',' ORDER BY id)) FROM accounts) AS acc,
             (SELECT md5(string_agg(concat_ws('|', id, source_record_id, touch_point, occurred_at, subject, outcome, sentiment, cost), ',' ORDER BY id)) FROM interactions) AS int,
             (SELECT md5(string_agg(concat_ws('|', source_record_id, person_key, household_key, quirks::text), ',' ORDER BY source_record_id)) FROM demo_truth) AS truth`);

  it('loads exactly what the generator produces, reporting progress up to every customer', async () => {
    const expected = { source_records: 0, demo_truth: 0, accounts: 0, interactions: 0 };
    for (const h of generateBank(OPTS)) {
      expected.source_records += h.records.length;
      expected.demo_truth += h.records.length;
      expected.accounts += h.accounts.length;
      expected.interactions += h.interactions.length;
    }
    expect(summary.rows).toEqual(expected);
    for (const [table, n] of Object.entries(expected)) expect((await one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).n, table).toBe(n);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(1_000);
    expect(summary.rowsPerSecond).toBeGreaterThan(0);
  });

  it('leaves every index of the bulk tables as the schema defines it', async () => {
    expect(indexesBefore.length).toBeGreaterThan(8);
    expect(await indexes()).toEqual(indexesBefore);
  });

  it('gives each division its own source system and layout, and normalises every layout', async () => {
    const rows = await db.query<{ division: string; source: string; n: number; dob: number; phone: number; nid: number; email: number; layout: { dateFormat: string } }>(`
      SELECT d.code AS division, ss.code AS source, ss.layout, count(*) AS n, count(sr.date_of_birth) AS dob, count(sr.phone) AS phone,
             count(sr.national_id) AS nid, count(sr.email) AS email
        FROM source_records sr JOIN source_systems ss ON ss.id = sr.source_system_id JOIN divisions d ON d.id = ss.division_id
       GROUP BY d.code, ss.code, ss.layout`);
    expect(rows.map((r) => r.division).sort()).toEqual(['CARDS', 'EVERYDAY', 'INSURANCE', 'MORTGAGES', 'WEALTH']);
    expect(new Set(rows.map((r) => r.layout.dateFormat)).size).toBeGreaterThanOrEqual(4);
    const at = (code: string) => rows.find((r) => r.division === code)!;
    // Every division's own date format parses: most records keep a birth date after normalisation.
    for (const r of rows) expect(r.dob / r.n, r.division).toBeGreaterThan(r.division === 'WEALTH' ? 0.55 : 0.8);
    for (const r of rows) expect(r.phone / r.n, r.division).toBeGreaterThan(0.85);
    expect(at('INSURANCE').nid / at('INSURANCE').n).toBeGreaterThan(0.9);
    expect(at('MORTGAGES').nid).toBe(0);
    expect(at('WEALTH').email / at('WEALTH').n).toBeGreaterThan(0.9);
    const badPhones = await one<{ n: number }>(`SELECT count(*) AS n FROM source_records WHERE phone !~ '^\\+1[2-9][0-9]{9}$'`);
    expect(badPhones.n).toBe(0);
  });

  it("holds Bill Jackson's story: a big mortgage as William J. Jackson, a card as Bill, an offer of that same card, a recent home-equity call", async () => {
    const records = await db.query<{ id: string; source: string; full_name: string; search_name: string }>(`
      SELECT sr.id, ss.code AS source, sr.full_name, sr.search_name FROM demo_truth t
        JOIN source_records sr ON sr.tenant_id = t.tenant_id AND sr.id = t.source_record_id
        JOIN source_systems ss ON ss.id = sr.source_system_id
       WHERE t.person_key = $1 ORDER BY ss.code`, [STORY.bill]);
    expect(records.map((r) => r.source)).toEqual(['card_platform', 'mortgage_servicing']);
    const [card, mortgage] = records;
    expect(mortgage.full_name).toBe('William J Jackson');
    expect(card.search_name).toBe('bill jackson');

    const accounts = await db.query<{ source_record_id: string; code: string; category: string; status: string; balance: number | null; opened_on: string }>(`
      SELECT a.source_record_id, p.code, p.category, a.status, a.balance, a.opened_on::text AS opened_on
        FROM accounts a JOIN products p ON p.id = a.product_id WHERE a.source_record_id = ANY($1::uuid[]) ORDER BY p.code, a.status`,
      [records.map((r) => r.id)]);
    const loan = accounts.find((a) => a.source_record_id === mortgage.id)!;
    expect(loan).toMatchObject({ category: 'mortgage', status: 'open', opened_on: '2010-06-30' });
    expect(loan.balance).toBeGreaterThan(1_000_000);
    // The silo failure, as data: Cards offers him the product category he already holds there.
    const offered = await db.query<{ code: string }>(`
      SELECT p.code FROM accounts o JOIN products p ON p.id = o.product_id
       WHERE o.source_record_id = $1 AND o.status = 'offered'
         AND EXISTS (SELECT 1 FROM accounts h JOIN products hp ON hp.id = h.product_id
                      WHERE h.source_record_id = o.source_record_id AND h.status = 'open' AND hp.category = p.category)`, [card.id]);
    expect(offered.map((o) => o.code)).toEqual([STORY.cardProduct]);

    const call = await one<{ touch_point: string; outcome: string; seniority: number; days: number }>(`
      SELECT i.touch_point, i.outcome, u.seniority, ('2025-06-30'::date - i.occurred_at::date) AS days
        FROM interactions i JOIN users u ON u.id = i.staff_user_id
       WHERE i.source_record_id = $1 AND i.subject = 'Home-equity loan enquiry'`, [mortgage.id]);
    expect(call).toMatchObject({ touch_point: 'call_centre', outcome: 'documents_requested' });
    expect(call.days).toBeLessThanOrEqual(7);
    expect(call.seniority).toBeLessThan(3);
  });

  it('finds Bill Jackson by name search', async () => {
    const customers = new CustomerService(db);
    const actor = systemActor(DEFAULT_TENANT);
    const jackson = await customers.listSourceRecords(actor, { q: 'Jackson', limit: 20 });
    expect(jackson.items.map((r) => r.externalId)).toEqual(expect.arrayContaining(['B00000001', 'C-00000001']));
    const bill = await customers.listSourceRecords(actor, { q: 'Bill Jackson', limit: 5 });
    expect(bill.items[0].externalId).toBe('C-00000001');
  });

  it('keeps the answer key consistent: one key per person, household members apart', async () => {
    const truth = await one<{ records: number; truth: number; households_split: number }>(`
      SELECT (SELECT count(*) FROM source_records) AS records, (SELECT count(*) FROM demo_truth) AS truth,
             (SELECT count(*) FROM (SELECT person_key FROM demo_truth GROUP BY person_key HAVING count(DISTINCT household_key) > 1) x) AS households_split`);
    expect(truth.truth).toBe(truth.records);
    expect(truth.households_split).toBe(0);
    const jacksons = await db.query<{ person_key: string; n: number }>(
      `SELECT person_key, count(*) AS n FROM demo_truth WHERE household_key = $1 GROUP BY person_key ORDER BY person_key`, [STORY.householdKey]);
    expect(jacksons).toEqual([{ person_key: STORY.bill, n: 2 }, { person_key: STORY.peggy, n: 2 }, { person_key: STORY.son, n: 1 }]);
    // Same address, different people: households where two person keys share a normalised address line and postcode.
    const shared = await one<{ n: number }>(`
      SELECT count(*) AS n FROM (
        SELECT t.household_key FROM demo_truth t JOIN source_records sr ON sr.id = t.source_record_id
         WHERE NOT 'old_address' = ANY(t.quirks)
         GROUP BY t.household_key, lower(sr.address_line1), left(sr.postcode, 5) HAVING count(DISTINCT t.person_key) > 1) x`);
    expect(shared.n).toBeGreaterThan(50);
  });

  it('leaves no dangling reference, including the columns without a foreign key', async () => {
    const dangling = await one<Record<string, number>>(`
      SELECT
        (SELECT count(*) FROM accounts a LEFT JOIN divisions d ON d.tenant_id = a.tenant_id AND d.id = a.division_id WHERE d.id IS NULL) AS account_division,
        (SELECT count(*) FROM accounts a JOIN products p ON p.id = a.product_id WHERE p.division_id <> a.division_id) AS account_product_division,
        (SELECT count(*) FROM accounts a JOIN source_records sr ON sr.id = a.source_record_id JOIN source_systems ss ON ss.id = sr.source_system_id
          WHERE ss.division_id <> a.division_id) AS account_record_division,
        (SELECT count(*) FROM interactions i JOIN source_records sr ON sr.id = i.source_record_id JOIN source_systems ss ON ss.id = sr.source_system_id
          WHERE ss.division_id <> i.division_id) AS interaction_record_division,
        (SELECT count(*) FROM interactions i LEFT JOIN users u ON u.tenant_id = i.tenant_id AND u.id = i.staff_user_id
          WHERE i.staff_user_id IS NOT NULL AND u.id IS NULL) AS interaction_staff,
        (SELECT count(*) FROM interactions i JOIN users u ON u.id = i.staff_user_id WHERE NOT (i.division_id = ANY(u.division_ids))) AS staff_outside_division,
        (SELECT count(*) FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.team_id IS NOT NULL AND t.id IS NULL) AS user_team`);
    expect(dangling).toEqual({
      account_division: 0, account_product_division: 0, account_record_division: 0, interaction_record_division: 0,
      interaction_staff: 0, staff_outside_division: 0, user_team: 0,
    });
    const staffed = await one<{ n: number }>('SELECT count(*) AS n FROM interactions WHERE staff_user_id IS NOT NULL');
    expect(staffed.n).toBeGreaterThan(100);
  });

  it('catches a dangling reference after a load with deferred foreign-key checks', async () => {
    await expect(verifyForeignKeys(db, DEFAULT_TENANT)).resolves.toBeUndefined();
    const [division] = await db.query<{ id: string }>('SELECT id FROM divisions LIMIT 1');
    await db.transaction(async (q) => {
      await q('SET LOCAL session_replication_role = replica');
      await q(`INSERT INTO interactions (tenant_id, id, source_record_id, division_id, touch_point, direction, occurred_at, subject)
               VALUES ($1, gen_random_uuid(), gen_random_uuid(), $2, 'web', 'inbound', now(), 'orphan')`, [DEFAULT_TENANT, division.id]);
    });
    try {
      await expect(verifyForeignKeys(db, DEFAULT_TENANT)).rejects.toThrow(/interactions point at no source_records/);
    } finally {
      await db.query("DELETE FROM interactions WHERE subject = 'orphan'");
    }
  });

  it('creates staff and teams per division, and the documented demo accounts can sign in', async () => {
    const perDivision = await db.query<{ code: string; teams: number; seniors: number; juniors: number }>(`
      SELECT d.code, (SELECT count(*) FROM teams t WHERE t.division_id = d.id) AS teams,
             count(*) FILTER (WHERE u.seniority >= 4) AS seniors, count(*) FILTER (WHERE u.seniority <= 2) AS juniors
        FROM divisions d JOIN users u ON d.id = ANY(u.division_ids) GROUP BY d.id, d.code ORDER BY d.code`);
    expect(perDivision).toHaveLength(5);
    for (const d of perDivision) {
      expect(d.teams, d.code).toBe(2);
      expect(d.seniors, d.code).toBeGreaterThanOrEqual(1);
      expect(d.juniors, d.code).toBeGreaterThanOrEqual(1);
    }
    const access = new AccessService(db);
    const signIn = STAFF.filter((s) => s.signIn);
    expect(summary.signIn.map((s) => s.email)).toEqual(signIn.map((s) => s.email));
    const session = await access.login(DEFAULT_TENANT, 'admin@demo.rapport', DEMO_PASSWORD);
    expect(session.user.role).toBe('admin');
  });

  it('refuses to load into a database that holds records, and --force reloads the same seed to the same rows', async () => {
    const before = await fingerprint();
    await expect(loadDemoBank(db, OPTS)).rejects.toBeInstanceOf(ConflictError);
    // The first load generated in a worker thread; this one in-process: the rows must not depend on it.
    const again = await loadDemoBank(db, { ...OPTS, force: true, inProcess: true });
    expect(again.cleared).toEqual(expect.arrayContaining(['source_records', 'accounts', 'interactions', 'demo_truth']));
    expect(again.rows).toEqual(summary.rows);
    expect(await fingerprint()).toEqual(before);
    const users = await one<{ n: number }>('SELECT count(*) AS n FROM users');
    expect(users.n).toBe(STAFF.length);
  });

  it('leaves no half-loaded bank when a load fails (PGlite: nothing at all), and the indexes intact', async () => {
    const failing = loadDemoBank(db, {
      ...OPTS, force: true, batchRows: 5_000,
      onProgress: (p) => {
        if (p.customers > 300) throw new Error('interrupted');
      },
    });
    await expect(failing).rejects.toThrow('interrupted');
    const { n } = await one<{ n: number }>('SELECT count(*) AS n FROM source_records');
    if (db.engine === 'pglite') expect(n).toBe(0);
    else expect(n).toBeLessThan(summary.rows.source_records);
    expect(await indexes()).toEqual(indexesBefore);
  });
});
