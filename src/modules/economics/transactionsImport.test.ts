import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../core/db/testing.js';
import type { Database } from '../../core/db/engine.js';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { UnprocessableError, ValidationError } from '../../core/errors.js';
import { OrgService } from '../org/service.js';
import { runImport } from '../identity/import/importer.js';
import { kindAndMapping } from '../identity/import/kinds.js';
import { planTarget } from '../identity/import/target.js';
import { parseInstant } from './transactionsImport.js';

let db: Database;
let tmp: string;

beforeAll(async () => {
  db = await openTestDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-tx-'));
});
afterAll(async () => {
  await db?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};

async function importTransactions(file: string, mappingInput: unknown, source: string, onError: 'skip' | 'abort' = 'skip') {
  const { kind, mapping } = kindAndMapping(mappingInput, 'transactions');
  const target = await planTarget(new OrgService(db), systemActor(DEFAULT_TENANT), { source, division: 'Shop' });
  return runImport({ db, kind, file, mapping, nameHint: file, onError, target });
}

const rowsOf = (source: string) =>
  db.query<{ customer: string; external_id: string; day: string; amount: number; kind: string; product: string | null; quantity: number | null }>(
    `SELECT r.external_id AS customer, t.external_id, to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, t.amount, t.kind, t.product, t.quantity
       FROM transactions t JOIN source_records r ON r.tenant_id = t.tenant_id AND r.id = t.source_record_id
       JOIN source_systems s ON s.tenant_id = t.tenant_id AND s.id = t.source_system_id
      WHERE s.code = $1 ORDER BY t.occurred_at, t.external_id`,
    [source],
  );

const mapping = { columns: { cust: 'customer_external_id', date: 'occurred_at', sales: 'amount', cds: 'quantity' } };

describe('transactions import', () => {
  it('keeps identical rows as distinct purchases and re-imports the same file as a no-op', async () => {
    const file = write('repeats.csv', 'cust,date,sales,cds\nA,19970101,29.33,2\nA,19970101,29.33,2\nB,1997-01-02,10,1\nA,19970101,29.33,2\n');
    const first = await importTransactions(file, mapping, 'SHOP');
    expect(first).toMatchObject({ kind: 'transactions', rowsRead: 4, inserted: 4, bad: 0 });
    const rows = await rowsOf('SHOP');
    expect(rows).toHaveLength(4);
    expect(rows.filter((r) => r.customer === 'A')).toHaveLength(3);
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(4);
    expect(rows.find((r) => r.customer === 'B')).toMatchObject({ day: '1997-01-02', amount: 10, quantity: 1, kind: 'purchase' });

    const again = await importTransactions(file, mapping, 'SHOP');
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
    expect(await rowsOf('SHOP')).toEqual(rows);

    // A fourth identical line is a fourth purchase; the first three keep their keys.
    const more = write('repeats-more.csv', 'cust,date,sales,cds\nA,19970101,29.33,2\nA,19970101,29.33,2\nB,1997-01-02,10,1\nA,19970101,29.33,2\nA,19970101,29.33,2\n');
    expect(await importTransactions(more, mapping, 'SHOP')).toMatchObject({ inserted: 1, unchanged: 4 });
  });

  it('creates a minimal source record for a customer the source has not sent, once', async () => {
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM source_records r JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id WHERE s.code = 'SHOP'`,
    );
    expect(n).toBe(2);
    const [rec] = await db.query<{ raw: Record<string, unknown>; search_name: string }>(
      `SELECT r.raw, r.search_name FROM source_records r JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id WHERE s.code = 'SHOP' AND r.external_id = 'A'`,
    );
    expect(rec.raw).toEqual({ createdBy: 'transactions import' });
  });

  it('uses the transaction id when the file has one, and updates a changed row in place', async () => {
    const m = { columns: { id: 'external_id', cust: 'customer_external_id', at: 'occurred_at', amt: 'amount', type: 'kind', sku: 'product' } };
    const v1 = write('ids.csv', 'id,cust,at,amt,type,sku\nT1,C1,2024-03-01T10:15:00+02:00,12.50,purchase,BOOK\nT2,C1,2024-03-02,1.5,Interest-Margin,\n');
    expect(await importTransactions(v1, m, 'IDS')).toMatchObject({ inserted: 2, bad: 0 });
    const v2 = write('ids2.csv', 'id,cust,at,amt,type,sku\nT1,C1,2024-03-01T10:15:00+02:00,13.50,purchase,BOOK\nT2,C1,2024-03-02,1.5,Interest-Margin,\n');
    expect(await importTransactions(v2, m, 'IDS')).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    const rows = await rowsOf('IDS');
    expect(rows.map((r) => [r.external_id, r.day, r.amount, r.kind, r.product])).toEqual([
      ['T1', '2024-03-01', 13.5, 'purchase', 'BOOK'],
      ['T2', '2024-03-02', 1.5, 'interest_margin', null],
    ]);
  });

  it('reports negative and non-numeric amounts, unreadable and future dates and unknown kinds as bad rows', async () => {
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const m = { columns: { cust: 'customer_external_id', date: 'occurred_at', sales: 'amount', kind: 'kind' } };
    const file = write(
      'bad.csv',
      ['cust,date,sales,kind', 'A,2024-01-01,-5,purchase', 'A,2024-01-01,abc,purchase', 'A,2024-02-30,5,purchase', `A,${future},5,purchase`, 'A,2024-01-01,5,gift', ',2024-01-01,5,fee', 'A,2024-01-03,7,fee'].join('\n'),
    );
    const s = await importTransactions(file, m, 'BAD');
    expect(s).toMatchObject({ rowsRead: 7, inserted: 1, bad: 6 });
    expect(s.sample.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'amount'],
      [3, 'amount'],
      [4, 'occurred_at'],
      [5, 'occurred_at'],
      [6, 'kind'],
      [7, 'customer_external_id'],
    ]);
    expect(s.sample.errors[0].reason).toMatch(/negative/);
    expect(s.sample.errors[1].reason).toMatch(/not a number/);
    expect(s.sample.errors[3].reason).toMatch(/future/);
    const aborted = await importTransactions(file, m, 'BAD2', 'abort').catch((e) => e);
    expect(aborted).toBeInstanceOf(UnprocessableError);
  });

  it('refuses a mapping without the required fields, naming them', () => {
    let err: unknown;
    try {
      kindAndMapping({ columns: { cust: 'customer_external_id' } }, 'transactions');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.message)).toEqual(expect.arrayContaining(['map a column to occurred_at', 'map a column to amount']));
  });

  it('reads dates as calendar days or instants', () => {
    expect(parseInstant('19970101')?.toISOString()).toBe('1997-01-01T00:00:00.000Z');
    expect(parseInstant('1997-01-01 23:30')?.toISOString()).toBe('1997-01-01T23:30:00.000Z');
    expect(parseInstant('1997-01-01T01:00:00+02:00')?.toISOString()).toBe('1996-12-31T23:00:00.000Z');
    expect(parseInstant('1997-13-01')).toBeNull();
    expect(parseInstant('01/02/1997')).toBeNull();
  });
});
