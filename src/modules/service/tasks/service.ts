import { and, asc, eq, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { noteChange, type Actor } from '../../../core/actor.js';
import { divisionScope } from '../../../core/db/scope.js';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from '../../../core/errors.js';
import type { AssignmentDecision, AssignmentSubject } from '../assignment/engine.js';
import type { ServiceContext } from '../context.js';
import { serviceNotifications, serviceTasks } from '../schema.js';

export type TaskRow = typeof serviceTasks.$inferSelect;

/** Where a task's opportunity lives; sales answers it (service does not read sales' tables). */
export type OpportunityLookup = (actor: Actor, opportunityId: string) => Promise<{ divisionId: string; customerId: string | null; name: string }>;

export interface NewTask {
  title: string;
  notes?: string;
  customerId?: string;
  caseId?: string;
  opportunityId?: string;
  divisionId?: string;
  /** A named person; without one the assignment engine picks (or queues) by skill, seniority, continuity and load. */
  assigneeUserId?: string;
  teamId?: string;
  dueAt: Date;
  remindAt?: Date;
}

export interface TaskQuery {
  assigneeUserId?: string;
  mine?: boolean;
  customerId?: string;
  caseId?: string;
  opportunityId?: string;
  status?: (typeof serviceTasks.$inferSelect)['status'];
  overdue?: boolean;
  limit: number;
  cursor?: string;
}

/**
 * Tasks with due dates and reminders on customers, cases and opportunities. Creation routes the task through
 * the same assignment engine as cases (explained, overridable); the reminder job notifies the assignee once.
 */
export class TaskService {
  /** Set by the composition root: how to find an opportunity's division and customer. */
  opportunities: OpportunityLookup | null = null;

  constructor(private readonly ctx: ServiceContext) {}

  private get db() {
    return this.ctx.db;
  }

  private canWrite(actor: Actor) {
    if (!actor.can('tasks', 'write')) throw new ForbiddenError('you may not change tasks');
  }

  async get(actor: Actor, id: string): Promise<TaskRow> {
    if (!actor.can('tasks', 'read')) throw new ForbiddenError('you may not read tasks');
    const [row] = await this.db.orm.select().from(serviceTasks).where(and(eq(serviceTasks.tenantId, actor.tenantId), eq(serviceTasks.id, id), divisionScope(actor, serviceTasks.divisionId)));
    if (!row) throw new NotFoundError('task', id);
    return row;
  }

  async create(actor: Actor, input: NewTask): Promise<TaskRow & { decision: AssignmentDecision | null }> {
    this.canWrite(actor);
    const subjects = [input.customerId, input.caseId, input.opportunityId].filter(Boolean).length;
    if (subjects === 0) throw new ValidationError('a task is about a customer, a case or an opportunity', [{ path: 'body/customerId', message: 'give customerId, caseId or opportunityId' }]);
    if (input.remindAt && input.remindAt > input.dueAt) throw new ValidationError('the reminder comes after the due time', [{ path: 'body/remindAt', message: 'at or before dueAt' }]);
    // The task's subject decides its division (a case's or an opportunity's); a customer task names one, or the
    // customer's only division is taken.
    let divisionId = input.divisionId;
    let customerId = input.customerId ?? null;
    if (input.caseId) {
      const c = await this.ctx.cases.row(actor, input.caseId);
      if (divisionId && divisionId !== c.divisionId) throw new UnprocessableError('the case belongs to another division', [{ path: 'body/divisionId', message: 'must be the case’s division' }]);
      if (customerId && customerId !== c.customerId) throw new UnprocessableError('the case is about another customer', [{ path: 'body/customerId', message: 'must be the case’s customer' }]);
      divisionId = c.divisionId;
      customerId = c.customerId;
    }
    if (input.opportunityId) {
      if (!this.opportunities) throw new UnprocessableError('opportunities are not available here');
      const o = await this.opportunities(actor, input.opportunityId);
      if (divisionId && divisionId !== o.divisionId) throw new UnprocessableError('the opportunity belongs to another division', [{ path: 'body/divisionId', message: 'must be the opportunity’s division' }]);
      divisionId = o.divisionId;
      customerId = customerId ?? o.customerId;
    }
    const customer = customerId ? await this.ctx.customers.getCustomer(actor, customerId) : null;
    if (!divisionId && customer?.divisionIds.length === 1) divisionId = customer.divisionIds[0];
    if (!divisionId) throw new ValidationError('say which division the task belongs to', [{ path: 'body/divisionId', message: 'required: the customer is known to several divisions' }]);
    if (actor.divisionIds && !actor.divisionIds.includes(divisionId)) throw new ForbiddenError('you may only create tasks in your divisions');

    let decision: AssignmentDecision | null = null;
    let assigneeUserId: string | null = null;
    let queueTeamId: string | null = null;
    if (input.assigneeUserId) {
      const person = await this.ctx.assignment.servingUser(actor.tenantId, input.assigneeUserId);
      if (!person.divisionIds.includes(divisionId)) throw new UnprocessableError(`${person.displayName} does not serve this division`, [{ path: 'body/assigneeUserId', message: 'not in the task’s division' }]);
      assigneeUserId = person.id;
    } else {
      decision = await this.route(actor.tenantId, divisionId, customerId, input.teamId ?? null);
      assigneeUserId = decision.userId;
      queueTeamId = decision.userId ? null : (decision.queue?.teamId ?? null);
    }
    const [row] = await this.db.orm
      .insert(serviceTasks)
      .values({
        tenantId: actor.tenantId,
        title: input.title,
        notes: input.notes ?? null,
        divisionId,
        customerId,
        caseId: input.caseId ?? null,
        opportunityId: input.opportunityId ?? null,
        assigneeUserId,
        queueTeamId,
        dueAt: input.dueAt,
        remindAt: input.remindAt ?? null,
        createdBy: actor.userId,
      })
      .returning();
    if (decision) await this.ctx.assignment.record(actor.tenantId, 'task', row.id, customerId, decision, actor.userId);
    noteChange(actor, { resource: 'tasks', resourceId: row.id, action: 'create', after: { ...input, assigneeUserId, queueTeamId } });
    if (assigneeUserId && assigneeUserId !== actor.userId) {
      await this.ctx.notifications.add([{ tenantId: actor.tenantId, userId: assigneeUserId, divisionId, caseId: row.caseId, customerId, kind: 'assignment', message: `Task for you: ${row.title} (due ${row.dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)` }]);
    }
    return { ...row, decision };
  }

  /** The engine's choice for a task: the customer's relationship manager or last handler first, then skill and load. */
  private async route(tenantId: string, divisionId: string, customerId: string | null, teamId: string | null): Promise<AssignmentDecision> {
    const a = this.ctx.assignment;
    const tier = customerId ? ((await this.ctx.value.tierOf(tenantId, [customerId])).get(customerId) ?? 'rest') : 'rest';
    const subject: AssignmentSubject = {
      kind: 'task',
      tier,
      divisionIds: [divisionId],
      productSkills: [],
      language: null,
      relationshipManagerId: customerId ? await a.relationshipManagerOf(tenantId, customerId) : null,
      lastHandlerId: customerId ? await a.lastHandlerOf(tenantId, customerId) : null,
    };
    return a.decide(tenantId, subject, await a.queueFor(tenantId, divisionId, teamId), teamId);
  }

  async list(actor: Actor, q: TaskQuery) {
    if (!actor.can('tasks', 'read')) throw new ForbiddenError('you may not read tasks');
    const assignee = q.mine ? actor.userId : q.assigneeUserId;
    const where: (SQL | undefined)[] = [
      eq(serviceTasks.tenantId, actor.tenantId),
      divisionScope(actor, serviceTasks.divisionId),
      assignee ? eq(serviceTasks.assigneeUserId, assignee) : undefined,
      q.customerId ? eq(serviceTasks.customerId, q.customerId) : undefined,
      q.caseId ? eq(serviceTasks.caseId, q.caseId) : undefined,
      q.opportunityId ? eq(serviceTasks.opportunityId, q.opportunityId) : undefined,
      q.overdue ? and(eq(serviceTasks.status, 'open'), lt(serviceTasks.dueAt, new Date())) : q.status ? eq(serviceTasks.status, q.status) : undefined,
    ];
    // Keyset by (due, id): the soonest due first, stable across pages.
    if (q.cursor) {
      const [due, id] = Buffer.from(q.cursor, 'base64url').toString().split('|');
      if (!due || !id || Number.isNaN(Date.parse(due))) throw new ValidationError('bad cursor', [{ path: 'querystring/cursor', message: 'not a cursor from this list' }]);
      where.push(sql`(${serviceTasks.dueAt}, ${serviceTasks.id}) > (${new Date(due)}, ${id}::uuid)`);
    }
    const rows = await this.db.orm.select().from(serviceTasks).where(and(...where)).orderBy(asc(serviceTasks.dueAt), asc(serviceTasks.id)).limit(q.limit + 1);
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > q.limit && last ? Buffer.from(`${last.dueAt.toISOString()}|${last.id}`).toString('base64url') : null };
  }

  async complete(actor: Actor, id: string, input: { status: 'done' | 'cancelled'; note?: string }): Promise<TaskRow> {
    this.canWrite(actor);
    const row = await this.get(actor, id);
    if (row.status !== 'open') throw new ConflictError(`the task is already ${row.status}`);
    const [updated] = await this.db.orm
      .update(serviceTasks)
      .set({ status: input.status, completedAt: new Date(), completedBy: actor.userId, notes: input.note ? [row.notes, input.note].filter(Boolean).join('\n') : row.notes, updatedAt: new Date() })
      .where(and(eq(serviceTasks.tenantId, actor.tenantId), eq(serviceTasks.id, id), eq(serviceTasks.status, 'open')))
      .returning();
    if (!updated) throw new ConflictError('the task changed while you were editing it; reload and try again');
    noteChange(actor, { resource: 'tasks', resourceId: id, action: 'update', before: { status: row.status }, after: { status: input.status } });
    return updated;
  }

  /** Override: a named person, or (no userId) ask the engine again. */
  async reassign(actor: Actor, id: string, input: { userId?: string; reason: string }): Promise<TaskRow & { decision: AssignmentDecision }> {
    this.canWrite(actor);
    const row = await this.get(actor, id);
    if (row.status !== 'open') throw new UnprocessableError(`a ${row.status} task is not assigned any more`);
    let decision: AssignmentDecision;
    if (input.userId) {
      if (input.userId === row.assigneeUserId) throw new ConflictError('the task is already assigned to that person');
      const person = await this.ctx.assignment.servingUser(actor.tenantId, input.userId);
      if (!person.divisionIds.includes(row.divisionId)) throw new UnprocessableError(`${person.displayName} does not serve this task's division`, [{ path: 'body/userId', message: 'not in the task’s division' }]);
      decision = { outcome: 'assigned', userId: person.id, queue: null, reasons: [`assigned by hand to ${person.displayName}: ${input.reason}`], candidates: [] };
    } else {
      decision = await this.route(actor.tenantId, row.divisionId, row.customerId, row.queueTeamId);
    }
    const [updated] = await this.db.orm
      .update(serviceTasks)
      .set({ assigneeUserId: decision.userId, queueTeamId: decision.userId ? null : (decision.queue?.teamId ?? null), remindedAt: null, updatedAt: new Date() })
      .where(and(eq(serviceTasks.tenantId, actor.tenantId), eq(serviceTasks.id, id)))
      .returning();
    await this.ctx.assignment.record(actor.tenantId, 'task', id, row.customerId, decision, actor.userId, input.userId ? 'overridden' : undefined);
    noteChange(actor, { resource: 'tasks', resourceId: id, action: 'update', before: { assigneeUserId: row.assigneeUserId }, after: { assigneeUserId: decision.userId } });
    return { ...updated, decision };
  }

  /**
   * The reminder job: every open task whose reminder time has come and that has not been reminded gets one
   * notice to its assignee (or, queued, to its division's managers). Claiming and marking is one UPDATE …
   * RETURNING in the transaction that writes the notices, so a reminder fires once even when two runs overlap,
   * a run is repeated after a crash or the server restarts.
   */
  async remind(tenantId: string, opts: { now?: Date } = {}) {
    const now = opts.now ?? new Date();
    let sent = 0;
    for (;;) {
      // The claim and its notices commit together: a crash in between rolls the claim back, so the next run
      // sends the reminder (never none, never two).
      const claimed = await this.db.orm.transaction(async (tx) => {
        const rows = await tx
          .update(serviceTasks)
          .set({ remindedAt: now })
          .where(
            and(
              eq(serviceTasks.tenantId, tenantId),
              sql`${serviceTasks.id} IN (SELECT id FROM service_tasks WHERE tenant_id = ${tenantId} AND status = 'open' AND reminded_at IS NULL AND remind_at IS NOT NULL AND remind_at <= ${now} ORDER BY remind_at LIMIT 1000)`,
              isNull(serviceTasks.remindedAt),
              lte(serviceTasks.remindAt, now),
            ),
          )
          .returning();
        if (rows.length) {
          await tx.insert(serviceNotifications).values(
            rows.map((t) => ({
              tenantId,
              userId: t.assigneeUserId,
              divisionId: t.divisionId,
              caseId: t.caseId,
              customerId: t.customerId,
              kind: 'task_reminder' as const,
              message: `Reminder: ${t.title} is due ${t.dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${t.dueAt < now ? ' (overdue)' : ''}`,
            })),
          );
        }
        return rows;
      });
      if (!claimed.length) break;
      sent += claimed.length;
    }
    return { reminded: sent, at: now.toISOString() };
  }
}
