import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './testing.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('API foundation', () => {
  it('reports engine and migration version on /health without credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.database.engine).toBe(t.db.engine);
    expect(body.database.migrations.applied).toBe(body.database.migrations.available);
    expect(body.database.migrations.latest).toMatch(/^\d{4}_/);
  });

  it('serves an OpenAPI 3.1 document that covers the resources', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/v1/customers', '/api/v1/customers/{id}', '/api/v1/divisions', '/api/v1/source-records', '/api/v1/accounts', '/api/v1/interactions']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  it('serves the interactive API reference', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });

  it('rejects requests without credentials as problem+json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/customers' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().status).toBe(401);
  });

  it('rejects unknown fields and wrong types with the field path', async () => {
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/divisions', headers: t.auth, payload: { code: 'MTG', name: 'Mortgages', colour: 'red' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(unknown.json().errors)).toContain('colour');

    const wrongType = await t.app.inject({ method: 'POST', url: '/api/v1/divisions', headers: t.auth, payload: { code: 42, name: 'Mortgages' } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors[0].path).toBe('body/code');
  });

  it('rejects bad ids, bad cursors, broken JSON and oversized bodies with 4xx', async () => {
    const badId = await t.app.inject({ method: 'GET', url: '/api/v1/customers/not-a-uuid', headers: t.auth });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors[0].path).toBe('params/id');
    const badCursor = await t.app.inject({ method: 'GET', url: '/api/v1/customers?cursor=zzz', headers: t.auth });
    expect(badCursor.statusCode).toBe(400);
    const broken = await t.app.inject({ method: 'POST', url: '/api/v1/divisions', headers: { ...t.auth, 'content-type': 'application/json' }, payload: '{"code": ' });
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toContain('application/problem+json');
    const huge = await t.app.inject({ method: 'POST', url: '/api/v1/divisions', headers: { ...t.auth, 'content-type': 'application/json' }, payload: JSON.stringify({ code: 'X', name: 'y'.repeat(2 * 1024 * 1024) }) });
    expect(huge.statusCode).toBe(413);
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/customers/0195a3b2-0000-7000-8000-000000000000', headers: t.auth });
    expect(missing.statusCode).toBe(404);
    // A NUL character reaches PostgreSQL, which cannot store it (22021, wrapped by drizzle): a 400, never a 500.
    const nul = await t.app.inject({ method: 'GET', url: '/api/v1/audit?resource=%00', headers: t.auth });
    expect(nul.statusCode, nul.body).toBe(400);
    expect(nul.headers['content-type']).toContain('application/problem+json');
  });

  it('creates divisions, source systems, products and accounts, and pages with a cursor', async () => {
    const div = await t.app.inject({ method: 'POST', url: '/api/v1/divisions', headers: t.auth, payload: { code: 'CARDS', name: 'Cards' } });
    expect(div.statusCode).toBe(201);
    const clash = await t.app.inject({ method: 'POST', url: '/api/v1/divisions', headers: t.auth, payload: { code: 'CARDS', name: 'Cards again' } });
    expect(clash.statusCode).toBe(409);
    for (const name of ['Ann', 'Bob', 'Cy', 'Di', 'Ed']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: t.auth, payload: { displayName: `${name} Example` } });
      expect(res.statusCode).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/customers?limit=2&sort=-displayName${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.app.inject({ method: 'GET', url, headers: t.auth });
      expect(page.statusCode).toBe(200);
      const body = page.json();
      seen.push(...body.items.map((c: { displayName: string }) => c.displayName));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Ed Example', 'Di Example', 'Cy Example', 'Bob Example', 'Ann Example']);
  });

  it('finds customers by fuzzy name search', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/customers?q=bobb', headers: t.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0].displayName).toBe('Bob Example');
  });
});
