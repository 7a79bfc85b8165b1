import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildTestApp } from './testing.js';
import type { RegisteredRoute } from '../modules/access/plugin.js';
import { seedBank, type Bank } from '../modules/access/testing.js';

/**
 * Property-based fuzzing of every endpoint the server registers with invalid input: wrong types, unknown
 * keys, hostile strings (SQL, path traversal, NUL, huge, astral), broken JSON, wrong content types, odd
 * parameters and credentials. The properties: never a 5xx, and every error is an application/problem+json
 * body whose status matches the response. At least 10,000 requests in total.
 */

const TOTAL_REQUESTS = 10_000;
let t: Awaited<ReturnType<typeof buildTestApp>>;
let bank: Bank;
let routes: RegisteredRoute[];
let sent = 0;
const failures: string[] = [];

const HOSTILE = [
  "' OR '1'='1",
  "1'; DROP TABLE golden_customers; --",
  '" OR ""="',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '....//....//etc/passwd',
  '%00',
  '\u0000',
  'a\u0000b',
  '<script>alert(1)</script>',
  '${jndi:ldap://example.org/a}',
  '{{7*7}}',
  '\\',
  '%',
  '_',
  '*',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  '0x7fffffff',
  '99999999999999999999999',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '\ud800',
  '𝕏'.repeat(70),
  'a'.repeat(5000),
  ' ',
  '',
];

const hostileString = fc.constantFrom(...HOSTILE);
const anyString = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), hostileString);
const scalar = fc.oneof(anyString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.uuid());
const jsonish = fc.oneof(
  { depthSize: 'small' },
  scalar,
  fc.array(scalar, { maxLength: 5 }),
  fc.dictionary(anyString, scalar, { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** The property names a zod schema of the route accepts, so the fuzzer aims at real fields. */
function fieldNames(schema: unknown): string[] {
  if (!schema || typeof schema !== 'object' || !('_zod' in schema)) return [];
  try {
    const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
    return Object.keys(json.properties ?? {});
  } catch {
    return [];
  }
}

function bodyFor(fields: string[]) {
  const known = fields.length ? fc.constantFrom(...fields) : anyString;
  const object = fc.dictionary(fc.oneof(known, known, anyString), jsonish, { maxKeys: Math.max(3, fields.length + 1) });
  const raw = fc.oneof(
    fc.constantFrom('{', '{"a":', '[1,2', 'nul', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', '{"a":"\\ud800"}'),
    fc.string({ maxLength: 200 }),
  );
  return fc.oneof(
    object.map((o) => ({ payload: JSON.stringify(o), contentType: 'application/json' })),
    object.map((o) => ({ payload: JSON.stringify(o), contentType: 'application/json' })),
    jsonish.map((v) => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json' })),
    raw.map((s) => ({ payload: s, contentType: 'application/json' })),
    fc.tuple(raw, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=zz', 'application/xml', 'application/json; charset=utf-16', '')).map(([payload, contentType]) => ({ payload, contentType })),
    fc.constant({ payload: undefined as string | undefined, contentType: undefined as string | undefined }),
  );
}

function queryFor(fields: string[]) {
  const key = fields.length ? fc.oneof(fc.constantFrom(...fields), fc.constantFrom(...fields), anyString) : anyString;
  const value = fc.oneof(anyString, fc.integer().map(String), fc.uuid());
  return fc.oneof(
    fc.array(fc.tuple(key, value), { maxLength: 5 }).map((pairs) => {
      const params = new URLSearchParams();
      for (const [k, v] of pairs) params.append(k, v);
      return params.toString();
    }),
    fc.constantFrom('limit=0', 'limit=-1', 'limit=1e9', 'limit=abc', 'cursor=zzz', 'cursor=eyJ2IjoxfQ', 'sort=password', 'q=%', 'q=%25%27', 'limit=1&limit=2', '%ZZ', 'a[b]=1', '__proto__[x]=1'),
  );
}

// encodeURIComponent throws on a lone surrogate: send its (invalid) UTF-8 bytes instead, itself a hostile input.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const encodePart = (s: string) => encodeURIComponent(s.replace(LONE_SURROGATE, '\u0000')).replaceAll('%00', '%ED%A0%80');

function paramFor() {
  return fc.oneof(
    fc.uuid(),
    anyString.map((s) => encodePart(s).slice(0, 300) || 'x'),
    fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%2e%2e', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '%E0%A4%A', '1', '-1'),
  );
}

function credentialsFor() {
  const admin = bank.principals.find((p) => p.name === 'admin')!.auth;
  const agent = bank.principals.find((p) => p.name === 'agent-MTG')!.auth;
  const analyst = bank.principals.find((p) => p.name === 'analyst')!.auth;
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant<Record<string, string>>(admin) },
    { weight: 2, arbitrary: fc.constantFrom<Record<string, string>>(agent, analyst) },
    { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({}, { authorization: 'Bearer rk_not_a_key' }, { authorization: 'Basic YTpi' }, { authorization: 'Bearer ' + 'x'.repeat(300) }, { cookie: 'rapport_session=forged' }, { cookie: 'rapport_session=' + 'y'.repeat(500) }) },
  );
}

function checkResponse(what: string, res: LightMyRequestResponse) {
  sent += 1;
  if (res.statusCode >= 500) {
    failures.push(`${what} -> ${res.statusCode} ${res.body.slice(0, 300)}`);
    return false;
  }
  if (res.statusCode >= 400) {
    const type = String(res.headers['content-type'] ?? '');
    let body: { status?: unknown; title?: unknown; type?: unknown } | null = null;
    try {
      body = JSON.parse(res.body);
    } catch {
      body = null;
    }
    if (!type.startsWith('application/problem+json') || body?.status !== res.statusCode || typeof body?.title !== 'string' || typeof body?.type !== 'string') {
      failures.push(`${what} -> ${res.statusCode} not a problem+json body (${type}): ${res.body.slice(0, 200)}`);
      return false;
    }
  }
  return true;
}

beforeAll(async () => {
  t = await buildTestApp();
  bank = await seedBank(t.app, t.db, 'default');
  await t.app.ready();
  routes = t.app.routeCatalog.filter((r) => r.url.startsWith('/api/v1/') && !r.url.startsWith('/api/v1/docs'));
}, 120_000);
afterAll(() => t.close());

describe('fuzzing every endpoint with invalid input', () => {
  it(`sends at least ${TOTAL_REQUESTS} requests: no 5xx, every error problem+json`, async () => {
    const runsPerRoute = Math.ceil(TOTAL_REQUESTS / routes.length) + 10;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (const route of routes) {
      const bodyFields = fieldNames(route.schema?.body);
      const queryFields = fieldNames(route.schema?.querystring);
      const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
      const request = fc.record({
        params: fc.array(paramFor(), { minLength: 3, maxLength: 3 }),
        query: queryFor(queryFields),
        body: hasBody ? bodyFor(bodyFields) : fc.constant({ payload: undefined as string | undefined, contentType: undefined as string | undefined }),
        credentials: credentialsFor(),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ params, query, body, credentials }) => {
          let i = 0;
          const path = route.url.replace(/:(\w+)/g, () => params[i++ % params.length]);
          const url = query ? `${path}?${query}` : path;
          const headers: Record<string, string> = { ...credentials };
          if (body.contentType !== undefined) headers['content-type'] = body.contentType;
          const options: InjectOptions = { method: route.method as 'GET', url, headers, payload: body.payload };
          let res: LightMyRequestResponse;
          try {
            res = await t.app.inject(options);
          } catch (err) {
            failures.push(`${route.method} ${url.slice(0, 200)} threw ${String(err)}`);
            return false;
          }
          return checkResponse(`${route.method} ${url.slice(0, 200)} body=${String(body.payload).slice(0, 120)} ct=${body.contentType}`, res);
        }),
        { numRuns: runsPerRoute, endOnFailure: true },
      ).catch((err: Error) => failures.push(`${route.method} ${route.url}: ${err.message.split('\n')[0]}`)); // reported together below
    }
    const cpu = process.cpuUsage(cpu0);
    console.info(`fuzz: ${sent} requests over ${routes.length} endpoints in ${((performance.now() - wall0) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(TOTAL_REQUESTS);
  }, 300_000);
});
