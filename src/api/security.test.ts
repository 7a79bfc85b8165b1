import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp } from './testing.js';
import { buildServer } from './server.js';
import { SESSION_COOKIE } from '../modules/access/plugin.js';
import { seedBank, type Bank, type Principal } from '../modules/access/testing.js';
import { DEFAULT_TENANT } from '../core/ids.js';

/**
 * Attack tests: SQL injection in every filter and search parameter, IDOR across tenants and divisions, CSRF,
 * session fixation, path traversal, plus the rate, size and time limits that keep one caller from
 * starving the rest.
 */

let t: Awaited<ReturnType<typeof buildTestApp>>;
let A: Bank;
let B: Bank;
const PASSWORD = 'correct horse battery staple';

const who = (bank: Bank, name: string): Principal => bank.principals.find((p) => p.name === name)!;
const apiRoutes = () => t.app.routeCatalog.filter((r) => r.url.startsWith('/api/v1/') && !r.url.startsWith('/api/v1/docs'));

function isProblem(res: LightMyRequestResponse, status?: number) {
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (status) expect(res.json().status).toBe(status);
}

beforeAll(async () => {
  t = await buildTestApp();
  A = await seedBank(t.app, t.db, DEFAULT_TENANT);
  B = await seedBank(t.app, t.db, 'rival-bank');
  await t.app.ready();
}, 120_000);
afterAll(() => t.close());

const INJECTIONS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE golden_customers; --",
  "x' UNION SELECT national_id, null, null FROM source_records --",
  "1) OR (1=1",
  "%' OR tenant_id <> '",
  "\\'; SELECT pg_sleep(5); --",
  "' AND current_setting('app.tenant_id', true) = '*' --",
];

describe('SQL injection', () => {
  it('treats injection strings in every filter and search parameter as data', async () => {
    const countsBefore = await t.db.query<{ n: number }>('SELECT (SELECT count(*) FROM golden_customers)::int + (SELECT count(*) FROM users)::int AS n');
    const agent = who(A, 'agent-MTG');
    let tried = 0;
    for (const route of apiRoutes().filter((r) => r.method === 'GET' && !r.config?.public)) {
      const query = route.schema?.querystring;
      if (!query) continue;
      const json = z.toJSONSchema(query as z.ZodType, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { type?: string }> };
      const textFields = Object.entries(json.properties ?? {}).filter(([, s]) => s.type === 'string' || s.type === undefined).map(([k]) => k);
      const url = route.url.replace(':id', A.customers[0].id);
      for (const field of textFields) {
        for (const injection of INJECTIONS) {
          for (const p of [who(A, 'admin'), agent]) {
            const res = await t.app.inject({ method: 'GET', url: `${url}?${new URLSearchParams({ [field]: injection })}`, headers: p.auth });
            tried += 1;
            expect(res.statusCode, `${route.url}?${field}=${injection}`).toBeLessThan(500);
            if (res.statusCode >= 400) isProblem(res);
            for (const id of B.customers.map((c) => c.id)) expect(res.body).not.toContain(id);
            if (p === agent && res.statusCode === 200) {
              for (const nid of A.nationalIds) expect(res.body).not.toContain(nid);
              for (const c of A.customers.filter((x) => !x.divisionIds.includes(A.division.MTG))) expect(res.body).not.toContain(c.id);
            }
          }
        }
      }
    }
    expect(tried).toBeGreaterThan(100);
    const countsAfter = await t.db.query<{ n: number }>('SELECT (SELECT count(*) FROM golden_customers)::int + (SELECT count(*) FROM users)::int AS n');
    expect(countsAfter[0].n).toBe(countsBefore[0].n);
  });

  it('finds nothing with an injected search, and stores injected text verbatim', async () => {
    const search = await t.app.inject({ method: 'GET', url: `/api/v1/customers?${new URLSearchParams({ q: "' OR '1'='1" })}`, headers: t.auth });
    expect(search.statusCode).toBe(200);
    expect(search.json().items).toEqual([]);
    const name = "Robert'); DROP TABLE golden_customers;--";
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: t.auth, payload: { displayName: name } });
    expect(created.statusCode).toBe(201);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${created.json().id}`, headers: t.auth });
    expect(read.json().displayName).toBe(name);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: "admin'--@example.org", password: "' OR '1'='1" } });
    expect(login.statusCode).toBe(401);
  });
});

describe('IDOR', () => {
  it('never reaches another tenant’s records, by id or in lists, even as its administrator', async () => {
    const rival = who(B, 'admin');
    const targets: [string, string][] = [
      ...A.customers.map((c) => [`/api/v1/customers/${c.id}`, 'GET'] as [string, string]),
      ...A.customers.map((c) => [`/api/v1/customers/${c.id}/360`, 'GET'] as [string, string]),
      ...A.sourceRecords.map((r) => [`/api/v1/source-records/${r.id}`, 'GET'] as [string, string]),
      ...A.divisions.map((d) => [`/api/v1/divisions/${d.id}`, 'GET'] as [string, string]),
      ...A.principals.map((p) => [`/api/v1/users/${p.userId}`, 'GET'] as [string, string]),
      ...A.jobs.map((j) => [`/api/v1/jobs/${j.id}`, 'GET'] as [string, string]),
    ];
    for (const [url, method] of targets) {
      const res = await t.app.inject({ method: method as 'GET', url, headers: rival.auth });
      expect(res.statusCode, url).toBe(404);
    }
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${A.customers[0].id}`, headers: rival.auth, payload: { displayName: 'Taken over' } });
    expect(patch.statusCode).toBe(404);
    const disable = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${who(A, 'admin').userId}`, headers: rival.auth });
    expect(disable.statusCode).toBe(404);
    const account = await t.app.inject({ method: 'POST', url: '/api/v1/accounts', headers: rival.auth, payload: { sourceRecordId: A.sourceRecords[0].id, productId: B.product.MTG, accountNumber: 'X-1' } });
    expect(account.statusCode).toBe(404);
    for (const list of ['/api/v1/customers?limit=500', '/api/v1/source-records?limit=500', '/api/v1/accounts?limit=500', '/api/v1/interactions?limit=500', '/api/v1/users?limit=500', '/api/v1/divisions', '/api/v1/products', '/api/v1/teams', '/api/v1/source-systems']) {
      const res = await t.app.inject({ method: 'GET', url: list, headers: rival.auth });
      expect(res.statusCode, list).toBe(200);
      for (const id of [...A.customers, ...A.sourceRecords, ...A.accounts, ...A.interactions, ...A.divisions].map((r) => r.id)) expect(res.body, list).not.toContain(id);
    }
    const filtered = await t.app.inject({ method: 'GET', url: `/api/v1/accounts?customerId=${A.customers[0].id}`, headers: rival.auth });
    expect(filtered.json().items).toEqual([]);
  });

  it('never reaches another division’s records through ids, filters or writes', async () => {
    const cardsAgent = who(A, 'agent-CARDS');
    const mortgageOnly = A.customers[3];
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/customers/${mortgageOnly.id}`, headers: cardsAgent.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/customers/${mortgageOnly.id}/360`, headers: cardsAgent.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/customers/${mortgageOnly.id}`, headers: cardsAgent.auth, payload: { displayName: 'Changed' } })).statusCode).toBe(404);
    const accounts = await t.app.inject({ method: 'GET', url: `/api/v1/accounts?customerId=${mortgageOnly.id}`, headers: cardsAgent.auth });
    expect(accounts.json().items).toEqual([]);
    const contacts = await t.app.inject({ method: 'GET', url: `/api/v1/interactions?customerId=${mortgageOnly.id}`, headers: cardsAgent.auth });
    expect(contacts.json().items).toEqual([]);
    const byDivision = await t.app.inject({ method: 'GET', url: `/api/v1/interactions?divisionId=${A.division.MTG}`, headers: cardsAgent.auth });
    expect(byDivision.json().items).toEqual([]);
    const mtgRecord = A.sourceRecords.find((r) => r.divisionIds[0] === A.division.MTG)!;
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/source-records/${mtgRecord.id}`, headers: cardsAgent.auth })).statusCode).toBe(404);
    const records = await t.app.inject({ method: 'GET', url: `/api/v1/source-records?sourceSystemId=${A.sourceSystem.MTG}`, headers: cardsAgent.auth });
    expect(records.json().items).toEqual([]);
  });
});

describe('CSRF', () => {
  it('rejects a cookie-authenticated write without the session’s token, with another session’s token, and accepts the right one', async () => {
    await t.app.services.access.createUser(DEFAULT_TENANT, { email: 'csrf@example.org', displayName: 'Csrf', password: PASSWORD, role: 'agent', divisionIds: [A.division.MTG] });
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'csrf@example.org', password: PASSWORD } });
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'csrf@example.org', password: PASSWORD } });
    const cookies = { [SESSION_COOKIE]: a.cookies.find((c) => c.name === SESSION_COOKIE)!.value };
    const write = (headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/v1/customers', cookies, headers, payload: { displayName: 'Via cookie' } });

    const none = await write({});
    expect(none.statusCode).toBe(403);
    isProblem(none, 403);
    expect((await write({ 'x-csrf-token': 'guess' })).statusCode).toBe(403);
    expect((await write({ 'x-csrf-token': b.json().csrfToken })).statusCode).toBe(403);
    for (const method of ['PATCH', 'DELETE'] as const) {
      const res = await t.app.inject({ method, url: `/api/v1/customers/${A.customers[0].id}`, cookies, payload: { displayName: 'x' } });
      expect(res.statusCode).toBe(403);
    }
    expect((await write({ 'x-csrf-token': a.json().csrfToken })).statusCode).toBe(201);
    // Reads need no token; the token is also available from /auth/me for a reloaded page.
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies });
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBe(a.json().csrfToken);
    expect(a.cookies.find((c) => c.name === SESSION_COOKIE)!.sameSite).toBe('Strict');
  });
});

describe('session fixation', () => {
  it('issues a new session at sign-in whatever cookie the browser brought, and the planted one stays dead', async () => {
    await t.app.services.access.createUser(DEFAULT_TENANT, { email: 'fix@example.org', displayName: 'Fix', password: PASSWORD, role: 'agent' });
    const planted = randomBytes(32).toString('base64url');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', cookies: { [SESSION_COOKIE]: planted }, payload: { email: 'fix@example.org', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const issued = res.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    expect(issued).not.toBe(planted);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { [SESSION_COOKIE]: planted } })).statusCode).toBe(401);
  });
});

describe('path traversal', () => {
  const TRAVERSALS = ['../../../../etc/passwd', '..%2F..%2F..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '....//....//etc/passwd', '..\\..\\..\\windows\\win.ini', '%252e%252e%252fetc%252fpasswd'];

  it('no route parameter reads a file', async () => {
    for (const route of apiRoutes().filter((r) => r.url.includes(':'))) {
      for (const traversal of TRAVERSALS) {
        const url = route.url.replace(/:(\w+)/g, traversal);
        const res = await t.app.inject({ method: route.method as 'GET', url, headers: t.auth, payload: route.method === 'GET' ? undefined : {} });
        // Literal dot segments are resolved by URL parsing before routing (and may land on the web app's
        // shell); escaped ones reach the route as a parameter, which must refuse them.
        if (traversal.includes('%')) expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, url).toBeLessThan(500);
        expect(res.body).not.toContain('root:x:0:0');
      }
    }
  });

  it('an uploaded file name never chooses where the upload is written', async () => {
    const escapee = path.join(os.tmpdir(), `rapport-traversal-${randomBytes(4).toString('hex')}.csv`);
    const boundary = 'traversalboundary';
    const filename = `../../../../../../..${escapee}`;
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\nMTG-SYS\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n${JSON.stringify({ columns: { id: 'external_id', name: 'given_name' } })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\nid,name\nT1,Pat\n\r\n` +
      `--${boundary}--\r\n`;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...t.auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    expect(res.statusCode).toBeLessThan(500);
    expect(fs.existsSync(escapee)).toBe(false);
  });

  it('the web app’s static files never serve anything outside their folder', async () => {
    const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-web-'));
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Rapport</title>');
    fs.writeFileSync(path.join(path.dirname(webDir), `${path.basename(webDir)}-secret.txt`), 'top secret');
    const app = await buildServer({ db: t.db, webDir, rateLimitPerMinute: 1_000_000 });
    try {
      for (const url of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd', `/..%2f${path.basename(webDir)}-secret.txt`, '/%252e%252e/etc/passwd']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.body, url).not.toContain('root:x:0:0');
        expect(res.body, url).not.toContain('top secret');
      }
    } finally {
      await app.close();
      fs.rmSync(webDir, { recursive: true, force: true });
      fs.rmSync(path.join(path.dirname(webDir), `${path.basename(webDir)}-secret.txt`), { force: true });
    }
  });
});

describe('security headers', () => {
  it('every response forbids framing and MIME sniffing; the web app may run only its own scripts, never inline ones', async () => {
    const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-web-'));
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Rapport</title>');
    const app = await buildServer({ db: t.db, webDir, rateLimitPerMinute: 1_000_000 });
    try {
      for (const [url, headers] of [['/customers', {}], ['/', {}], ['/api/v1/divisions', who(A, 'admin').auth], ['/api/v1/nowhere', {}]] as const) {
        const res = await app.inject({ method: 'GET', url, headers });
        const csp = String(res.headers['content-security-policy']);
        expect(csp, url).toMatch(/frame-ancestors 'none'/);
        expect(res.headers['x-content-type-options'], url).toBe('nosniff');
        const directives = csp.split(';').map((d) => d.trim());
        const scripts = directives.find((d) => d.startsWith('script-src ')) ?? directives.find((d) => d.startsWith('default-src '));
        expect(scripts, url).toMatch(/^(script|default)-src '(self|none)'$/);
      }
      const page = await app.inject({ method: 'GET', url: '/customers' });
      expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    } finally {
      await app.close();
      fs.rmSync(webDir, { recursive: true, force: true });
    }
  });
});

describe('field-level rules', () => {
  it('hold on a route that forgets to redact', async () => {
    const app = await buildServer({ db: t.db, rateLimitPerMinute: 1_000_000 });
    try {
      app.get('/api/v1/leaky', async () => ({ nationalId: 'NID-LEAK', rows: [{ balance: 12.5, name: 'x', at: new Date(0) }] }));
      const agent = await app.inject({ method: 'GET', url: '/api/v1/leaky', headers: who(A, 'agent-MTG').auth });
      expect(agent.json()).toEqual({ rows: [{ balance: 12.5, name: 'x', at: '1970-01-01T00:00:00.000Z' }] });
      const analyst = await app.inject({ method: 'GET', url: '/api/v1/leaky', headers: who(A, 'analyst').auth });
      expect(analyst.json()).toEqual({ rows: [{ name: 'x', at: '1970-01-01T00:00:00.000Z' }] });
      const admin = await app.inject({ method: 'GET', url: '/api/v1/leaky', headers: who(A, 'admin').auth });
      expect(admin.json().nationalId).toBe('NID-LEAK');
    } finally {
      await app.close();
    }
  });
});

describe('rate, size and time limits', () => {
  it('limits requests per API key and per signed-in user, not per address, with 429 problem+json and Retry-After', async () => {
    const app = await buildServer({ db: t.db, rateLimitPerMinute: 5 });
    try {
      const first = who(A, 'agent-MTG');
      const second = who(A, 'agent-CARDS');
      for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/api/v1/divisions', headers: first.auth })).statusCode).toBe(200);
      const limited = await app.inject({ method: 'GET', url: '/api/v1/divisions', headers: first.auth });
      expect(limited.statusCode).toBe(429);
      isProblem(limited, 429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Same address, another principal: its own allowance.
      expect((await app.inject({ method: 'GET', url: '/api/v1/divisions', headers: second.auth })).statusCode).toBe(200);

      // Two sessions of one user share one allowance.
      await t.app.services.access.createUser(DEFAULT_TENANT, { email: 'busy@example.org', displayName: 'Busy', password: PASSWORD, role: 'agent' });
      const cookieOf = async (ip: string) => {
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email: 'busy@example.org', password: PASSWORD } });
        return { [SESSION_COOKIE]: res.cookies.find((c) => c.name === SESSION_COOKIE)!.value };
      };
      const s1 = await cookieOf('10.9.0.1');
      const s2 = await cookieOf('10.9.0.2');
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: s1, remoteAddress: '10.9.0.1' })).statusCode);
      for (let i = 0; i < 3; i++) statuses.push((await app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: s2, remoteAddress: '10.9.0.2' })).statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await app.close();
    }
  });

  it('rejects bodies over 1 MiB with 413 before handling them', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...t.auth, 'content-type': 'application/json' }, payload: JSON.stringify({ displayName: 'x'.repeat(1024 * 1024) }) });
    expect(res.statusCode).toBe(413);
    isProblem(res, 413);
  });

  it('answers 503 problem+json when a handler overruns its time', async () => {
    const app = await buildServer({ db: t.db, rateLimitPerMinute: 1_000_000, handlerTimeoutMs: 150 });
    try {
      app.get('/api/v1/slow-report', async () => {
        await new Promise((r) => setTimeout(r, 1_000));
        return { done: true };
      });
      const res = await app.inject({ method: 'GET', url: '/api/v1/slow-report', headers: t.auth });
      expect(res.statusCode).toBe(503);
      isProblem(res, 503);
    } finally {
      await app.close();
    }
  });

  it('closes a connection that stalls in its headers or its body (slowloris)', async () => {
    const app = await buildServer({ db: t.db, rateLimitPerMinute: 1_000_000, connectionTimeoutMs: 300 });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as net.AddressInfo;
      const stall = async (bytes: string) => {
        const socket = net.connect(port, '127.0.0.1');
        const start = Date.now();
        const closed = new Promise<number>((resolve) => {
          socket.on('close', () => resolve(Date.now() - start));
          socket.on('error', () => undefined);
        });
        socket.write(bytes);
        const elapsed = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), 5_000))]);
        socket.destroy();
        return elapsed;
      };
      const inHeaders = await stall('GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      expect(inHeaders).toBeGreaterThan(200);
      expect(inHeaders).toBeLessThan(5_000);
      const inBody = await stall(`POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: ${t.auth.authorization}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"displ`);
      expect(inBody).toBeGreaterThan(200);
      expect(inBody).toBeLessThan(5_000);
    } finally {
      await app.close();
    }
  });
});
