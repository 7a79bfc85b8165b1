import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Database } from '../../core/db/engine.js';
import { recordChange, type Actor } from '../../core/actor.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { decodeCursor, encodeCursor } from '../../core/http/pagination.js';
import { customerLinks, sourceRecords } from '../identity/schema.js';
import { sourceSystems } from '../org/schema.js';
import { interactions, type TouchPoint } from './schema.js';

const NO_DIVISION = '00000000-0000-0000-0000-000000000000';

export interface TimelineQuery {
  customerId?: string;
  sourceRecordId?: string;
  touchPoints?: TouchPoint[];
  divisionIds?: string[];
  limit: number;
  cursor?: string;
}

export type NewInteraction = Omit<typeof interactions.$inferInsert, 'tenantId' | 'id' | 'createdAt' | 'updatedAt' | 'cost'> & { cost?: number | null };

/** The contact history on every touch point; newest first. */
export class InteractionService {
  constructor(private readonly db: Database) {}

  async timeline(actor: Actor, q: TimelineQuery) {
    const conds: (SQL | undefined)[] = [eq(interactions.tenantId, actor.tenantId)];
    if (actor.divisionIds) conds.push(inArray(interactions.divisionId, actor.divisionIds.length ? actor.divisionIds : [NO_DIVISION]));
    if (q.sourceRecordId) conds.push(eq(interactions.sourceRecordId, q.sourceRecordId));
    if (q.customerId) {
      const recordIds = this.db.orm.select({ id: customerLinks.sourceRecordId }).from(customerLinks)
        .where(and(eq(customerLinks.tenantId, actor.tenantId), eq(customerLinks.customerId, q.customerId)));
      conds.push(inArray(interactions.sourceRecordId, recordIds));
    }
    if (q.touchPoints?.length) conds.push(inArray(interactions.touchPoint, q.touchPoints));
    if (q.divisionIds?.length) conds.push(inArray(interactions.divisionId, q.divisionIds));
    const cursor = decodeCursor(q.cursor);
    if (cursor && typeof cursor.v === 'string') {
      const at = new Date(cursor.v);
      conds.push(or(lt(interactions.occurredAt, at), and(eq(interactions.occurredAt, at), lt(interactions.id, cursor.id))));
    }
    const rows = await this.db.orm.select().from(interactions).where(and(...conds))
      .orderBy(desc(interactions.occurredAt), desc(interactions.id)).limit(q.limit + 1);
    const hasMore = rows.length > q.limit;
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return { items, nextCursor: hasMore && last ? encodeCursor({ v: last.occurredAt.toISOString(), id: last.id }) : null };
  }

  async record(actor: Actor, input: NewInteraction) {
    if (!actor.can('interactions', 'write')) throw new ForbiddenError('you may not record interactions');
    if (actor.divisionIds && !actor.divisionIds.includes(input.divisionId)) throw new ForbiddenError('you may only record interactions for your divisions');
    const [record] = await this.db.orm.select({ divisionId: sourceSystems.divisionId }).from(sourceRecords)
      .innerJoin(sourceSystems, and(eq(sourceSystems.tenantId, sourceRecords.tenantId), eq(sourceSystems.id, sourceRecords.sourceSystemId)))
      .where(and(eq(sourceRecords.tenantId, actor.tenantId), eq(sourceRecords.id, input.sourceRecordId)));
    if (!record || (actor.divisionIds && !actor.divisionIds.includes(record.divisionId))) throw new NotFoundError('source record', input.sourceRecordId);
    return this.db.orm.transaction(async (tx) => {
      const [row] = await tx.insert(interactions)
        .values({ ...input, tenantId: actor.tenantId, cost: input.cost ?? null })
        .returning();
      await recordChange(tx, actor, { resource: 'interactions', resourceId: row.id, action: 'create', after: row });
      return row;
    });
  }
}
