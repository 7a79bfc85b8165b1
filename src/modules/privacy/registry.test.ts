import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../core/db/testing.js';
import { HOLDINGS, PAYLOAD_STORES, SUBJECT_COLUMN } from './registry.js';

/**
 * The registry must name every column that says "this row is about a customer or a source record". A table
 * added later with such a column and not listed in registry.ts fails here, before it can escape export and erasure.
 */
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let columns: { table_name: string; column_name: string }[];
beforeAll(async () => {
  db = await openTestDatabase();
  columns = await db.query("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1, 2");
}, 120_000);
afterAll(() => db?.close());

describe('the personal-data registry', () => {
  it('covers every customer- or source-record-referencing column in the database', () => {
    const inDb = columns.filter((c) => SUBJECT_COLUMN.test(c.column_name)).map((c) => `${c.table_name}.${c.column_name}`);
    expect(inDb.length).toBeGreaterThan(25);
    const covered = new Set(HOLDINGS.flatMap((h) => h.find.filter((f) => 'key' in f).map((f) => `${h.table}.${f.column}`)));
    const missing = inDb.filter((c) => !covered.has(c));
    expect(missing, `add these to HOLDINGS in src/modules/privacy/registry.ts (how to find the subject's rows, what erasure does):\n  ${missing.join('\n  ')}`).toEqual([]);
  });

  it('names only tables and columns that exist', () => {
    const exists = new Set(columns.map((c) => `${c.table_name}.${c.column_name}`));
    const named = [
      ...HOLDINGS.flatMap((h) => [
        ...h.find.map((f) => `${h.table}.${f.column}`),
        ...(typeof h.erase === 'object' ? Object.keys(h.erase) : []).map((c) => `${h.table}.${c}`),
        ...(h.scrub ?? []).map((c) => `${h.table}.${c}`),
      ]),
      ...PAYLOAD_STORES.flatMap((s) => s.columns.map((c) => `${s.table}.${c}`)),
    ];
    expect(named.filter((n) => !exists.has(n))).toEqual([]);
  });
});
