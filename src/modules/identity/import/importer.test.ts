import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { openTestDatabase } from '../../../core/db/testing.js';
import type { Database } from '../../../core/db/engine.js';
import { systemActor } from '../../../core/actor.js';
import { DEFAULT_TENANT } from '../../../core/ids.js';
import { UnprocessableError, ValidationError } from '../../../core/errors.js';
import { OrgService } from '../../org/service.js';
import { runImport, type ImportRequest } from './importer.js';
import { issueFiles } from './issues.js';
import { kindAndMapping, type ImportKind } from './kinds.js';
import { personsKind } from './persons.js';
import { planTarget } from './target.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, 'fixtures', name);
const peopleMapping = JSON.parse(fs.readFileSync(fixture('people.mapping.json'), 'utf8'));
const simpleMapping = { columns: { customer_id: 'external_id', first_name: 'given_name', last_name: 'family_name' } };

let db: Database;
let tmp: string;

beforeAll(async () => {
  db = await openTestDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-import-'));
});
afterAll(async () => {
  await db?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

type RunOptions = Partial<Pick<ImportRequest, 'onError' | 'batchSize' | 'afterBatch' | 'issues'>> & { source: string; kind?: ImportKind };

async function importFile(file: string, mappingInput: unknown, opts: RunOptions) {
  const { kind, mapping } = kindAndMapping(mappingInput);
  const target = await planTarget(new OrgService(db), systemActor(DEFAULT_TENANT), { source: opts.source, division: 'Cards' });
  return runImport({ db, kind: opts.kind ?? kind, file, mapping, nameHint: file, onError: opts.onError ?? 'skip', target, batchSize: opts.batchSize, afterBatch: opts.afterBatch, issues: opts.issues });
}

interface StoredRecord {
  external_id: string;
  given_name: string | null;
  family_name: string | null;
  date_of_birth: string | null;
  email: string | null;
  phone: string | null;
  country: string | null;
  raw: Record<string, unknown>;
  content_hash: string;
  updated_at: Date;
}

async function records(source: string): Promise<StoredRecord[]> {
  return db.query<StoredRecord>(
    `SELECT r.external_id, r.given_name, r.family_name, r.date_of_birth::text AS date_of_birth, r.email, r.phone, r.country, r.raw, r.content_hash, r.updated_at
     FROM source_records r JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id
     WHERE s.code = $1 ORDER BY r.external_id`,
    [source],
  );
}

const sourceExists = async (code: string) => (await db.query('SELECT 1 FROM source_systems WHERE code = $1', [code])).length > 0;

function writeTmp(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

/** What one clean run leaves behind, without ids and timestamps. */
const content = (rows: StoredRecord[]) => rows.map(({ updated_at: _u, ...rest }) => rest);

describe('import of persons', () => {
  it('imports a clean CSV: normalised fields, attributes, unmapped columns kept in raw', async () => {
    const summary = await importFile(fixture('people.csv'), peopleMapping, { source: 'CLEAN' });
    expect(summary).toMatchObject({ format: 'csv', delimiter: ',', rowsRead: 4, inserted: 4, updated: 0, unchanged: 0, bad: 0 });
    const rows = await records('CLEAN');
    expect(rows.map((r) => r.external_id)).toEqual(['C001', 'C002', 'C003', 'C004']);
    const bill = rows[0];
    expect(bill).toMatchObject({ given_name: 'Bill', family_name: 'Jackson', date_of_birth: '1961-04-12', email: 'bill.jackson@bigpond.net.au', phone: '+61412345678', country: 'AU' });
    // The attribute is kept under its chosen name (transformed); every other column as read.
    expect(bill.raw).toMatchObject({ tier: 'GOLD', branch: 'Sydney', customer_id: 'C001', dob: '1961-04-12' });
    expect(bill.raw).not.toHaveProperty('segment');
    expect(rows[1]).toMatchObject({ family_name: expect.stringContaining('Brien'), date_of_birth: '1975-05-12' });
    expect(rows[1].raw.branch).toBe('Melbourne, VIC');
    // An impossible date is dropped with a warning, never an error.
    expect(rows[2].date_of_birth).toBeNull();
    expect(summary.warnings).toBeGreaterThanOrEqual(1);
    expect(summary.sample.warnings).toContainEqual(expect.objectContaining({ line: 4, field: 'date_of_birth' }));
  });

  it('re-importing the same file changes nothing', async () => {
    await importFile(fixture('people.csv'), peopleMapping, { source: 'AGAIN' });
    const before = await records('AGAIN');
    const summary = await importFile(fixture('people.csv'), peopleMapping, { source: 'AGAIN' });
    expect(summary).toMatchObject({ rowsRead: 4, inserted: 0, updated: 0, unchanged: 4, bad: 0 });
    const after = await records('AGAIN');
    expect(after).toEqual(before);
  });

  it('updates changed rows only (mapped or unmapped column), and moves their updated_at', async () => {
    await importFile(fixture('people.csv'), peopleMapping, { source: 'CHANGE' });
    const before = new Map((await records('CHANGE')).map((r) => [r.external_id, r]));
    await new Promise((r) => setTimeout(r, 20));
    const changed = fs
      .readFileSync(fixture('people.csv'), 'utf8')
      .replace('Bill.Jackson@BigPond.net.au', 'bill@jackson.id.au')
      .replace('gold,Hobart', 'gold,Launceston')
      .concat('C005,New,Person,2000-01-01,new@bigpond.net.au,,bronze,Darwin\n');
    const summary = await importFile(writeTmp('changed.csv', changed), peopleMapping, { source: 'CHANGE' });
    expect(summary).toMatchObject({ rowsRead: 5, inserted: 1, updated: 2, unchanged: 2, bad: 0 });
    const after = new Map((await records('CHANGE')).map((r) => [r.external_id, r]));
    expect(after.get('C001')!.email).toBe('bill@jackson.id.au');
    expect(after.get('C004')!.raw.branch).toBe('Launceston');
    expect(after.get('C001')!.updated_at.getTime()).toBeGreaterThan(before.get('C001')!.updated_at.getTime());
    expect(after.get('C002')!.updated_at.getTime()).toBe(before.get('C002')!.updated_at.getTime());
    // What incremental resolution asks: the records changed since a moment (compared in SQL: a JS Date drops PostgreSQL's microseconds).
    const since = await db.query<{ external_id: string }>(
      `SELECT r.external_id FROM source_records r JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id
       WHERE r.tenant_id = $1 AND s.code = 'CHANGE'
         AND r.updated_at > (SELECT x.updated_at FROM source_records x WHERE x.source_system_id = s.id AND x.external_id = 'C002')
       ORDER BY r.external_id`,
      [DEFAULT_TENANT],
    );
    expect(since.map((r) => r.external_id)).toEqual(['C001', 'C004', 'C005']);
  });

  it('reports a repeated external id as a bad row (second occurrence) and a wrong field count', async () => {
    const summary = await importFile(fixture('duplicates.csv'), simpleMapping, { source: 'DUPS' });
    expect(summary).toMatchObject({ rowsRead: 4, inserted: 2, bad: 2 });
    expect(summary.sample.errors).toEqual([
      { line: 4, field: 'external_id', reason: 'duplicate external id "D1" (first seen on line 2)', raw: 'D1,Annie,Lee' },
      { line: 5, field: '(row)', reason: 'expected 3 fields, found 4', raw: 'D3,Cy,Ray,extra' },
    ]);
    const rows = await records('DUPS');
    expect(rows.map((r) => [r.external_id, r.given_name])).toEqual([
      ['D1', 'Ann'],
      ['D2', 'Bob'],
    ]);
  });

  it('reads TSV and JSON Lines into the same records as the CSV', async () => {
    await importFile(fixture('people.csv'), peopleMapping, { source: 'FMT_CSV' });
    const tsv = await importFile(fixture('people.tsv'), peopleMapping, { source: 'FMT_TSV' });
    const jsonl = await importFile(fixture('people.jsonl'), peopleMapping, { source: 'FMT_JSONL' });
    expect(tsv).toMatchObject({ format: 'csv', delimiter: '\t', inserted: 4, bad: 0 });
    expect(jsonl).toMatchObject({ format: 'jsonl', delimiter: null, inserted: 4, bad: 0 });
    const strip = (rows: StoredRecord[]) => rows.map(({ external_id, given_name, family_name, date_of_birth, email, phone }) => ({ external_id, given_name, family_name, date_of_birth, email, phone }));
    const csvRows = strip(await records('FMT_CSV'));
    expect(strip(await records('FMT_TSV'))).toEqual(csvRows);
    expect(strip(await records('FMT_JSONL'))).toEqual(csvRows);
    // A blank line in JSON Lines is skipped but still counted, so line numbers match the file.
    expect(jsonl.sample.warnings).toContainEqual(expect.objectContaining({ line: 4, field: 'date_of_birth' }));
  });

  it('keeps quoted fields with embedded delimiters, quotes and line breaks, and numbers lines physically', async () => {
    const summary = await importFile(fixture('quoted.csv'), { columns: { id: 'external_id', name: 'full_name' } }, { source: 'QUOTED' });
    expect(summary).toMatchObject({ delimiter: ';', rowsRead: 4, inserted: 3, bad: 1 });
    // The record without an id starts on line 7: the multi-line record before it spans lines 3 to 5.
    expect(summary.sample.errors).toEqual([{ line: 7, field: 'external_id', reason: 'the external id is empty', raw: ';NoId;x' }]);
    const rows = await records('QUOTED');
    expect(rows.map((r) => r.raw.note)).toEqual(['said "hello"', 'a;b\nc', '']);
    expect(rows[0].raw.name).toBe('Smith; John');
    expect(rows[1].raw.name).toBe('Multi\nLine');
  });

  it('rejects a file that lacks a mapped column before writing anything', async () => {
    const mapping = { columns: { customer_id: 'external_id', middle_name: 'given_name', nickname: { attribute: 'nick' } } };
    const err = await importFile(fixture('people.csv'), mapping, { source: 'MISSING' }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toContain('customer_id, first_name, last_name');
    expect(err.issues).toEqual([
      { path: 'mapping/columns/middle_name', message: 'column "middle_name" is not in the file' },
      { path: 'mapping/columns/nickname', message: 'column "nickname" is not in the file' },
    ]);
    expect(await sourceExists('MISSING')).toBe(false);
  });

  it('rejects an invalid mapping, naming every problem', () => {
    const attempt = (m: unknown) => {
      try {
        kindAndMapping(m);
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as ValidationError).issues;
      }
      throw new Error('mapping was accepted');
    };
    expect(attempt({ columns: { a: 'external_id', b: 'frist_name' } })).toEqual([
      { path: 'mapping/columns/b/field', message: expect.stringContaining('not a field of this kind') },
    ]);
    expect(attempt({ columns: { a: 'given_name' } })[0]).toEqual({ path: 'mapping/columns', message: expect.stringContaining('no external id') });
    expect(attempt({ colums: { a: 'external_id' } }).map((i) => i.path)).toEqual(expect.arrayContaining(['mapping/columns', 'mapping']));
    expect(attempt({ columns: { a: 'external_id', b: { field: 'email', transforms: ['shout'] } } })[0].path).toBe('mapping/columns/b/transforms/0');
    expect(attempt({ columns: { a: 'external_id', b: 'email', c: 'email' } })[0]).toEqual({ path: 'mapping/columns/c', message: 'field email is already mapped from column "b"' });
    expect(attempt({ columns: { a: 'external_id' }, dateFormats: ['YYYY/DD/MM'] })[0].path).toBe('mapping/dateFormats/0');
    expect(attempt({ columns: { a: 'external_id' }, encoding: 'utf16' })[0].path).toBe('mapping/encoding');
    expect(attempt({ columns: { a: 'external_id', b: { field: 'email', attribute: 'x' } } })[0].path).toBe('mapping/columns/b');
    expect(() => kindAndMapping({ kind: 'transactions', columns: { a: 'external_id' } }, 'persons')).toThrow(/mapping is for kind "transactions"/);
  });

  it('fails a malformed CSV with its line number and writes nothing, even with skip', async () => {
    const err = await importFile(fixture('broken-quote.csv'), simpleMapping, { source: 'BROKEN' }).catch((e) => e);
    expect(err).toBeInstanceOf(UnprocessableError);
    expect(err.message).toBe('malformed CSV at line 3: a quoted field is never closed');
    expect(await sourceExists('BROKEN')).toBe(false);
    const afterQuote = writeTmp('after-quote.csv', 'customer_id,first_name,last_name\nA1,"Ann"x,Lee\n');
    const err2 = await importFile(afterQuote, simpleMapping, { source: 'BROKEN' }).catch((e) => e);
    expect(err2.message).toBe('malformed CSV at line 2: text follows the closing quote of a field');
  });

  it('rejects invalid UTF-8 with the line, and reads the same bytes when the mapping declares latin1', async () => {
    const err = await importFile(fixture('people-latin1.csv'), peopleMapping, { source: 'LATIN' }).catch((e) => e);
    expect(err).toBeInstanceOf(UnprocessableError);
    expect(err.message).toMatch(/^line 5 is not valid UTF-8/);
    expect(await sourceExists('LATIN')).toBe(false);
    const summary = await importFile(fixture('people-latin1.csv'), { ...peopleMapping, encoding: 'latin1' }, { source: 'LATIN' });
    expect(summary).toMatchObject({ inserted: 4, bad: 0 });
    expect((await records('LATIN'))[3].family_name).toBe('García');
  });

  it('abort writes nothing when any row is bad; skip writes the good rows; both list the bad rows in the error file', async () => {
    const errorsAbort = path.join(tmp, 'abort-errors.csv');
    const issues = issueFiles({ errors: errorsAbort });
    const err = await importFile(fixture('duplicates.csv'), simpleMapping, { source: 'ABORT', onError: 'abort', issues }).catch((e) => e);
    await issues.close();
    expect(err).toBeInstanceOf(UnprocessableError);
    expect(err.message).toBe('2 bad rows of 4; nothing was written (--on-error abort)');
    expect(await sourceExists('ABORT')).toBe(false);
    const written = parse(fs.readFileSync(errorsAbort, 'utf8'), { columns: true });
    expect(written).toEqual([
      { line: '4', field: 'external_id', reason: 'duplicate external id "D1" (first seen on line 2)', raw: 'D1,Annie,Lee' },
      { line: '5', field: '(row)', reason: 'expected 3 fields, found 4', raw: 'D3,Cy,Ray,extra' },
    ]);

    const errorsSkip = path.join(tmp, 'skip-errors.csv');
    const skipIssues = issueFiles({ errors: errorsSkip });
    const summary = await importFile(fixture('duplicates.csv'), simpleMapping, { source: 'ABORT', onError: 'skip', issues: skipIssues });
    await skipIssues.close();
    expect(summary).toMatchObject({ inserted: 2, bad: 2 });
    expect(parse(fs.readFileSync(errorsSkip, 'utf8'), { columns: true })).toEqual(written);
  });

  it('writes the raw record of a multi-line bad row into the error file so it reads back intact', async () => {
    const file = writeTmp('multiline-bad.csv', 'id,name\n,"no id, and\n""two"" lines"\nX1,ok\n');
    const errors = path.join(tmp, 'multiline-errors.csv');
    const issues = issueFiles({ errors });
    await importFile(file, { columns: { id: 'external_id', name: 'full_name' } }, { source: 'MULTI', issues });
    await issues.close();
    expect(parse(fs.readFileSync(errors, 'utf8'), { columns: true })).toEqual([
      { line: '2', field: 'external_id', reason: 'the external id is empty', raw: ',"no id, and\n""two"" lines"' },
    ]);
  });

  it('composes external ids from several columns, or from a row hash', async () => {
    const composed = await importFile(fixture('people.csv'), { columns: { first_name: 'given_name' }, externalId: { columns: ['branch', 'customer_id'], separator: '/' } }, { source: 'COMPOSED' });
    expect(composed.inserted).toBe(4);
    expect((await records('COMPOSED'))[0].external_id).toBe('Hobart/C004');
    const hashed = await importFile(fixture('people.csv'), { columns: { first_name: 'given_name' }, externalId: { generate: 'row-hash' } }, { source: 'HASHED' });
    expect(hashed.inserted).toBe(4);
    expect((await records('HASHED')).every((r) => /^h:[\w-]{32}$/.test(r.external_id))).toBe(true);
    expect((await importFile(fixture('people.csv'), { columns: { first_name: 'given_name' }, externalId: { generate: 'row-hash' } }, { source: 'HASHED' })).unchanged).toBe(4);
  });

  it("a kind's own row check rejects rows in the validation pass: abort writes nothing, skip reports each bad row once", async () => {
    const strict: ImportKind = { ...personsKind, validate: (row) => (row.fields.given_name?.startsWith('A') ? { field: 'given_name', reason: 'no A names' } : null) };
    const err = await importFile(fixture('people.csv'), peopleMapping, { source: 'STRICT', kind: strict, onError: 'abort' }).catch((e) => e);
    expect(err).toBeInstanceOf(UnprocessableError);
    expect(err.issues).toEqual([{ path: 'line 3/given_name', message: 'no A names' }]);
    expect(await sourceExists('STRICT')).toBe(false);
    const summary = await importFile(fixture('people.csv'), peopleMapping, { source: 'STRICT', kind: strict, onError: 'skip' });
    expect(summary).toMatchObject({ inserted: 3, bad: 1, sample: { errors: [{ line: 3, field: 'given_name', reason: 'no A names', raw: expect.stringMatching(/^C002,Ann,/) }] } });
  });

  it('after a crash part-way, a re-run ends exactly where one clean run does', async () => {
    const lines = ['customer_id,first_name,last_name,dob,email,phone,segment,branch'];
    for (let i = 1; i <= 20; i++) lines.push(`K${String(i).padStart(3, '0')},Given${i},Family${i},1970-01-${String((i % 28) + 1).padStart(2, '0')},p${i}@bigpond.net.au,,gold,B${i}`);
    const file = writeTmp('twenty.csv', `${lines.join('\n')}\n`);

    // Killed after the second batch committed…
    const killed = await importFile(file, peopleMapping, {
      source: 'CRASH',
      batchSize: 3,
      afterBatch: (n) => {
        if (n === 2) throw new Error('killed');
      },
    }).catch((e) => e);
    expect(killed.message).toBe('killed');
    expect(await records('CRASH')).toHaveLength(6);

    // …and killed inside the fourth batch's transaction: that batch rolls back.
    let calls = 0;
    const dying: ImportKind = {
      ...personsKind,
      async writeBatch(q, target, recs) {
        const counts = await personsKind.writeBatch(q, target, recs as never);
        if (++calls === 4) throw new Error('killed mid-batch');
        return counts;
      },
    };
    const killed2 = await importFile(file, peopleMapping, { source: 'CRASH', batchSize: 3, kind: dying }).catch((e) => e);
    expect(killed2.message).toBe('killed mid-batch');
    expect(await records('CRASH')).toHaveLength(9);

    const rerun = await importFile(file, peopleMapping, { source: 'CRASH', batchSize: 3 });
    expect(rerun).toMatchObject({ rowsRead: 20, inserted: 11, updated: 0, unchanged: 9, batches: 7 });
    await importFile(file, peopleMapping, { source: 'CLEANRUN', batchSize: 3 });
    expect(content(await records('CRASH'))).toEqual(content(await records('CLEANRUN')));
  });
});

const repoRoot = path.resolve(here, '../../../..');
const benchData = path.resolve(repoRoot, '../shared/bench-data');
const febrl = path.join(benchData, 'febrl/dataset1.csv');
const hasFebrl = fs.existsSync(febrl);
if (!hasFebrl) console.warn(`skipping the FEBRL import test: ${febrl} is missing`);

describe.skipIf(!hasFebrl)('FEBRL file with only a mapping', () => {
  it('reads the ", " separated header and keeps every value as a string', async () => {
    const mapping = {
      columns: {
        rec_id: 'external_id',
        given_name: 'given_name',
        surname: 'family_name',
        street_number: 'street_number',
        address_1: 'address_line1',
        address_2: 'address_line2',
        suburb: 'locality',
        postcode: 'postcode',
        state: 'region',
        date_of_birth: 'date_of_birth',
        soc_sec_id: 'national_id',
      },
    };
    const summary = await importFile(febrl, mapping, { source: 'FEBRL1' });
    expect(summary).toMatchObject({ rowsRead: 1000, inserted: 1000, bad: 0 });
    const [rec] = await db.query<{ given_name: string | null; family_name: string; date_of_birth: string; raw: Record<string, string> }>(
      `SELECT given_name, family_name, date_of_birth::text AS date_of_birth, raw FROM source_records WHERE external_id = 'rec-122-org'`,
    );
    // rec-122-org, lachlan, berry, 69, giblin street, killarney, bittern, 4814, qld, 19990219, 7364009
    expect(rec).toMatchObject({ family_name: expect.stringMatching(/^berry$/i), date_of_birth: '1999-02-19' });
    expect(rec.raw).toMatchObject({ postcode: '4814', soc_sec_id: '7364009', suburb: 'bittern' });
    const [blank] = await db.query<{ given_name: string | null }>(`SELECT given_name FROM source_records WHERE external_id = 'rec-223-org'`);
    expect(blank.given_name).toBeNull();
  });
});
