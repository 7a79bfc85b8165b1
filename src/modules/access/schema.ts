import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantColumns, timestamps } from '../../core/db/columns.js';
import { teams } from '../org/schema.js';

/** Staff and integration principals. Role names are defined in code (access/roles.ts). */
export const users = pgTable(
  'users',
  {
    ...tenantColumns,
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    role: text('role').notNull().default('agent'),
    teamId: uuid('team_id'),
    /** Divisions this user may see; empty with scope 'all' means every division. */
    divisionIds: uuid('division_ids').array().notNull().default([]),
    /** 1 (junior) … 5 (most senior): routing matches customer value to seniority. */
    seniority: integer('seniority').notNull().default(2),
    skills: jsonb('skills').notNull().default([]),
    /** Base32 TOTP secret; a second factor only once confirmed with a valid code. */
    totpSecret: text('totp_secret'),
    totpConfirmedAt: timestamp('totp_confirmed_at', { withTimezone: true }),
    /** Last accepted TOTP time step: a code is never accepted twice. */
    totpLastStep: integer('totp_last_step'),
    status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('users_email_uq').on(t.tenantId, t.email),
    foreignKey({ columns: [t.tenantId, t.teamId], foreignColumns: [teams.tenantId, teams.id] }),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    ...tenantColumns,
    userId: uuid('user_id').notNull(),
    name: text('name').notNull(),
    /** sha256 of the secret; the secret itself is shown once. */
    keyHash: text('key_hash').notNull(),
    prefix: text('prefix').notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('api_keys_hash_uq').on(t.keyHash),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    ...tenantColumns,
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    /** Absolute end of the session; it also ends after RAPPORT_SESSION_IDLE_MINUTES without use. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sessions_token_uq').on(t.tokenHash),
    index('sessions_user_idx').on(t.tenantId, t.userId),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete('cascade'),
  ],
);

/**
 * Failed sign-ins per account and per address, in the database so that a restart does not reset a lockout.
 * `key` is 'account:<email>' or 'ip:<address>'.
 */
export const loginThrottles = pgTable(
  'login_throttles',
  {
    tenantId: text('tenant_id').notNull(),
    key: text('key').notNull(),
    failures: integer('failures').notNull().default(0),
    firstFailureAt: timestamp('first_failure_at', { withTimezone: true }).notNull().defaultNow(),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] }), index('login_throttles_last_idx').on(t.lastFailureAt)],
);
