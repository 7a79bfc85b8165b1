import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../../../core/ids.js';
import type { buildTestApp as BuildTestApp } from '../../../api/testing.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(here, 'fixtures', name));
const peopleMapping = fixture('people.mapping.json').toString('utf8');
const simpleMapping = JSON.stringify({ columns: { customer_id: 'external_id', first_name: 'given_name', last_name: 'family_name' } });

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer | string };

function multipart(parts: Part[]) {
  const boundary = `----rapport${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = 'filename' in p ? `form-data; name="${p.name}"; filename="${p.filename}"` : `form-data; name="${p.name}"`;
    const type = 'filename' in p ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    const data = 'filename' in p ? p.content : p.value;
    chunks.push(Buffer.isBuffer(data) ? data : Buffer.from(data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

let t: Awaited<ReturnType<typeof BuildTestApp>>;
let dataDir: string;
const importsDir = () => path.join(dataDir, 'imports');

beforeAll(async () => {
  // The upload store reads the data directory when the server is built.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-import-api-'));
  process.env.RAPPORT_DATA_DIR = dataDir;
  const { buildTestApp } = await import('../../../api/testing.js');
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function upload(parts: Part[]) {
  const body = multipart(parts);
  return t.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...t.auth, ...body.headers }, payload: body.payload });
}

async function finished(jobId: string) {
  await t.app.services.jobs.waitFor(DEFAULT_TENANT, jobId);
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: t.auth });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const countRecords = async (source: string) =>
  (await t.db.query<{ n: number }>('SELECT count(*) AS n FROM source_records r JOIN source_systems s ON s.id = r.source_system_id WHERE s.code = $1', [source]))[0].n;

describe('POST /api/v1/imports', () => {
  it('uploads, runs as a job with progress, and imports the rows', async () => {
    const res = await upload([
      { name: 'source', value: 'API_CARDS' },
      { name: 'division', value: 'Cards' },
      { name: 'mapping', value: peopleMapping },
      { name: 'file', filename: 'people.csv', content: fixture('people.csv') },
    ]);
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ status: 'queued', format: 'csv', delimiter: ',', links: { job: `/api/v1/jobs/${body.jobId}` } });
    const job = await finished(body.jobId);
    expect(job).toMatchObject({ kind: 'identity.import', status: 'succeeded', error: null });
    expect(job.progressTotal).toBeGreaterThan(0);
    expect(job.progressDone).toBe(job.progressTotal);
    expect(job.result).toMatchObject({ rowsRead: 4, inserted: 4, bad: 0 });
    expect(await countRecords('API_CARDS')).toBe(4);
    // The upload is deleted once imported; the issue files stay for the errors endpoint.
    const left = fs.readdirSync(importsDir()).flatMap((d) => fs.readdirSync(path.join(importsDir(), d)));
    expect(left).not.toContain('input');
    const warnings = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${body.jobId}/warnings`, headers: t.auth });
    expect(warnings.statusCode).toBe(200);
    expect(warnings.json().items).toContainEqual(expect.objectContaining({ line: 4, field: 'date_of_birth' }));
  });

  it('skips bad rows and serves them, paged, at /imports/{jobId}/errors', async () => {
    const res = await upload([
      { name: 'source', value: 'API_DUPS' },
      { name: 'division', value: 'Cards' },
      { name: 'mapping', value: simpleMapping },
      { name: 'file', filename: 'duplicates.csv', content: fixture('duplicates.csv') },
    ]);
    expect(res.statusCode).toBe(202);
    const { jobId } = res.json();
    const job = await finished(jobId);
    expect(job.result).toMatchObject({ inserted: 2, bad: 2 });
    const errors = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${jobId}/errors`, headers: t.auth });
    expect(errors.statusCode).toBe(200);
    expect(errors.json()).toEqual({
      items: [
        { line: 4, field: 'external_id', reason: 'duplicate external id "D1" (first seen on line 2)', raw: 'D1,Annie,Lee' },
        { line: 5, field: '(row)', reason: 'expected 3 fields, found 4', raw: 'D3,Cy,Ray,extra' },
      ],
      total: 2,
      nextOffset: null,
    });
    const page = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${jobId}/errors?offset=1&limit=1`, headers: t.auth });
    expect(page.json()).toMatchObject({ items: [{ line: 5 }], total: 2, nextOffset: null });
    const first = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${jobId}/errors?limit=1`, headers: t.auth });
    expect(first.json()).toMatchObject({ items: [{ line: 4 }], nextOffset: 1 });
  });

  it('with onError=abort fails the job, writes nothing and still lists the bad rows', async () => {
    const res = await upload([
      { name: 'source', value: 'API_ABORT' },
      { name: 'division', value: 'Cards' },
      { name: 'onError', value: 'abort' },
      { name: 'mapping', value: simpleMapping },
      { name: 'file', filename: 'duplicates.csv', content: fixture('duplicates.csv') },
    ]);
    const { jobId } = res.json();
    const job = await finished(jobId);
    expect(job).toMatchObject({ status: 'failed', error: '2 bad rows of 4; nothing was written (--on-error abort)' });
    expect(await countRecords('API_ABORT')).toBe(0);
    const errors = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${jobId}/errors`, headers: t.auth });
    expect(errors.json().total).toBe(2);
  });

  it('rejects an invalid mapping or a missing mapped column up front, as problem+json, keeping nothing', async () => {
    const before = fs.existsSync(importsDir()) ? fs.readdirSync(importsDir()).length : 0;
    const bad = await upload([
      { name: 'source', value: 'API_BAD' },
      { name: 'division', value: 'Cards' },
      { name: 'mapping', value: JSON.stringify({ columns: { customer_id: 'external_id', first_name: 'frist_name' } }) },
      { name: 'file', filename: 'people.csv', content: fixture('people.csv') },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors).toEqual([{ path: 'mapping/columns/first_name/field', message: expect.stringContaining('not a field') }]);

    const missing = await upload([
      { name: 'source', value: 'API_BAD' },
      { name: 'division', value: 'Cards' },
      { name: 'mapping', value: JSON.stringify({ columns: { id: 'external_id' } }) },
      { name: 'file', filename: 'people.csv', content: fixture('people.csv') },
    ]);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([{ path: 'mapping/columns/id', message: 'column "id" is not in the file' }]);

    const noFile = await upload([
      { name: 'source', value: 'API_BAD' },
      { name: 'mapping', value: simpleMapping },
    ]);
    expect(noFile.statusCode).toBe(400);
    const badFields = await upload([
      { name: 'source', value: '../etc' },
      { name: 'onError', value: 'ignore' },
      { name: 'mapping', value: simpleMapping },
      { name: 'file', filename: 'people.csv', content: fixture('people.csv') },
    ]);
    expect(badFields.statusCode).toBe(400);
    expect(badFields.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['body/onError', 'body/source']);
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/imports', headers: t.auth, payload: { source: 'X' } });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);

    expect(await t.db.query("SELECT 1 FROM source_systems WHERE code = 'API_BAD'")).toHaveLength(0);
    expect(fs.existsSync(importsDir()) ? fs.readdirSync(importsDir()).length : 0).toBe(before);
  });

  it('never uses the client file name as a path', async () => {
    const res = await upload([
      { name: 'source', value: 'API_EVIL' },
      { name: 'division', value: 'Cards' },
      { name: 'mapping', value: simpleMapping },
      { name: 'file', filename: '../../../evil.csv', content: fixture('duplicates.csv') },
    ]);
    expect(res.statusCode).toBe(202);
    await finished(res.json().jobId);
    expect(fs.existsSync(path.join(dataDir, 'evil.csv'))).toBe(false);
    expect(fs.existsSync(path.resolve(importsDir(), '../../../evil.csv'))).toBe(false);
    for (const d of fs.readdirSync(importsDir())) expect(d).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 404 for the errors of a job that is not an import, or does not exist', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/imports/00000000-0000-7000-8000-000000000000/errors', headers: t.auth });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
