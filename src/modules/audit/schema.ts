import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../../core/ids.js';

/**
 * Append-only: a trigger (migration 'audit_append_only') rejects UPDATE, DELETE and TRUNCATE, so an entry,
 * once written, stays as written. Ids are UUIDv7, so id order is time order.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: text('tenant_id').notNull(),
    id: uuid('id').notNull().$defaultFn(newId),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    actorKind: text('actor_kind').notNull(),
    actorRole: text('actor_role'),
    apiKeyId: uuid('api_key_id'),
    /** create | update | delete | read | export | login | login-failed | logout | denied | … */
    action: text('action').notNull(),
    resource: text('resource').notNull(),
    resourceId: text('resource_id'),
    method: text('method'),
    path: text('path'),
    status: integer('status'),
    ip: text('ip'),
    requestId: text('request_id'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('audit_log_resource_idx').on(t.tenantId, t.resourceId, t.id),
    index('audit_log_actor_idx').on(t.tenantId, t.actorUserId, t.id),
  ],
);
