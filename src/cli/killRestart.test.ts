/**
 * Kill and restart, as an operator would live it: the real `rapport` CLI in a child process on a file-backed
 * embedded database, killed with SIGKILL in the middle of an import and in the middle of a full resolution, then
 * run again. The final state must equal an uninterrupted run's: every record once, nothing lost, the same people
 * grouped together.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../core/db/engine.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'src/cli/index.ts');
const ROWS = 30_000;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-kill-'));
const csv = path.join(work, 'crm.csv');
const mapping = path.join(work, 'mapping.json');

function writeInput() {
  const given = ['William', 'Mary', 'James', 'Patricia', 'Robert', 'Jennifer', 'John', 'Linda', 'Michael', 'Elizabeth'];
  const family = ['Smith', 'Jackson', 'Brown', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Moore', 'Taylor', 'Lee'];
  const lines = ['id,first,last,dob,email,phone,street,city,zip'];
  for (let i = 0; i < ROWS; i++) {
    // Every third row repeats an earlier person with a nickname-free typo, so resolution has real work to do.
    const p = i % 3 === 2 ? i - 1 : i;
    const g = given[p % 10];
    const f = `${family[Math.floor(p / 10) % 10]}${Math.floor(p / 100)}`;
    const first = i % 3 === 2 ? g.slice(0, -1) + 'e' : g;
    const day = String((p % 28) + 1).padStart(2, '0');
    lines.push(`C${i},${first},${f},19${50 + (p % 50)}-0${(p % 9) + 1}-${day},${g}.${f}@example.org,+1312555${String(p % 10000).padStart(4, '0')},${p % 200} Main St,Springfield,${60000 + (p % 900)}`);
  }
  fs.writeFileSync(csv, `${lines.join('\n')}\n`);
  fs.writeFileSync(
    mapping,
    JSON.stringify({ columns: { id: 'external_id', first: 'given_name', last: 'family_name', dob: 'date_of_birth', email: 'email', phone: 'phone', street: 'address_line1', city: 'locality', zip: 'postcode' } }),
  );
}

/** Runs the CLI; with `killAfterMs`, sends SIGKILL then (unless it finished first). Resolves with how it ended. */
function rapport(dataDir: string, args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, RAPPORT_DATA_DIR: dataDir, DATABASE_URL: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr, ms: Date.now() - started });
    });
  });
}

const importArgs = ['import', csv, '--source', 'crm', '--division', 'Retail', '--map', mapping, '--batch-size', '500', '--json'];

async function withDb<T>(dataDir: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ dataDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const records = (db: Database) =>
  db.query<{ external_id: string; given_name: string | null; family_name: string | null; email: string | null; phone: string | null; content_hash: string }>(
    'SELECT external_id, given_name, family_name, email, phone, content_hash FROM source_records ORDER BY external_id',
  );

/** The people as resolution grouped them: each customer's external ids, customer ids left out (they are fresh uuids). */
const partition = async (db: Database) =>
  (
    await db.query<{ members: string }>(
      `SELECT string_agg(r.external_id, ',' ORDER BY r.external_id) AS members FROM customer_links l JOIN source_records r ON r.tenant_id = l.tenant_id AND r.id = l.source_record_id
        JOIN golden_customers g ON g.tenant_id = l.tenant_id AND g.id = l.customer_id WHERE g.status = 'active' GROUP BY l.customer_id ORDER BY 1`,
    )
  ).map((r) => r.members);

const reference = path.join(work, 'reference');
let referenceImportMs = 0;
let referenceResolveMs = 0;

beforeAll(async () => {
  writeInput();
  const imported = await rapport(reference, importArgs);
  expect(imported.code, imported.stderr).toBe(0);
  referenceImportMs = imported.ms;
  const resolved = await rapport(reference, ['resolve', '--full', '--json']);
  expect(resolved.code, resolved.stderr).toBe(0);
  referenceResolveMs = resolved.ms;
}, 600_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('killed mid-job, run again: the same end state as one clean run', () => {
  it('import: SIGKILL halfway, re-run, every record exactly once and as the clean run stored it', async () => {
    const dir = path.join(work, 'killed-import');
    let partial = 0;
    // The kill must land while rows are being written: try a few moments around the middle of the clean run.
    for (const share of [0.6, 0.75, 0.45, 0.85, 0.35]) {
      fs.rmSync(dir, { recursive: true, force: true });
      const killed = await rapport(dir, importArgs, Math.round(referenceImportMs * share));
      if (killed.signal !== 'SIGKILL') continue;
      partial = await withDb(dir, async (db) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM source_records'))[0]?.n ?? 0).catch(() => 0);
      if (partial > 0 && partial < ROWS) break;
    }
    expect(partial, 'a kill landed while rows were being written').toBeGreaterThan(0);
    expect(partial).toBeLessThan(ROWS);

    const again = await rapport(dir, importArgs);
    expect(again.code, again.stderr).toBe(0);
    const [want, got] = [await withDb(reference, records), await withDb(dir, records)];
    expect(got.length).toBe(ROWS);
    expect(new Set(got.map((r) => r.external_id)).size, 'no record twice').toBe(ROWS);
    expect(got).toEqual(want);
  }, 600_000);

  it('resolution: SIGKILL during a full run, re-run, the same people grouped the same way', async () => {
    const dir = path.join(work, 'killed-resolve');
    fs.cpSync(reference, dir, { recursive: true });
    // Start from the imported records only, as the reference did before its resolution.
    await withDb(dir, async (db) => {
      for (const table of ['cluster_events', 'review_pairs', 'customer_links', 'golden_customers', 'resolution_runs']) await db.query(`DELETE FROM ${table}`);
    });
    // The kill must land before the run ends; a loaded machine changes how long it takes, so earlier moments are
    // tried if the run got through (each retry starts again from the imported records only).
    let killed: Awaited<ReturnType<typeof rapport>> | null = null;
    for (const share of [0.7, 0.5, 0.35, 0.2]) {
      killed = await rapport(dir, ['resolve', '--full', '--json'], Math.round(referenceResolveMs * share));
      if (killed.signal === 'SIGKILL') break;
      await withDb(dir, async (db) => {
        for (const table of ['cluster_events', 'review_pairs', 'customer_links', 'golden_customers', 'resolution_runs']) await db.query(`DELETE FROM ${table}`);
      });
    }
    expect(killed?.signal, `the run finished in ${killed?.ms} ms before every kill`).toBe('SIGKILL');
    const again = await rapport(dir, ['resolve', '--full', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const [want, got] = [await withDb(reference, partition), await withDb(dir, partition)];
    expect(got.length).toBe(want.length);
    expect(got).toEqual(want);
    const [{ n }] = await withDb(dir, (db) => db.query<{ n: number }>('SELECT count(*)::int AS n FROM customer_links'));
    expect(n, 'every record linked once').toBe(ROWS);
  }, 600_000);
});
