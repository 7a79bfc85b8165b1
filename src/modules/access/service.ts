import { and, arrayOverlaps, asc, desc, eq, gt, ilike, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { Database } from '../../core/db/engine.js';
import { noteChange, scopeOf as actorScopeOf, type Actor } from '../../core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, RapportError, UnauthenticatedError, UnprocessableError } from '../../core/errors.js';
import { afterCursor, finishPage } from '../../core/db/list.js';
import { apiKeys, loginThrottles, sessions, users } from './schema.js';
import { can, isRoleName, ROLES, scopeOf, type RoleName } from './roles.js';
import { hashPassword, randomToken, sha256, verifyPassword } from './passwords.js';

type UserRow = typeof users.$inferSelect;
export type UserStatus = UserRow['status'];

/** 429 with Retry-After: too many failed sign-ins for this account or address. */
export class ThrottledError extends RapportError {
  readonly status = 429;
  readonly type = 'too-many-requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The password was right; the account also needs its one-time code. */
export class SecondFactorRequiredError extends RapportError {
  readonly status = 401;
  readonly type = 'totp-required';
}

export function actorFor(user: Pick<UserRow, 'tenantId' | 'id' | 'role' | 'divisionIds' | 'teamId'>, kind: Actor['kind'] = 'user', apiKeyId: string | null = null): Actor {
  // An unknown role (a row written by a newer version, say) gets the narrowest staff role, never more.
  const role: RoleName = isRoleName(user.role) ? user.role : 'agent';
  const def = ROLES[role];
  return {
    tenantId: user.tenantId,
    userId: user.id,
    kind,
    role,
    divisionIds: def.scope === 'all' ? null : user.divisionIds,
    hiddenFields: def.hiddenFields,
    teamId: user.teamId,
    apiKeyId,
    can: (resource, action) => can(role, resource, action),
    scopeOf: (resource, action) => scopeOf(role, resource, action),
  };
}

/** A user as the API shows it: never the password hash or the TOTP secret. */
export function publicUser(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    divisionIds: u.divisionIds,
    teamId: u.teamId,
    seniority: u.seniority,
    skills: (u.skills as string[]) ?? [],
    status: u.status,
    totpEnabled: !!u.totpConfirmedAt,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}
export type PublicUser = ReturnType<typeof publicUser>;

export interface NewUser {
  email: string;
  displayName: string;
  password?: string;
  role: RoleName;
  divisionIds?: string[];
  teamId?: string | null;
  seniority?: number;
  skills?: string[];
}

export interface UserPatch {
  displayName?: string;
  role?: RoleName;
  divisionIds?: string[];
  teamId?: string | null;
  seniority?: number;
  skills?: string[];
  status?: UserStatus;
  password?: string;
  resetTotp?: boolean;
}

export interface ThrottlePolicy {
  /** Failures inside the window before the first lockout. */
  threshold: number;
  windowSeconds: number;
  /** First lockout; each further failure doubles it, up to maxDelaySeconds. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
}

export interface AccessOptions {
  sessionHours: number;
  sessionIdleMinutes: number;
  accountThrottle: ThrottlePolicy;
  addressThrottle: ThrottlePolicy;
  now: () => Date;
}

const envNumber = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

export const DEFAULT_ACCESS_OPTIONS: AccessOptions = {
  sessionHours: envNumber('RAPPORT_SESSION_HOURS', 12),
  sessionIdleMinutes: envNumber('RAPPORT_SESSION_IDLE_MINUTES', 120),
  accountThrottle: { threshold: 5, windowSeconds: 900, baseDelaySeconds: 30, maxDelaySeconds: 900 },
  // An office behind one NAT address signs in from one IP: the address limit is looser than the account's.
  addressThrottle: { threshold: 25, windowSeconds: 900, baseDelaySeconds: 30, maxDelaySeconds: 900 },
  now: () => new Date(),
};

export interface LoginContext {
  ip?: string;
  userAgent?: string;
  /** TOTP code, when the account has a second factor. */
  code?: string;
  /** Session token the browser already carried: it is revoked, never adopted (no session fixation). */
  previousToken?: string;
}

// Touching last_seen_at on every request would turn each read into a write; once a minute is enough for an idle timeout.
const TOUCH_EVERY_MS = 60_000;
/**
 * Resolved API keys are remembered this long: integrations call often, and the lookup was most of the cost
 * of a small request. Revoking a key or changing its user clears it here at once; another process sharing
 * the database notices within this time. 0 turns the cache off.
 */
const KEY_CACHE_MS = envNumber('RAPPORT_KEY_CACHE_MS', 5_000);
const KEY_CACHE_MAX = 10_000;
const TOTP_PERIOD = 30;

export class AccessService {
  private readonly opts: AccessOptions;
  private failuresSincePrune = 0;
  private readonly keyCache = new Map<string, { actor: Actor; until: number }>();

  constructor(
    private readonly db: Database,
    options: Partial<AccessOptions> = {},
  ) {
    this.opts = { ...DEFAULT_ACCESS_OPTIONS, ...options };
  }

  // ---- users -------------------------------------------------------------------------------------------

  async createUser(tenantId: string, input: NewUser) {
    const existing = await this.db.orm.select({ id: users.id }).from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.email, input.email.toLowerCase())));
    if (existing.length) throw new ConflictError(`a user with email ${input.email} already exists`, [{ path: 'body/email', message: 'already taken' }]);
    const [row] = await this.db.orm
      .insert(users)
      .values({
        tenantId,
        email: input.email.toLowerCase(),
        displayName: input.displayName,
        passwordHash: input.password ? await hashPassword(input.password) : null,
        role: input.role,
        divisionIds: input.divisionIds ?? [],
        teamId: input.teamId ?? null,
        seniority: input.seniority ?? 2,
        skills: input.skills ?? [],
      })
      .returning();
    return row;
  }

  /** Administrators create users; the change is noted for the audit trail. */
  async addUser(actor: Actor, input: NewUser): Promise<PublicUser> {
    if (!actor.can('users', 'admin')) throw new ForbiddenError('only administrators manage users');
    const row = publicUser(await this.createUser(actor.tenantId, input));
    noteChange(actor, { resource: 'users', resourceId: row.id, action: 'create', after: row });
    return row;
  }

  /** Which users the actor may see: all, those sharing a division, their team, or only themselves. */
  private userScope(actor: Actor): SQL | undefined {
    const scope = actorScopeOf(actor, 'users', 'read');
    const self = actor.userId ? eq(users.id, actor.userId) : sql`false`;
    switch (scope) {
      case 'all':
        return undefined;
      case 'division':
        if (!actor.divisionIds) return undefined;
        return or(self, actor.divisionIds.length ? arrayOverlaps(users.divisionIds, actor.divisionIds) : sql`false`);
      case 'team':
        return or(self, actor.teamId ? eq(users.teamId, actor.teamId) : sql`false`);
      case 'own':
        return self;
      default:
        throw new ForbiddenError(`role ${actor.role} may not read users`);
    }
  }

  async listUsers(actor: Actor, q: { q?: string; role?: string; status?: UserStatus; limit: number; cursor?: string }) {
    const conds: (SQL | undefined)[] = [eq(users.tenantId, actor.tenantId), this.userScope(actor)];
    if (q.role) conds.push(eq(users.role, q.role));
    if (q.status) conds.push(eq(users.status, q.status));
    if (q.q) {
      const pattern = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conds.push(or(ilike(users.email, pattern), ilike(users.displayName, pattern)));
    }
    conds.push(afterCursor({ column: users.id, direction: 'asc' }, users.id, q.cursor));
    const rows = await this.db.orm.select().from(users).where(and(...conds)).orderBy(asc(users.id)).limit(q.limit + 1);
    return finishPage(rows.map(publicUser), q.limit, (r) => r.id);
  }

  async getUser(actor: Actor, id: string): Promise<PublicUser> {
    const [row] = await this.db.orm.select().from(users).where(and(eq(users.tenantId, actor.tenantId), eq(users.id, id), this.userScope(actor)));
    if (!row) throw new NotFoundError('user', id);
    return publicUser(row);
  }

  async updateUser(actor: Actor, id: string, patch: UserPatch): Promise<PublicUser> {
    if (!actor.can('users', 'admin')) throw new ForbiddenError('only administrators manage users');
    const [current] = await this.db.orm.select().from(users).where(and(eq(users.tenantId, actor.tenantId), eq(users.id, id)));
    if (!current) throw new NotFoundError('user', id);
    const losesAdmin = current.role === 'admin' && current.status === 'active' && ((patch.role && patch.role !== 'admin') || patch.status === 'disabled');
    if (losesAdmin) {
      const others = await this.db.orm.select({ id: users.id }).from(users)
        .where(and(eq(users.tenantId, actor.tenantId), eq(users.role, 'admin'), eq(users.status, 'active'), ne(users.id, id))).limit(1);
      if (!others.length) throw new ConflictError('this is the last active administrator; appoint another first');
    }
    const { password, resetTotp, ...fields } = patch;
    const set: Partial<typeof users.$inferInsert> = { ...fields, updatedAt: this.opts.now() };
    if (password) set.passwordHash = await hashPassword(password);
    if (resetTotp) Object.assign(set, { totpSecret: null, totpConfirmedAt: null, totpLastStep: null });
    const [row] = await this.db.orm.update(users).set(set).where(and(eq(users.tenantId, actor.tenantId), eq(users.id, id))).returning();
    this.forgetKeys((cached) => cached.userId === id);
    // A new password, a disabled account or a changed role ends every session: nobody keeps old rights.
    if (password || patch.status === 'disabled' || (patch.role && patch.role !== current.role)) await this.endSessionsOf(actor.tenantId, id);
    const after = publicUser(row);
    noteChange(actor, { resource: 'users', resourceId: id, action: 'update', before: publicUser(current), after });
    return after;
  }

  private async endSessionsOf(tenantId: string, userId: string, except?: string) {
    await this.db.orm.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, userId), except ? ne(sessions.id, except) : undefined));
  }

  async changeOwnPassword(actor: Actor, current: string, next: string, keepSessionId?: string) {
    if (!actor.userId) throw new UnauthenticatedError('not signed in');
    const [row] = await this.db.orm.select().from(users).where(and(eq(users.tenantId, actor.tenantId), eq(users.id, actor.userId)));
    if (!row || !(await verifyPassword(current, row.passwordHash))) throw new ForbiddenError('the current password is wrong');
    await this.db.orm.update(users).set({ passwordHash: await hashPassword(next), updatedAt: this.opts.now() })
      .where(and(eq(users.tenantId, actor.tenantId), eq(users.id, actor.userId)));
    await this.endSessionsOf(actor.tenantId, actor.userId, keepSessionId);
    noteChange(actor, { resource: 'users', resourceId: actor.userId, action: 'update', after: { password: 'changed' } });
  }

  // ---- sign-in and sessions ----------------------------------------------------------------------------

  /**
   * Email + password (+ one-time code once enrolled) to a brand-new session. The same message for an unknown
   * email and a wrong password; failures count per account and per address, in the database.
   */
  async login(tenantId: string, email: string, password: string, ctx: LoginContext = {}) {
    const normalised = email.toLowerCase();
    const keys = [`account:${normalised}`, ...(ctx.ip ? [`ip:${ctx.ip}`] : [])];
    await this.assertNotThrottled(tenantId, keys);
    const [user] = await this.db.orm.select().from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.email, normalised), eq(users.status, 'active')));
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) {
      await this.recordFailure(tenantId, keys);
      throw new UnauthenticatedError('email or password is wrong');
    }
    if (user.totpConfirmedAt) {
      if (!ctx.code) throw new SecondFactorRequiredError('this account needs its one-time code: send it as `code`');
      const step = this.acceptTotp(user, ctx.code);
      if (step === null) {
        await this.recordFailure(tenantId, keys);
        throw new UnauthenticatedError('the one-time code is wrong or was already used');
      }
      await this.db.orm.update(users).set({ totpLastStep: step }).where(and(eq(users.tenantId, tenantId), eq(users.id, user.id)));
    }
    await this.db.orm.delete(loginThrottles).where(and(eq(loginThrottles.tenantId, tenantId), eq(loginThrottles.key, keys[0])));
    if (ctx.previousToken) await this.logout(ctx.previousToken);
    const now = this.opts.now();
    await this.db.orm.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, user.id), lt(sessions.expiresAt, now)));
    const token = randomToken();
    const csrfToken = randomToken(24);
    const [session] = await this.db.orm.insert(sessions).values({
      tenantId,
      userId: user.id,
      tokenHash: sha256(token),
      csrfToken,
      expiresAt: new Date(now.getTime() + this.opts.sessionHours * 3600_000),
      lastSeenAt: now,
      ip: ctx.ip ?? null,
      userAgent: ctx.userAgent?.slice(0, 300) ?? null,
    }).returning({ id: sessions.id, expiresAt: sessions.expiresAt });
    return { token, csrfToken, user, sessionId: session.id, expiresAt: session.expiresAt };
  }

  async logout(token: string) {
    await this.db.orm.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
  }

  async resolveSession(token: string): Promise<{ actor: Actor; csrfToken: string; user: UserRow; sessionId: string } | null> {
    const now = this.opts.now();
    const idleSince = new Date(now.getTime() - this.opts.sessionIdleMinutes * 60_000);
    const rows = await this.db.orm
      .select({ user: users, csrfToken: sessions.csrfToken, sessionId: sessions.id, lastSeenAt: sessions.lastSeenAt })
      .from(sessions)
      .innerJoin(users, and(eq(users.tenantId, sessions.tenantId), eq(users.id, sessions.userId)))
      .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, idleSince), eq(users.status, 'active')));
    const hit = rows[0];
    if (!hit) return null;
    if (now.getTime() - hit.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.db.orm.update(sessions).set({ lastSeenAt: now }).where(and(eq(sessions.tenantId, hit.user.tenantId), eq(sessions.id, hit.sessionId)));
    }
    return { actor: actorFor(hit.user), csrfToken: hit.csrfToken, user: hit.user, sessionId: hit.sessionId };
  }

  private async assertNotThrottled(tenantId: string, keys: string[]) {
    const now = this.opts.now();
    const locked = await this.db.orm.select({ lockedUntil: loginThrottles.lockedUntil }).from(loginThrottles)
      .where(and(eq(loginThrottles.tenantId, tenantId), inArray(loginThrottles.key, keys), gt(loginThrottles.lockedUntil, now)))
      .orderBy(desc(loginThrottles.lockedUntil)).limit(1);
    if (locked.length) {
      const seconds = Math.max(1, Math.ceil((locked[0].lockedUntil!.getTime() - now.getTime()) / 1000));
      throw new ThrottledError(`too many failed sign-ins; try again in ${seconds} s`, seconds);
    }
  }

  private async recordFailure(tenantId: string, keys: string[]) {
    const now = this.opts.now();
    for (const key of keys) {
      const policy = key.startsWith('ip:') ? this.opts.addressThrottle : this.opts.accountThrottle;
      const windowStart = new Date(now.getTime() - policy.windowSeconds * 1000);
      const stale = sql`${loginThrottles.lastFailureAt} < ${windowStart}`;
      const [row] = await this.db.orm.insert(loginThrottles)
        .values({ tenantId, key, failures: 1, firstFailureAt: now, lastFailureAt: now })
        .onConflictDoUpdate({
          target: [loginThrottles.tenantId, loginThrottles.key],
          set: {
            failures: sql`CASE WHEN ${stale} THEN 1 ELSE ${loginThrottles.failures} + 1 END`,
            firstFailureAt: sql`CASE WHEN ${stale} THEN ${now} ELSE ${loginThrottles.firstFailureAt} END`,
            lastFailureAt: now,
          },
        })
        .returning({ failures: loginThrottles.failures });
      if (row.failures >= policy.threshold) {
        const delay = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** (row.failures - policy.threshold));
        await this.db.orm.update(loginThrottles).set({ lockedUntil: new Date(now.getTime() + delay * 1000) })
          .where(and(eq(loginThrottles.tenantId, tenantId), eq(loginThrottles.key, key)));
      }
    }
    if (++this.failuresSincePrune >= 100) {
      this.failuresSincePrune = 0;
      const dayAgo = new Date(now.getTime() - 86_400_000);
      await this.db.orm.delete(loginThrottles)
        .where(and(lt(loginThrottles.lastFailureAt, dayAgo), or(isNull(loginThrottles.lockedUntil), lt(loginThrottles.lockedUntil, now))));
    }
  }

  // ---- second factor (TOTP, RFC 6238) ------------------------------------------------------------------

  private totpOf(user: Pick<UserRow, 'email' | 'totpSecret'>) {
    return new TOTP({ issuer: 'Rapport', label: user.email, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD, secret: Secret.fromBase32(user.totpSecret ?? '') });
  }

  /** The time step the code belongs to, or null if it is wrong or its step was already used (replay). */
  private acceptTotp(user: UserRow, code: string): number | null {
    if (!user.totpSecret || !/^\d{6}$/.test(code)) return null;
    const timestamp = this.opts.now().getTime();
    const delta = this.totpOf(user).validate({ token: code, timestamp, window: 1 });
    if (delta === null) return null;
    const step = Math.floor(timestamp / 1000 / TOTP_PERIOD) + delta;
    if (user.totpLastStep !== null && step <= user.totpLastStep) return null;
    return step;
  }

  private async ownUser(actor: Actor): Promise<UserRow> {
    if (!actor.userId) throw new UnauthenticatedError('not signed in');
    const [row] = await this.db.orm.select().from(users).where(and(eq(users.tenantId, actor.tenantId), eq(users.id, actor.userId)));
    if (!row) throw new NotFoundError('user', actor.userId);
    return row;
  }

  async me(actor: Actor): Promise<PublicUser> {
    return publicUser(await this.ownUser(actor));
  }

  /** Starts enrolment: a new secret as an otpauth:// URI for an authenticator app; active once confirmed. */
  async enrolTotp(actor: Actor, code?: string) {
    const user = await this.ownUser(actor);
    if (user.totpConfirmedAt && (!code || this.acceptTotp(user, code) === null)) {
      throw new ConflictError('a second factor is already active: send a current code to replace it', [{ path: 'body/code', message: 'required' }]);
    }
    const secret = new Secret({ size: 20 }).base32;
    await this.db.orm.update(users).set({ totpSecret: secret, totpConfirmedAt: null, totpLastStep: null, updatedAt: this.opts.now() })
      .where(and(eq(users.tenantId, actor.tenantId), eq(users.id, user.id)));
    noteChange(actor, { resource: 'users', resourceId: user.id, action: 'update', after: { totp: 'enrolment started' } });
    return { secret, uri: this.totpOf({ email: user.email, totpSecret: secret }).toString() };
  }

  async confirmTotp(actor: Actor, code: string) {
    const user = await this.ownUser(actor);
    if (!user.totpSecret) throw new UnprocessableError('start enrolment first (POST /auth/totp/enrol)');
    if (user.totpConfirmedAt) throw new ConflictError('the second factor is already active');
    const step = this.acceptTotp(user, code);
    if (step === null) throw new UnprocessableError('the code is wrong', [{ path: 'body/code', message: 'does not match' }]);
    await this.db.orm.update(users).set({ totpConfirmedAt: this.opts.now(), totpLastStep: step, updatedAt: this.opts.now() })
      .where(and(eq(users.tenantId, actor.tenantId), eq(users.id, user.id)));
    noteChange(actor, { resource: 'users', resourceId: user.id, action: 'update', after: { totp: 'enabled' } });
  }

  async disableTotp(actor: Actor, code: string) {
    const user = await this.ownUser(actor);
    if (!user.totpConfirmedAt) throw new UnprocessableError('no second factor is active');
    if (this.acceptTotp(user, code) === null) throw new UnprocessableError('the code is wrong', [{ path: 'body/code', message: 'does not match' }]);
    await this.db.orm.update(users).set({ totpSecret: null, totpConfirmedAt: null, totpLastStep: null, updatedAt: this.opts.now() })
      .where(and(eq(users.tenantId, actor.tenantId), eq(users.id, user.id)));
    noteChange(actor, { resource: 'users', resourceId: user.id, action: 'update', after: { totp: 'disabled' } });
  }

  // ---- API keys ----------------------------------------------------------------------------------------

  async createApiKey(actor: Actor, userId: string, name: string) {
    if (!actor.can('api-keys', 'admin') && actor.userId !== userId) throw new ForbiddenError('you may only create keys for yourself');
    const [owner] = await this.db.orm.select({ id: users.id }).from(users).where(and(eq(users.tenantId, actor.tenantId), eq(users.id, userId)));
    if (!owner) throw new NotFoundError('user', userId);
    const secret = `rk_${randomToken(24)}`;
    const [row] = await this.db.orm
      .insert(apiKeys)
      .values({ tenantId: actor.tenantId, userId, name, keyHash: sha256(secret), prefix: secret.slice(0, 8) })
      .returning({ id: apiKeys.id, userId: apiKeys.userId, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt });
    noteChange(actor, { resource: 'api-keys', resourceId: row.id, action: 'create', after: row });
    return { ...row, secret };
  }

  private keyScope(actor: Actor, action: 'read' | 'delete'): SQL | undefined {
    const scope = actorScopeOf(actor, 'api-keys', action);
    if (scope === 'all') return undefined;
    if (scope && actor.userId) return eq(apiKeys.userId, actor.userId);
    throw new ForbiddenError(`role ${actor.role} may not ${action} API keys`);
  }

  async listApiKeys(actor: Actor, q: { userId?: string; includeRevoked?: boolean }) {
    return this.db.orm
      .select({ id: apiKeys.id, userId: apiKeys.userId, name: apiKeys.name, prefix: apiKeys.prefix, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt, createdAt: apiKeys.createdAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, actor.tenantId), this.keyScope(actor, 'read'), q.userId ? eq(apiKeys.userId, q.userId) : undefined, q.includeRevoked ? undefined : isNull(apiKeys.revokedAt)))
      .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  }

  async revokeApiKey(actor: Actor, id: string) {
    const [row] = await this.db.orm.update(apiKeys).set({ revokedAt: this.opts.now(), updatedAt: this.opts.now() })
      .where(and(eq(apiKeys.tenantId, actor.tenantId), eq(apiKeys.id, id), this.keyScope(actor, 'delete'), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, revokedAt: apiKeys.revokedAt });
    if (!row) throw new NotFoundError('API key', id);
    this.forgetKeys((cached) => cached.apiKeyId === id);
    noteChange(actor, { resource: 'api-keys', resourceId: id, action: 'delete', after: row });
  }

  private forgetKeys(matches: (actor: Actor) => boolean) {
    for (const [hash, entry] of this.keyCache) if (matches(entry.actor)) this.keyCache.delete(hash);
  }

  async resolveApiKey(secret: string): Promise<Actor | null> {
    const hash = sha256(secret);
    const cached = this.keyCache.get(hash);
    if (cached && cached.until > this.opts.now().getTime()) return cached.actor;
    const rows = await this.db.orm
      .select({ user: users, keyId: apiKeys.id, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .innerJoin(users, and(eq(users.tenantId, apiKeys.tenantId), eq(users.id, apiKeys.userId)))
      .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt), eq(users.status, 'active')));
    const hit = rows[0];
    if (!hit) {
      this.keyCache.delete(hash);
      return null;
    }
    const now = this.opts.now();
    if (!hit.lastUsedAt || now.getTime() - hit.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      await this.db.orm.update(apiKeys).set({ lastUsedAt: now }).where(and(eq(apiKeys.tenantId, hit.user.tenantId), eq(apiKeys.id, hit.keyId)));
    }
    const actor = actorFor(hit.user, 'api-key', hit.keyId);
    if (KEY_CACHE_MS > 0) {
      if (this.keyCache.size >= KEY_CACHE_MAX) this.keyCache.clear();
      this.keyCache.set(hash, { actor, until: now.getTime() + KEY_CACHE_MS });
    }
    return actor;
  }
}

// Verifying against a throwaway hash keeps the response time the same whether or not the email exists.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
