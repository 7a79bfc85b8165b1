import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp } from '../../api/testing.js';
import { buildServer } from '../../api/server.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { systemActor } from '../../core/actor.js';
import { AccessService } from './service.js';
import { SESSION_COOKIE } from './plugin.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

function sessionCookie(res: LightMyRequestResponse): string | undefined {
  return res.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
}

async function newUser(email: string, role: 'agent' | 'manager' | 'admin' = 'agent') {
  return t.app.services.access.createUser(DEFAULT_TENANT, { email, displayName: email, password: PASSWORD, role });
}

const login = (body: Record<string, unknown>, extra: { cookies?: Record<string, string>; remoteAddress?: string } = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body, cookies: extra.cookies, remoteAddress: extra.remoteAddress });

describe('sign-in throttling', () => {
  it('locks an account after five failures with 429 and Retry-After, even for the right password, and keeps the lock across a restart', async () => {
    await newUser('throttled@example.org');
    for (let i = 0; i < 5; i++) {
      const res = await login({ email: 'throttled@example.org', password: 'wrong password' }, { remoteAddress: `10.1.0.${i}` });
      expect(res.statusCode).toBe(401);
    }
    const locked = await login({ email: 'throttled@example.org', password: PASSWORD }, { remoteAddress: '10.1.0.99' });
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['content-type']).toContain('application/problem+json');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(25);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(30);

    // A new process on the same database: the lock lives in the database, not in memory.
    const restarted = await buildServer({ db: t.db, rateLimitPerMinute: 1_000_000 });
    try {
      const again = await restarted.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'throttled@example.org', password: PASSWORD } });
      expect(again.statusCode).toBe(429);
    } finally {
      await restarted.close();
    }
  });

  it('locks an address that fails across many accounts', async () => {
    await newUser('innocent@example.org');
    for (let i = 0; i < 25; i++) {
      const res = await login({ email: `nobody${i}@example.org`, password: 'guess' }, { remoteAddress: '10.2.0.1' });
      expect(res.statusCode).toBe(401);
    }
    expect((await login({ email: 'innocent@example.org', password: PASSWORD }, { remoteAddress: '10.2.0.1' })).statusCode).toBe(429);
    expect((await login({ email: 'innocent@example.org', password: PASSWORD }, { remoteAddress: '10.2.0.2' })).statusCode).toBe(200);
  });

  it('doubles the lockout with each further failure and forgets failures after a success', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const access = new AccessService(t.db, {
      now: () => now,
      accountThrottle: { threshold: 3, windowSeconds: 900, baseDelaySeconds: 30, maxDelaySeconds: 900 },
    });
    await newUser('clock@example.org');
    const attempt = (password: string) => access.login(DEFAULT_TENANT, 'clock@example.org', password).then(() => 'ok', (e: { status: number; retryAfterSeconds?: number }) => e.retryAfterSeconds ?? e.status);
    expect(await attempt('x')).toBe(401);
    expect(await attempt('x')).toBe(401);
    expect(await attempt('x')).toBe(401); // third failure: locked for 30 s
    expect(await attempt(PASSWORD)).toBe(30);
    now = new Date(now.getTime() + 31_000);
    expect(await attempt('x')).toBe(401); // fourth failure: locked for 60 s
    expect(await attempt(PASSWORD)).toBe(60);
    now = new Date(now.getTime() + 61_000);
    expect(await attempt(PASSWORD)).toBe('ok');
    expect(await attempt('x')).toBe(401); // the count restarted at one
    expect(await attempt(PASSWORD)).toBe('ok');
  });
});

describe('sessions', () => {
  it('never adopts a session token the browser already carried (fixation) and revokes it', async () => {
    await newUser('fixation@example.org');
    const attacker = await login({ email: 'fixation@example.org', password: PASSWORD });
    const planted = sessionCookie(attacker)!;
    expect(planted).toBeTruthy();
    const victim = await login({ email: 'fixation@example.org', password: PASSWORD }, { cookies: { [SESSION_COOKIE]: planted } });
    const issued = sessionCookie(victim)!;
    expect(issued).not.toBe(planted);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { [SESSION_COOKIE]: planted } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { [SESSION_COOKIE]: issued } })).statusCode).toBe(200);

    const invented = await login({ email: 'fixation@example.org', password: PASSWORD }, { cookies: { [SESSION_COOKIE]: 'chosen-by-the-attacker' } });
    expect(sessionCookie(invented)).not.toBe('chosen-by-the-attacker');
  });

  it('sets an httpOnly, SameSite=Strict cookie and ends the session on sign-out', async () => {
    await newUser('logout@example.org');
    const res = await login({ email: 'logout@example.org', password: PASSWORD });
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const token = cookie.value;
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies: { [SESSION_COOKIE]: token } });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { [SESSION_COOKIE]: token } })).statusCode).toBe(401);
  });

  it('expires a session after the idle timeout and at its absolute end', async () => {
    let now = new Date('2031-01-01T08:00:00Z');
    const access = new AccessService(t.db, { now: () => now, sessionIdleMinutes: 30, sessionHours: 2 });
    await newUser('expiry@example.org');
    const { token } = await access.login(DEFAULT_TENANT, 'expiry@example.org', PASSWORD);
    now = new Date(now.getTime() + 29 * 60_000);
    expect(await access.resolveSession(token)).not.toBeNull(); // used: the idle clock restarts
    now = new Date(now.getTime() + 29 * 60_000);
    expect(await access.resolveSession(token)).not.toBeNull();
    now = new Date(now.getTime() + 31 * 60_000);
    expect(await access.resolveSession(token)).toBeNull(); // idle for 31 minutes

    now = new Date('2031-01-02T08:00:00Z');
    const second = await access.login(DEFAULT_TENANT, 'expiry@example.org', PASSWORD);
    for (let minutes = 20; minutes <= 120; minutes += 20) {
      now = new Date(Date.parse('2031-01-02T08:00:00Z') + minutes * 60_000);
      const alive = await access.resolveSession(second.token);
      if (minutes < 120) expect(alive).not.toBeNull();
      else expect(alive).toBeNull(); // two hours: the absolute end, however active
    }
  });

  it('ends the other sessions when the password changes', async () => {
    await newUser('pw@example.org');
    const a = sessionCookie(await login({ email: 'pw@example.org', password: PASSWORD }))!;
    const bRes = await login({ email: 'pw@example.org', password: PASSWORD });
    const b = sessionCookie(bRes)!;
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      cookies: { [SESSION_COOKIE]: b },
      headers: { 'x-csrf-token': bRes.json().csrfToken },
      payload: { currentPassword: PASSWORD, newPassword: 'an even longer passphrase' },
    });
    expect(change.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { [SESSION_COOKIE]: a } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { [SESSION_COOKIE]: b } })).statusCode).toBe(200);
    expect((await login({ email: 'pw@example.org', password: 'an even longer passphrase' })).statusCode).toBe(200);
  });
});

describe('TOTP second factor', () => {
  it('enrols with an otpauth URI, then requires a fresh code at every sign-in', async () => {
    await newUser('totp@example.org');
    const first = await login({ email: 'totp@example.org', password: PASSWORD });
    const cookies = { [SESSION_COOKIE]: sessionCookie(first)! };
    const headers = { 'x-csrf-token': first.json().csrfToken };
    const enrol = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enrol', cookies, headers, payload: {} });
    expect(enrol.statusCode).toBe(200);
    const { uri, secret } = enrol.json();
    expect(uri).toMatch(/^otpauth:\/\/totp\/Rapport:totp%40example\.org\?/);
    const totp = new TOTP({ secret: Secret.fromBase32(secret), period: 30, digits: 6, algorithm: 'SHA1' });

    // Not active until confirmed: sign-in still works without a code.
    expect((await login({ email: 'totp@example.org', password: PASSWORD })).statusCode).toBe(200);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/confirm', cookies, headers, payload: { code: totp.generate() === '000000' ? '111111' : '000000' } });
    expect(wrong.statusCode).toBe(422);
    const confirmCode = totp.generate();
    const confirm = await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/confirm', cookies, headers, payload: { code: confirmCode } });
    expect(confirm.statusCode).toBe(204);

    const noCode = await login({ email: 'totp@example.org', password: PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().type).toBe('https://rapport.dev/problems/totp-required');
    expect(sessionCookie(noCode)).toBeUndefined();
    // The confirming code's time step is spent: replaying it fails.
    expect((await login({ email: 'totp@example.org', password: PASSWORD, code: confirmCode })).statusCode).toBe(401);
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    const ok = await login({ email: 'totp@example.org', password: PASSWORD, code: next });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().totpEnabled).toBe(true);
    expect((await login({ email: 'totp@example.org', password: PASSWORD, code: next })).statusCode).toBe(401);

    // Replacing or disabling the factor needs a valid, unused code.
    const s = { [SESSION_COOKIE]: sessionCookie(ok)! };
    const h = { 'x-csrf-token': ok.json().csrfToken };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enrol', cookies: s, headers: h, payload: {} })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/totp/disable', cookies: s, headers: h, payload: { code: next } })).statusCode).toBe(422);
  });

  it('lets an administrator reset a lost factor', async () => {
    const user = await newUser('lost@example.org');
    const access = t.app.services.access;
    const actor = { ...systemActor(DEFAULT_TENANT), userId: user.id };
    const { secret } = await access.enrolTotp(actor);
    await access.confirmTotp(actor, new TOTP({ secret: Secret.fromBase32(secret) }).generate());
    expect((await login({ email: 'lost@example.org', password: PASSWORD })).statusCode).toBe(401);
    const reset = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: t.auth, payload: { resetTotp: true } });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().totpEnabled).toBe(false);
    expect((await login({ email: 'lost@example.org', password: PASSWORD })).statusCode).toBe(200);
  });
});

describe('user management', () => {
  it('creates, lists, reads and changes users, and never returns secrets', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: t.auth,
      payload: { email: 'Managed@Example.org', displayName: 'Managed', password: PASSWORD, role: 'agent', skills: ['mortgages'] },
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user.email).toBe('managed@example.org');
    expect(JSON.stringify(user)).not.toMatch(/scrypt|passwordHash|totpSecret/);

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/users?q=managed', headers: t.auth });
    expect(list.json().items.map((u: { id: string }) => u.id)).toEqual([user.id]);
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: t.auth, payload: { role: 'manager', seniority: 4 } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ role: 'manager', seniority: 4 });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/users/${user.id}`, headers: t.auth })).json().role).toBe('manager');
    const weak = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: t.auth, payload: { password: 'short' } });
    expect(weak.statusCode).toBe(400);
    const badRole = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: t.auth, payload: { role: 'superuser' } });
    expect(badRole.statusCode).toBe(400);
  });

  it('disabling a user stops their sessions and API keys at once', async () => {
    const user = await newUser('leaver@example.org');
    const key = await t.app.services.access.createApiKey(systemActor(DEFAULT_TENANT), user.id, 'leaver');
    const session = sessionCookie(await login({ email: 'leaver@example.org', password: PASSWORD }))!;
    const bearer = { authorization: `Bearer ${key.secret}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(200);
    const disabled = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}`, headers: t.auth });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().status).toBe('disabled');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { [SESSION_COOKIE]: session } })).statusCode).toBe(401);
    expect((await login({ email: 'leaver@example.org', password: PASSWORD })).statusCode).toBe(401);
  });

  it('refuses to remove the last active administrator', async () => {
    const admins = await t.app.inject({ method: 'GET', url: '/api/v1/users?role=admin&status=active', headers: t.auth });
    expect(admins.json().items).toHaveLength(1);
    const demote = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${t.admin.id}`, headers: t.auth, payload: { role: 'agent' } });
    expect(demote.statusCode).toBe(409);
    const disable = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${t.admin.id}`, headers: t.auth });
    expect(disable.statusCode).toBe(409);
  });
});

describe('API keys', () => {
  it('lists keys without secrets and revokes them', async () => {
    const user = await newUser('keys@example.org');
    const own = await t.app.services.access.createApiKey(systemActor(DEFAULT_TENANT), user.id, 'first');
    const auth = { authorization: `Bearer ${own.secret}` };
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: auth, payload: { name: 'second' } });
    expect(made.statusCode).toBe(201);
    expect(made.json().secret).toMatch(/^rk_/);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: auth });
    expect(list.json().items.map((k: { name: string }) => k.name)).toEqual(['first', 'second']);
    expect(list.body).not.toContain(made.json().secret);
    expect(list.body).not.toContain('keyHash');
    expect(list.json().items[0].lastUsedAt).not.toBeNull();

    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${made.json().id}`, headers: auth });
    expect(revoke.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${made.json().secret}` } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${made.json().id}`, headers: auth })).statusCode).toBe(404);
    const withRevoked = await t.app.inject({ method: 'GET', url: '/api/v1/api-keys?includeRevoked=true', headers: auth });
    expect(withRevoked.json().items).toHaveLength(2);
  });
});
