import { and, asc, desc, eq, gt, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { Database, Orm } from '../../core/db/engine.js';
import type { Actor } from '../../core/actor.js';
import { ForbiddenError } from '../../core/errors.js';
import { decodeCursor, encodeCursor } from '../../core/http/pagination.js';
import { auditLog } from './schema.js';

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = Omit<typeof auditLog.$inferInsert, 'id' | 'at'>;

export interface AuditQuery {
  resourceId?: string;
  userId?: string;
  resource?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

// Names that carry credentials: never written to the log, whatever route or service produced them.
const SECRET_KEY = /secret|password|token|totp|otpauth|hash|^uri$/i;

/** Copies a value for the log without credential fields; Dates become ISO strings as in the API. */
export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[…]';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : withoutSecrets(v, depth + 1);
    return out;
  }
  return value;
}

const EXPORT_PAGE = 1000;

/** The append-only record of who did what to which record, and who looked at what. */
export class AuditService {
  constructor(private readonly db: Database) {}

  /** Appends entries; with `tx`, inside that transaction (the write's own), so they commit or roll back with it. */
  async append(entries: NewAuditEntry[], tx: Orm = this.db.orm): Promise<void> {
    if (!entries.length) return;
    await tx.insert(auditLog).values(entries.map((e) => ({ ...e, before: withoutSecrets(e.before ?? null), after: withoutSecrets(e.after ?? null) })));
  }

  private conditions(actor: Actor, q: AuditQuery): (SQL | undefined)[] {
    if (!actor.can('audit', 'read')) throw new ForbiddenError('only administrators read the audit log');
    return [
      eq(auditLog.tenantId, actor.tenantId),
      q.resourceId ? eq(auditLog.resourceId, q.resourceId) : undefined,
      q.userId ? eq(auditLog.actorUserId, q.userId) : undefined,
      q.resource ? eq(auditLog.resource, q.resource) : undefined,
      q.action ? eq(auditLog.action, q.action) : undefined,
      q.from ? gte(auditLog.at, q.from) : undefined,
      q.to ? lte(auditLog.at, q.to) : undefined,
    ];
  }

  /** Newest first; entries of one record or one user come from their own index. */
  async list(actor: Actor, q: AuditQuery & { limit: number; cursor?: string }) {
    const conds = this.conditions(actor, q);
    const cursor = decodeCursor(q.cursor);
    if (cursor) conds.push(lt(auditLog.id, cursor.id));
    const rows = await this.db.orm.select().from(auditLog).where(and(...conds)).orderBy(desc(auditLog.id)).limit(q.limit + 1);
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor({ v: null, id: last.id }) : null };
  }

  /** Oldest first, page by page, for JSON Lines export of any size without holding it in memory. */
  async *export(actor: Actor, q: AuditQuery): AsyncGenerator<AuditEntry> {
    const base = this.conditions(actor, q);
    let after: string | undefined;
    for (;;) {
      const rows = await this.db.orm.select().from(auditLog)
        .where(and(...base, after ? gt(auditLog.id, after) : undefined)).orderBy(asc(auditLog.id)).limit(EXPORT_PAGE);
      yield* rows;
      if (rows.length < EXPORT_PAGE) return;
      after = rows[rows.length - 1].id;
    }
  }
}
