import { Readable, Writable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../api/services.js';
import { systemActor } from '../actor.js';
import { DEFAULT_TENANT } from '../ids.js';
import { loadDemoBank } from '../../modules/demo/loader.js';
import { seedEconomicsDemo } from '../../modules/economics/demoTransactions.js';
import { seedServiceDemo } from '../../modules/service/demo.js';
import { backup, restore, tablesInDependencyOrder } from './backup.js';
import { migrate, openDatabase, type Database } from './engine.js';
import { openTestDatabase } from './testing.js';

/** An embedded database, whatever DATABASE_URL says: the cross-engine test needs one of each. */
async function openPglite(): Promise<Database> {
  const db = await openDatabase({ dataDir: 'memory://' });
  await migrate(db);
  return db;
}

async function backupToBuffer(db: Database): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  await backup(db, sink);
  return Buffer.concat(chunks);
}

/** One fingerprint per table: every row's jsonb text, sorted, hashed in SQL (the same on both engines). */
async function fingerprint(db: Database): Promise<Record<string, { rows: number; md5: string | null }>> {
  const out: Record<string, { rows: number; md5: string | null }> = {};
  for (const t of await tablesInDependencyOrder(db)) {
    const [r] = await db.query<{ rows: number; md5: string | null }>(`SELECT count(*)::int AS rows, md5(string_agg(to_jsonb(x)::text, '|' ORDER BY to_jsonb(x)::text)) AS md5 FROM "${t.name}" x`);
    out[t.name] = r;
  }
  return out;
}

const rewrite = (gz: Buffer, edit: (lines: string[]) => string[]) => zlib.gzipSync(edit(zlib.gunzipSync(gz).toString('utf8').split('\n')).join('\n'));

let source: Database;
let file: Buffer;
let expected: Awaited<ReturnType<typeof fingerprint>>;

beforeAll(async () => {
  source = await openPglite();
  await loadDemoBank(source, { customers: 200, seed: 4, asOf: '2026-11-24' });
  const services = createServices(source);
  await services.resolution.run(systemActor(DEFAULT_TENANT), { full: true });
  await seedEconomicsDemo(source, services.economics, DEFAULT_TENANT, {}, '2026-11-24');
  await seedServiceDemo(services, { seed: 3, customersWithHistory: 15, value: services.economics.valueLookup });
  expected = await fingerprint(source);
  file = await backupToBuffer(source);
}, 300_000);
afterAll(() => source?.close());

describe('backup and restore', () => {
  it('restores every table exactly, rows and values alike', async () => {
    expect(expected.source_records.rows).toBeGreaterThan(400);
    expect(expected.customer_economics.rows).toBeGreaterThan(100);
    expect(expected.cases.rows).toBeGreaterThan(0);
    const target = await openTestDatabase();
    try {
      const { rows } = await restore(target, Readable.from(file));
      expect(rows.golden_customers).toBe(expected.golden_customers.rows);
      expect(await fingerprint(target)).toEqual(expected);
    } finally {
      await target.close();
    }
  }, 300_000);

  it('refuses a database that already holds data, and leaves it as it was', async () => {
    const target = await openTestDatabase();
    try {
      await restore(target, Readable.from(file));
      const before = await fingerprint(target);
      await expect(restore(target, Readable.from(file))).rejects.toThrow(/needs an empty database/);
      expect(await fingerprint(target)).toEqual(before);
    } finally {
      await target.close();
    }
  }, 300_000);

  it('replaces a database that holds data when asked to, all or nothing', async () => {
    const target = await openTestDatabase();
    try {
      await restore(target, Readable.from(file));
      await target.query("UPDATE golden_customers SET display_name = 'Changed since the backup'");
      const changed = await fingerprint(target);
      expect(changed).not.toEqual(expected);
      const truncated = rewrite(file, (lines) => lines.slice(0, Math.floor(lines.length * 0.8)));
      await expect(restore(target, Readable.from(truncated), undefined, { replace: true })).rejects.toThrow(/truncated/);
      expect(await fingerprint(target), 'a failed replacement keeps the old content, audit log included').toEqual(changed);
      const { replaced } = await restore(target, Readable.from(file), undefined, { replace: true });
      expect(replaced).toContain('golden_customers');
      expect(await fingerprint(target)).toEqual(expected);
      // The audit log is append-only again once the replacement is done.
      await expect(target.query('TRUNCATE audit_log')).rejects.toThrow(/append-only|not allowed|audit/i);
    } finally {
      await target.close();
    }
  }, 300_000);

  it('rejects a truncated, an altered, a foreign or a newer backup without writing anything', async () => {
    const target = await openTestDatabase();
    try {
      const empty = await fingerprint(target);
      const truncated = rewrite(file, (lines) => lines.slice(0, Math.floor(lines.length * 0.6)));
      await expect(restore(target, Readable.from(truncated))).rejects.toThrow(/truncated/);
      const altered = rewrite(file, (lines) => lines.map((l) => l.replace('"Jackson"', '"Jakson"')));
      await expect(restore(target, Readable.from(altered))).rejects.toThrow(/checksum/);
      const newer = rewrite(file, ([manifest, ...rest]) => {
        const m = JSON.parse(manifest);
        m.migrations.applied += 1;
        return [JSON.stringify(m), ...rest];
      });
      await expect(restore(target, Readable.from(newer))).rejects.toThrow(/newer schema/);
      await expect(restore(target, Readable.from(zlib.gzipSync('hello\n')))).rejects.toThrow(/not a Rapport backup/);
      await expect(restore(target, Readable.from(Buffer.from('plain text')))).rejects.toThrow();
      expect(await fingerprint(target), 'nothing was written').toEqual(empty);
    } finally {
      await target.close();
    }
  }, 300_000);

  it.skipIf(!process.env.DATABASE_URL)('round-trips PGlite -> PostgreSQL -> PGlite unchanged', async () => {
    const server = await openTestDatabase();
    const back = await openPglite();
    try {
      await restore(server, Readable.from(file));
      expect(await fingerprint(server)).toEqual(expected);
      await restore(back, Readable.from(await backupToBuffer(server)));
      expect(await fingerprint(back)).toEqual(expected);
    } finally {
      await server.close();
      await back.close();
    }
  }, 300_000);
});

if (!process.env.DATABASE_URL) console.warn('[backup] SKIPPED the PGlite -> PostgreSQL -> PGlite round trip: set DATABASE_URL to a PostgreSQL server (CI does).');
