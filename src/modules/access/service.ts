import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../../core/db/engine.js';
import type { Actor } from '../../core/actor.js';
import { ConflictError, ForbiddenError, UnauthenticatedError } from '../../core/errors.js';
import { apiKeys, sessions, users } from './schema.js';
import { can, ROLES, type RoleName } from './roles.js';
import { hashPassword, randomToken, sha256, verifyPassword } from './passwords.js';

const SESSION_HOURS = 12;

type UserRow = typeof users.$inferSelect;

export function actorFor(user: Pick<UserRow, 'tenantId' | 'id' | 'role' | 'divisionIds'>, kind: Actor['kind'] = 'user'): Actor {
  const role = (user.role in ROLES ? user.role : 'agent') as RoleName;
  const def = ROLES[role];
  return {
    tenantId: user.tenantId,
    userId: user.id,
    kind,
    role,
    divisionIds: def.scope === 'all' ? null : user.divisionIds,
    hiddenFields: def.hiddenFields,
    can: (resource, action) => can(role, resource, action),
  };
}

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

export class AccessService {
  constructor(private readonly db: Database) {}

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

  /** Email + password to a new session. The same message for an unknown email and a wrong password. */
  async login(tenantId: string, email: string, password: string) {
    const [user] = await this.db.orm.select().from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.email, email.toLowerCase()), eq(users.status, 'active')));
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new UnauthenticatedError('email or password is wrong');
    const token = randomToken();
    const csrfToken = randomToken(24);
    await this.db.orm.insert(sessions).values({
      tenantId,
      userId: user.id,
      tokenHash: sha256(token),
      csrfToken,
      expiresAt: new Date(Date.now() + SESSION_HOURS * 3600_000),
    });
    return { token, csrfToken, user };
  }

  async logout(token: string) {
    await this.db.orm.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
  }

  async resolveSession(token: string): Promise<{ actor: Actor; csrfToken: string; user: UserRow } | null> {
    const rows = await this.db.orm
      .select({ user: users, csrfToken: sessions.csrfToken })
      .from(sessions)
      .innerJoin(users, and(eq(users.tenantId, sessions.tenantId), eq(users.id, sessions.userId)))
      .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, new Date()), eq(users.status, 'active')));
    const hit = rows[0];
    return hit ? { actor: actorFor(hit.user), csrfToken: hit.csrfToken, user: hit.user } : null;
  }

  async createApiKey(actor: Actor, userId: string, name: string) {
    if (!actor.can('api-keys', 'admin') && actor.userId !== userId) throw new ForbiddenError('you may only create keys for yourself');
    const secret = `rk_${randomToken(24)}`;
    const [row] = await this.db.orm
      .insert(apiKeys)
      .values({ tenantId: actor.tenantId, userId, name, keyHash: sha256(secret), prefix: secret.slice(0, 8) })
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt });
    return { ...row, secret };
  }

  async resolveApiKey(secret: string): Promise<Actor | null> {
    const rows = await this.db.orm
      .select({ user: users, keyId: apiKeys.id })
      .from(apiKeys)
      .innerJoin(users, and(eq(users.tenantId, apiKeys.tenantId), eq(users.id, apiKeys.userId)))
      .where(and(eq(apiKeys.keyHash, sha256(secret)), isNull(apiKeys.revokedAt), eq(users.status, 'active')));
    const hit = rows[0];
    return hit ? actorFor(hit.user, 'api-key') : null;
  }
}

// Verifying against a throwaway hash keeps the response time the same whether or not the email exists.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
