import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { divisionScope } from '../../../core/db/scope.js';
import { noteChange, systemActor, type Actor } from '../../../core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from '../../../core/errors.js';
import { afterCursor, finishPage, orderFor, parseSort } from '../../../core/db/list.js';
import { users } from '../../access/schema.js';
import type { TouchPoint } from '../../interactions/schema.js';
import type { ServiceContext } from '../context.js';
import { caseEvents, cases, type PolicySnapshot } from '../schema.js';
import { planEscalation, type EscalationPlan, type TimerTransition } from '../sla/escalate.js';
import type { AssignmentDecision, AssignmentSubject } from '../assignment/engine.js';
import { TIER_LABEL } from '../value.js';
import { applyTransition, checkTransition, isOpenStatus, type CaseKind, type CaseStatus, type Priority, type RootCause } from './status.js';
import { clockFacts, readCaseTimers, storePauses, timerColumns, type CaseTimers } from './timers.js';
import { emitEvent } from '../../webhooks/outbox.js';

export type CaseRow = typeof cases.$inferSelect;
export type CaseEventRow = typeof caseEvents.$inferSelect;
type NewEvent = Omit<typeof caseEvents.$inferInsert, 'tenantId' | 'id'>;


export interface OpenCaseInput {
  customerId: string;
  kind: CaseKind;
  subject: string;
  description?: string | null;
  divisionId?: string;
  productId?: string | null;
  touchPoint: TouchPoint;
  language?: string | null;
  priority?: Priority;
  rootCause?: RootCause | null;
  /** Assign to this person instead of asking the engine (recorded as an override). */
  ownerUserId?: string;
  /** Route within this team, and fall back to its queue. */
  teamId?: string;
  /** Backdating, for imports and the demo's history; never in the future. */
  openedAt?: Date;
  origin?: CaseRow['origin'];
  originRef?: string | null;
}

export interface CaseListQuery {
  status?: CaseStatus[];
  open?: boolean;
  kind?: CaseKind;
  customerId?: string;
  ownerUserId?: string;
  divisionId?: string;
  /** Only cases that wait in a queue (no owner). */
  unassigned?: boolean;
  queueTeamId?: string;
  slaState?: 'warning' | 'breached';
  sort?: string;
  limit: number;
  cursor?: string;
}

/**
 * Cases on golden customers: opening (with SLA policy, routing and, for complaints, intensive care),
 * status changes along the allowed lifecycle, updates, first responses and the event history. Every read
 * and write is scoped to the actor's tenant and divisions.
 */
export class CaseService {
  constructor(private readonly ctx: ServiceContext) {}

  private get db() {
    return this.ctx.db;
  }

  scope(actor: Actor): SQL | undefined {
    return divisionScope(actor, cases.divisionId);
  }

  async row(actor: Actor, id: string): Promise<CaseRow> {
    if (!actor.can('cases', 'read')) throw new ForbiddenError('you may not read cases');
    const [row] = await this.db.orm.select().from(cases).where(and(eq(cases.tenantId, actor.tenantId), eq(cases.id, id), this.scope(actor)));
    if (!row) throw new NotFoundError('case', id);
    return row;
  }

  private canWrite(actor: Actor) {
    if (!actor.can('cases', 'write')) throw new ForbiddenError('you may not change cases');
  }

  async open(actor: Actor, input: OpenCaseInput): Promise<CaseRow> {
    this.canWrite(actor);
    const now = new Date();
    const customer = await this.ctx.customers.getCustomer(actor, input.customerId);
    const everyone = systemActor(actor.tenantId);
    const product = input.productId ? (await this.ctx.holdings.listProducts(everyone)).find((p) => p.id === input.productId) : undefined;
    if (input.productId && !product) throw new ValidationError('unknown product', [{ path: 'body/productId', message: 'no such product' }]);
    const divisionId = input.divisionId ?? product?.divisionId ?? (customer.divisionIds.length === 1 ? customer.divisionIds[0] : undefined);
    if (!divisionId) throw new ValidationError('say which division the case belongs to', [{ path: 'body/divisionId', message: 'required: the customer is known to several divisions' }]);
    await this.ctx.org.getDivision(everyone, divisionId).catch(() => {
      throw new ValidationError('unknown division', [{ path: 'body/divisionId', message: 'no such division' }]);
    });
    if (actor.divisionIds && !actor.divisionIds.includes(divisionId)) throw new ForbiddenError('you may only open cases in your divisions');
    if (product && product.divisionId !== divisionId) throw new UnprocessableError('that product belongs to another division', [{ path: 'body/productId', message: 'not sold by this division' }]);
    const openedAt = input.openedAt ?? now;
    if (openedAt.getTime() > now.getTime() + 60_000) throw new ValidationError('a case cannot be opened in the future', [{ path: 'body/openedAt', message: 'in the future' }]);

    const tier = (await this.ctx.value.tierOf(actor.tenantId, [customer.id])).get(customer.id) ?? 'rest';
    const priority = input.priority ?? (input.kind === 'complaint' ? 'high' : 'normal');
    const sla = await this.snapshot(actor.tenantId, { kind: input.kind, priority, tier });
    const clock = await this.ctx.settings.clock(actor.tenantId, sla.calendarId);
    const facts = { status: 'open' as const, openedAt, firstRespondedAt: null, resolvedAt: null, closedAt: null, waitingPauses: [], resolvedPauses: [] };
    const timers = readCaseTimers(clock, sla, facts, now);
    // The webhook outbox row commits with the case or not at all.
    const row = await this.db.orm.transaction(async (tx) => {
      const [inserted] = await tx.insert(cases).values({
      tenantId: actor.tenantId,
      customerId: customer.id,
      kind: input.kind,
      subject: input.subject,
      description: input.description ?? null,
      divisionId,
      productId: product?.id ?? null,
      touchPoint: input.touchPoint,
      language: input.language ?? null,
      priority,
      rootCause: input.rootCause ?? null,
      valueTier: tier,
      sla,
      openedAt,
      ...timerColumns(timers),
      origin: input.origin ?? (actor.kind === 'api-key' ? 'api' : 'staff'),
      originRef: input.originRef ?? null,
      createdBy: actor.userId,
      }).returning();
      await emitEvent(tx, actor.tenantId, 'case.opened', { caseId: inserted.id, customerId: inserted.customerId, divisionId, kind: inserted.kind, priority, openedAt: openedAt.toISOString() });
      return inserted;
    });
    await this.addEvents(actor.tenantId, [{ caseId: row.id, at: openedAt, kind: 'opened', toValue: 'open', note: `${input.kind} opened via ${input.touchPoint}; ${sla.name} (first response ${sla.firstResponseMinutes} min, resolution ${sla.resolutionMinutes} business min) for a ${TIER_LABEL[tier]} customer`, detail: { sla, tier }, ...who(actor) }]);

    noteChange(actor, { resource: 'cases', resourceId: row.id, action: 'create', after: { kind: row.kind, customerId: row.customerId, divisionId, priority, sla: sla.name } });
    let routed = await this.route(actor, row, { ownerUserId: input.ownerUserId, teamId: input.teamId ?? null, customerDivisionIds: customer.divisionIds, at: openedAt });
    if (input.kind === 'complaint') {
      await this.ctx.care.openEpisode(actor, routed, openedAt);
      routed = await this.row(everyone, row.id);
    }
    return routed;
  }

  private async snapshot(tenantId: string, key: { kind: CaseKind; priority: Priority; tier: CaseRow['valueTier'] }): Promise<PolicySnapshot> {
    const sla = await this.ctx.settings.policyFor(tenantId, key);
    // The default calendar is frozen in too, so a later change of default does not move old due dates.
    return { ...sla, calendarId: sla.calendarId ?? (await this.ctx.settings.settings(tenantId)).defaultCalendarId ?? null };
  }

  /** Runs the assignment engine for a case (or applies an explicit owner as an override) and records why. */
  private async route(actor: Actor, row: CaseRow, opts: { ownerUserId?: string; teamId: string | null; customerDivisionIds: string[]; at: Date }): Promise<CaseRow> {
    const tenantId = actor.tenantId;
    const a = this.ctx.assignment;
    if (opts.ownerUserId) return this.assignTo(actor, row, opts.ownerUserId, 'chosen when the case was opened', opts.at);
    await a.ensureRelationshipManager(tenantId, row.customerId, row.valueTier, opts.customerDivisionIds, actor.userId);
    const subject: AssignmentSubject = {
      kind: 'case',
      caseKind: row.kind,
      priority: row.priority,
      tier: row.valueTier,
      divisionIds: [row.divisionId],
      productSkills: await a.productSkills(tenantId, row.productId),
      language: row.language,
      relationshipManagerId: await a.relationshipManagerOf(tenantId, row.customerId),
      lastHandlerId: await a.lastHandlerOf(tenantId, row.customerId, row.id),
    };
    const queue = await a.queueFor(tenantId, row.divisionId, opts.teamId);
    const decision = await a.decide(tenantId, subject, queue, opts.teamId, opts.at > new Date() ? opts.at : new Date());
    return this.applyDecision(actor, row, decision, null, opts.at);
  }

  private async applyDecision(actor: Actor, row: CaseRow, d: AssignmentDecision, outcome: 'overridden' | null, at: Date): Promise<CaseRow> {
    const decision = await this.ctx.assignment.record(actor.tenantId, 'case', row.id, row.customerId, d, actor.userId, outcome ?? undefined);
    const set = d.userId ? { ownerUserId: d.userId, queueTeamId: null, queueDivisionId: null } : { ownerUserId: null, queueTeamId: d.queue?.teamId ?? null, queueDivisionId: d.queue?.divisionId ?? row.divisionId };
    const [updated] = await this.db.orm.update(cases).set({ ...set, updatedAt: new Date() }).where(and(eq(cases.tenantId, actor.tenantId), eq(cases.id, row.id))).returning();
    noteChange(actor, { resource: 'cases', resourceId: row.id, action: 'update', before: { ownerUserId: row.ownerUserId }, after: { ...set, decisionId: decision.id } });
    await this.addEvents(actor.tenantId, [{
      caseId: row.id,
      at,
      kind: d.userId ? (row.ownerUserId ? 'reassigned' : 'assigned') : 'queued',
      fromValue: row.ownerUserId,
      toValue: d.userId ?? d.queue?.name ?? null,
      note: d.reasons[0],
      detail: { decisionId: decision.id },
      ...who(actor),
    }]);
    if (d.userId && d.userId !== actor.userId) {
      await this.ctx.notifications.add([{ tenantId: actor.tenantId, userId: d.userId, divisionId: row.divisionId, caseId: row.id, customerId: row.customerId, kind: 'assignment', message: `Assigned to you: ${row.subject}` }]);
    }
    return updated;
  }

  private async assignTo(actor: Actor, row: CaseRow, userId: string, reason: string, at: Date): Promise<CaseRow> {
    const person = await this.ctx.assignment.servingUser(actor.tenantId, userId);
    if (!person.divisionIds.includes(row.divisionId)) {
      throw new UnprocessableError(`${person.displayName} does not serve this case's division`, [{ path: 'body/userId', message: 'not in the case’s division' }]);
    }
    // The engine's view of the chosen person is kept beside the override, so the audit shows what was set aside.
    const d: AssignmentDecision = { outcome: 'assigned', userId, queue: null, reasons: [`assigned by hand to ${person.displayName}: ${reason}`], candidates: [] };
    return this.applyDecision(actor, row, d, 'overridden', at);
  }

  /** Override: a named person, or (no userId) ask the engine again. */
  async assign(actor: Actor, id: string, input: { userId?: string; reason: string }) {
    this.canWrite(actor);
    const row = await this.row(actor, id);
    if (!isOpenStatus(row.status)) throw new UnprocessableError(`a ${row.status} case is not assigned any more`);
    if (input.userId) {
      if (input.userId === row.ownerUserId) throw new ConflictError('the case is already assigned to that person');
      return this.assignTo(actor, row, input.userId, input.reason, new Date());
    }
    const customer = await this.ctx.customers.getCustomer(systemActor(actor.tenantId), row.customerId);
    return this.route(actor, row, { teamId: row.queueTeamId, customerDivisionIds: customer.divisionIds, at: new Date() });
  }

  async changeStatus(actor: Actor, id: string, input: { status: CaseStatus; note?: string; rootCause?: RootCause; at?: Date }): Promise<CaseRow> {
    this.canWrite(actor);
    const row = await this.row(actor, id);
    checkTransition(row.status, input.status);
    const rootCause = input.rootCause ?? row.rootCause;
    if (input.status === 'resolved' && row.kind === 'complaint' && !rootCause) {
      throw new UnprocessableError('name the root cause before resolving a complaint', [{ path: 'body/rootCause', message: 'required to resolve a complaint' }]);
    }
    const at = input.at ?? new Date();
    const before = clockFacts(row);
    const facts = applyTransition(before, input.status, at);
    const { timers, plan } = await this.timersAndPlan(row, facts, at);
    const [updated] = await this.db.orm.transaction(async (tx) => {
      const changed = await tx.update(cases).set({
      status: facts.status,
      firstRespondedAt: facts.firstRespondedAt,
      resolvedAt: facts.resolvedAt,
      closedAt: facts.closedAt,
      waitingPauses: storePauses(facts.waitingPauses),
      resolvedPauses: storePauses(facts.resolvedPauses),
      rootCause,
      ...timerColumns(timers),
      ...plan.set,
      updatedAt: new Date(),
      }).where(and(eq(cases.tenantId, actor.tenantId), eq(cases.id, id), eq(cases.status, row.status))).returning();
      if (changed.length && input.status === 'closed') {
        await emitEvent(tx, actor.tenantId, 'case.closed', { caseId: id, customerId: row.customerId, divisionId: row.divisionId, kind: row.kind, closedAt: at.toISOString() });
      }
      return changed;
    });
    if (!updated) {
      // Someone else moved the case between our read and our write.
      const now = await this.row(actor, id);
      checkTransition(now.status, input.status);
      throw new ConflictError('the case changed while you were editing it; reload and try again');
    }
    noteChange(actor, { resource: 'cases', resourceId: id, action: 'update', before: { status: row.status }, after: { status: input.status, rootCause } });
    const events: NewEvent[] = [{ caseId: id, at, kind: 'status', fromValue: row.status, toValue: input.status, note: input.note ?? null, detail: input.rootCause ? { rootCause } : null, ...who(actor) }];
    if (!before.firstRespondedAt && facts.firstRespondedAt) events.push({ caseId: id, at, kind: 'first_response', toValue: timers.firstResponse.state, note: `first response after ${Math.round(timers.firstResponse.elapsedMinutes)} business minutes`, ...who(actor) });
    await this.addEvents(actor.tenantId, [...events, ...planEvents(plan, at)]);
    await this.ctx.notifications.add(plan.notifications.map((n) => ({ tenantId: actor.tenantId, ...n })));

    if (row.kind === 'complaint' && (input.status === 'resolved' || input.status === 'closed')) await this.ctx.care.onComplaintResolved(actor, updated, at);
    if (input.status === 'closed') await this.ctx.surveys.onEvent(actor.tenantId, 'case_closed', { customerId: row.customerId, caseId: id, divisionId: row.divisionId, touchPoint: row.touchPoint, staffUserId: updated.ownerUserId });
    return updated;
  }

  /** Records the first response without a status change (a reply sent while the case stays open). */
  async respond(actor: Actor, id: string, note: string, at = new Date()) {
    this.canWrite(actor);
    const row = await this.row(actor, id);
    if (!isOpenStatus(row.status)) throw new UnprocessableError(`the case is ${row.status}`);
    if (row.firstRespondedAt) {
      await this.addEvents(actor.tenantId, [{ caseId: id, at, kind: 'note', note, ...who(actor) }]);
      return row;
    }
    const facts = { ...clockFacts(row), firstRespondedAt: at };
    const { timers, plan } = await this.timersAndPlan(row, facts, at);
    const [updated] = await this.db.orm.update(cases).set({ firstRespondedAt: at, ...timerColumns(timers), ...plan.set, updatedAt: new Date() })
      .where(and(eq(cases.tenantId, actor.tenantId), eq(cases.id, id))).returning();
    await this.addEvents(actor.tenantId, [{ caseId: id, at, kind: 'first_response', toValue: timers.firstResponse.state, note, ...who(actor) }, ...planEvents(plan, at)]);
    return updated;
  }

  async update(actor: Actor, id: string, patch: { priority?: Priority; rootCause?: RootCause | null; subject?: string; description?: string | null; productId?: string | null; note?: string }) {
    this.canWrite(actor);
    const row = await this.row(actor, id);
    if (row.status === 'closed') throw new UnprocessableError('a closed case cannot change');
    const now = new Date();
    const set: Partial<typeof cases.$inferInsert> = {};
    const events: NewEvent[] = [];
    if (patch.productId !== undefined && patch.productId !== row.productId) {
      if (patch.productId) {
        const product = (await this.ctx.holdings.listProducts(systemActor(actor.tenantId))).find((p) => p.id === patch.productId);
        if (!product) throw new ValidationError('unknown product', [{ path: 'body/productId', message: 'no such product' }]);
        if (product.divisionId !== row.divisionId) throw new UnprocessableError('that product belongs to another division', [{ path: 'body/productId', message: 'not sold by this division' }]);
      }
      set.productId = patch.productId;
      events.push({ caseId: id, at: now, kind: 'updated', fromValue: row.productId, toValue: patch.productId, note: 'product changed', ...who(actor) });
    }
    for (const key of ['rootCause', 'subject', 'description'] as const) {
      if (patch[key] !== undefined && patch[key] !== row[key]) {
        (set as Record<string, unknown>)[key] = patch[key];
        events.push({ caseId: id, at: now, kind: 'updated', fromValue: row[key] ?? null, toValue: patch[key] ?? null, note: `${key} changed`, ...who(actor) });
      }
    }
    let plan: EscalationPlan = { set: {}, events: [], notifications: [] };
    if (patch.priority && patch.priority !== row.priority) {
      // A new priority is a new promise: the policy is chosen again and the timers re-read against it.
      const sla = await this.snapshot(actor.tenantId, { kind: row.kind, priority: patch.priority, tier: row.valueTier });
      const r = await this.timersAndPlan({ ...row, sla, priority: patch.priority }, clockFacts(row), now);
      plan = r.plan;
      Object.assign(set, { priority: patch.priority, sla, ...timerColumns(r.timers) });
      events.push({ caseId: id, at: now, kind: 'priority', fromValue: row.priority, toValue: patch.priority, note: patch.note ?? `now under ${sla.name}`, detail: { sla }, ...who(actor) });
    }
    if (!events.length) return row;
    const [updated] = await this.db.orm.update(cases).set({ ...set, ...plan.set, updatedAt: now }).where(and(eq(cases.tenantId, actor.tenantId), eq(cases.id, id))).returning();
    noteChange(actor, { resource: 'cases', resourceId: id, action: 'update', before: Object.fromEntries(Object.keys(set).map((k) => [k, row[k as keyof CaseRow]])), after: set });
    await this.addEvents(actor.tenantId, [...events, ...planEvents(plan, now)]);
    await this.ctx.notifications.add(plan.notifications.map((n) => ({ tenantId: actor.tenantId, ...n })));
    return updated;
  }

  private async timersAndPlan(row: CaseRow, facts: ReturnType<typeof clockFacts>, at: Date): Promise<{ timers: CaseTimers; plan: EscalationPlan }> {
    const clock = await this.ctx.settings.clock(row.tenantId, row.sla.calendarId);
    const timers = readCaseTimers(clock, row.sla, facts, at);
    const transitions: TimerTransition[] = [
      { timer: 'first_response', from: row.firstResponseState, to: timers.firstResponse.state },
      { timer: 'resolution', from: row.resolutionState, to: timers.resolution.state },
    ];
    if (!transitions.some((t) => t.from !== t.to && (t.to === 'warning' || t.to === 'breached'))) return { timers, plan: { set: {}, events: [], notifications: [] } };
    const lookups = await this.ctx.sla.lookups(row.tenantId, [row]);
    const plan = planEscalation({ ...row, escalation: row.sla.escalation }, transitions, lookups);
    return { timers, plan };
  }

  async addEvents(tenantId: string, events: NewEvent[]) {
    for (let i = 0; i < events.length; i += 1000) {
      const batch = events.slice(i, i + 1000);
      if (batch.length) await this.db.orm.insert(caseEvents).values(batch.map((e) => ({ tenantId, ...e })));
    }
  }

  /** The case with both SLA timers read live. */
  async detail(actor: Actor, id: string) {
    const row = await this.row(actor, id);
    const clock = await this.ctx.settings.clock(actor.tenantId, row.sla.calendarId);
    const timers = readCaseTimers(clock, row.sla, clockFacts(row), new Date());
    const [owner] = row.ownerUserId ? await this.db.orm.select({ displayName: users.displayName }).from(users).where(and(eq(users.tenantId, actor.tenantId), eq(users.id, row.ownerUserId))) : [];
    return { ...row, ownerName: owner?.displayName ?? null, timers };
  }

  async events(actor: Actor, id: string): Promise<CaseEventRow[]> {
    await this.row(actor, id);
    return this.db.orm.select().from(caseEvents).where(and(eq(caseEvents.tenantId, actor.tenantId), eq(caseEvents.caseId, id))).orderBy(asc(caseEvents.at), asc(caseEvents.id));
  }

  async list(actor: Actor, q: CaseListQuery) {
    if (!actor.can('cases', 'read')) throw new ForbiddenError('you may not read cases');
    const conds: (SQL | undefined)[] = [eq(cases.tenantId, actor.tenantId), this.scope(actor)];
    if (q.status?.length) conds.push(inArray(cases.status, q.status));
    if (q.open) conds.push(inArray(cases.status, ['open', 'in_progress', 'waiting_on_customer']));
    if (q.kind) conds.push(eq(cases.kind, q.kind));
    if (q.customerId) conds.push(eq(cases.customerId, q.customerId));
    if (q.ownerUserId) conds.push(eq(cases.ownerUserId, q.ownerUserId));
    if (q.divisionId) conds.push(eq(cases.divisionId, q.divisionId));
    if (q.unassigned) conds.push(isNull(cases.ownerUserId));
    if (q.queueTeamId) conds.push(eq(cases.queueTeamId, q.queueTeamId));
    if (q.slaState) conds.push(sql`(${cases.firstResponseState} = ${q.slaState} OR ${cases.resolutionState} = ${q.slaState})`);
    const sort = parseSort(q.sort, { openedAt: cases.openedAt, updatedAt: cases.updatedAt }, '-openedAt');
    conds.push(afterCursor(sort, cases.id, q.cursor));
    const rows = await this.db.orm.select().from(cases).where(and(...conds)).orderBy(...orderFor(sort, cases.id)).limit(q.limit + 1);
    return finishPage(rows, q.limit, (r) => r[sort.key as 'openedAt']);
  }

  /** Queues with their SLA pressure: unowned open cases per team or division queue. */
  async queues(actor: Actor) {
    if (!actor.can('cases', 'read')) throw new ForbiddenError('you may not read cases');
    const rows = await this.db.orm
      .select({
        queueTeamId: cases.queueTeamId,
        queueDivisionId: cases.queueDivisionId,
        waiting: sql<number>`count(*)::int`,
        warning: sql<number>`count(*) FILTER (WHERE ${cases.firstResponseState} = 'warning' OR ${cases.resolutionState} = 'warning')::int`,
        breached: sql<number>`count(*) FILTER (WHERE ${cases.firstResponseState} = 'breached' OR ${cases.resolutionState} = 'breached')::int`,
        oldestOpenedAt: sql<string>`min(${cases.openedAt})`,
        nextDueAt: sql<string | null>`min(LEAST(${cases.firstResponseDueAt}, ${cases.resolutionDueAt}))`,
      })
      .from(cases)
      .where(and(eq(cases.tenantId, actor.tenantId), this.scope(actor), isNull(cases.ownerUserId), inArray(cases.status, ['open', 'in_progress', 'waiting_on_customer'])))
      .groupBy(cases.queueTeamId, cases.queueDivisionId);
    return rows.map((r) => ({ ...r, waiting: Number(r.waiting), warning: Number(r.warning), breached: Number(r.breached), oldestOpenedAt: new Date(r.oldestOpenedAt), nextDueAt: r.nextDueAt ? new Date(r.nextDueAt) : null }));
  }
}

export function who(actor: Actor): { actorUserId: string | null; actorKind: string } {
  return { actorUserId: actor.userId, actorKind: actor.kind };
}

function planEvents(plan: EscalationPlan, at: Date): NewEvent[] {
  return plan.events.map((e) => ({ ...e, at, actorUserId: null, actorKind: 'sla-check' }));
}
