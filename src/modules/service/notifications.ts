import { and, desc, eq, isNull, or, type SQL } from 'drizzle-orm';
import { divisionScope } from '../../core/db/scope.js';
import type { Database } from '../../core/db/engine.js';
import type { Actor } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import { serviceNotifications } from './schema.js';

export type NewNotification = Omit<typeof serviceNotifications.$inferInsert, 'id' | 'createdAt' | 'readAt'>;

/** In-app notices. A notice to a division (no user) is seen by that division's managers. */
export class NotificationService {
  constructor(private readonly db: Database) {}

  async add(rows: NewNotification[]) {
    for (let i = 0; i < rows.length; i += 1000) await this.db.orm.insert(serviceNotifications).values(rows.slice(i, i + 1000));
  }

  async list(actor: Actor, q: { unreadOnly?: boolean; limit: number }) {
    const mine: (SQL | undefined)[] = [actor.userId ? eq(serviceNotifications.userId, actor.userId) : undefined];
    if (actor.role === 'manager' || actor.role === 'admin') {
      mine.push(and(isNull(serviceNotifications.userId), divisionScope(actor, serviceNotifications.divisionId)));
    }
    return this.db.orm.select().from(serviceNotifications)
      .where(and(eq(serviceNotifications.tenantId, actor.tenantId), or(...mine), q.unreadOnly ? isNull(serviceNotifications.readAt) : undefined))
      .orderBy(desc(serviceNotifications.createdAt), desc(serviceNotifications.id)).limit(q.limit);
  }

  async markRead(actor: Actor, id: string) {
    const rows = await this.db.orm.update(serviceNotifications).set({ readAt: new Date() })
      .where(and(eq(serviceNotifications.tenantId, actor.tenantId), eq(serviceNotifications.id, id), actor.userId ? or(eq(serviceNotifications.userId, actor.userId), isNull(serviceNotifications.userId)) : undefined))
      .returning();
    if (!rows.length) throw new NotFoundError('notification', id);
    return rows[0];
  }
}
