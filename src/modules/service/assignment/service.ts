import { and, arrayOverlaps, desc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import { systemActor, type Actor } from '../../../core/actor.js';
import { ForbiddenError, NotFoundError, UnprocessableError } from '../../../core/errors.js';
import { users } from '../../access/schema.js';
import { teams } from '../../org/schema.js';
import type { ServiceContext } from '../context.js';
import { assignmentDecisions, cases, relationshipManagers, staffAvailability } from '../schema.js';
import type { ValueTier } from '../value.js';
import { decideAssignment, type AssignmentDecision, type AssignmentSubject, type Queue, type StaffMember } from './engine.js';

const OPEN = ['open', 'in_progress', 'waiting_on_customer'] as const;
/** Roles that serve customers; administrators, analysts and integrations are never routed work. */
const SERVING_ROLES = ['agent', 'manager'];

export type DecisionRow = typeof assignmentDecisions.$inferSelect;

/**
 * The shell around the assignment engine: loads staff (from access's users, read-only, plus this module's
 * availability), continuity facts and queues, records every decision with its reasons, and applies
 * overrides. Staff are read here rather than through AccessService because routing needs skills,
 * seniority and workload together for a whole division at once.
 */
export class AssignmentService {
  constructor(private readonly ctx: ServiceContext) {}

  private get db() {
    return this.ctx.db;
  }

  /** Serving staff of any of the divisions (optionally one team), with availability and open-case load. */
  async staff(tenantId: string, divisionIds: string[], teamId?: string | null): Promise<StaffMember[]> {
    if (!divisionIds.length) return [];
    const rows = await this.db.orm
      .select({ u: users, a: staffAvailability })
      .from(users)
      .leftJoin(staffAvailability, and(eq(staffAvailability.tenantId, users.tenantId), eq(staffAvailability.userId, users.id)))
      .where(and(eq(users.tenantId, tenantId), eq(users.status, 'active'), inArray(users.role, SERVING_ROLES), arrayOverlaps(users.divisionIds, divisionIds), teamId ? eq(users.teamId, teamId) : undefined));
    const load = await this.openLoad(tenantId, rows.map((r) => r.u.id));
    return rows.map(({ u, a }) => ({
      userId: u.id,
      displayName: u.displayName,
      teamId: u.teamId,
      divisionIds: u.divisionIds,
      seniority: u.seniority,
      skills: Array.isArray(u.skills) ? (u.skills as unknown[]).map(String) : [],
      available: a?.available ?? true,
      awayUntil: a?.awayUntil ?? null,
      openCases: load.get(u.id) ?? 0,
      capacity: a?.capacity ?? 25,
    }));
  }

  private async openLoad(tenantId: string, userIds: string[]): Promise<Map<string, number>> {
    if (!userIds.length) return new Map();
    const rows = await this.db.orm
      .select({ userId: cases.ownerUserId, n: sql<number>`count(*)::int` })
      .from(cases)
      .where(and(eq(cases.tenantId, tenantId), inArray(cases.ownerUserId, userIds), inArray(cases.status, [...OPEN])))
      .groupBy(cases.ownerUserId);
    return new Map(rows.map((r) => [r.userId as string, Number(r.n)]));
  }

  async relationshipManagerOf(tenantId: string, customerId: string): Promise<string | null> {
    const [row] = await this.db.orm.select({ userId: relationshipManagers.userId }).from(relationshipManagers)
      .where(and(eq(relationshipManagers.tenantId, tenantId), eq(relationshipManagers.customerId, customerId)));
    return row?.userId ?? null;
  }

  /** Whoever owned this customer's most recent other case. */
  async lastHandlerOf(tenantId: string, customerId: string, exceptCaseId?: string): Promise<string | null> {
    const [row] = await this.db.orm.select({ owner: cases.ownerUserId }).from(cases)
      .where(and(eq(cases.tenantId, tenantId), eq(cases.customerId, customerId), isNotNull(cases.ownerUserId), exceptCaseId ? ne(cases.id, exceptCaseId) : undefined))
      .orderBy(desc(cases.openedAt)).limit(1);
    return row?.owner ?? null;
  }

  async queueFor(tenantId: string, divisionId: string, teamId: string | null): Promise<Queue> {
    if (teamId) {
      const [team] = await this.db.orm.select().from(teams).where(and(eq(teams.tenantId, tenantId), eq(teams.id, teamId)));
      if (team) return { teamId, divisionId: team.divisionId, name: `the ${team.name} queue` };
    }
    const division = await this.ctx.org.getDivision(systemActor(tenantId), divisionId).catch(() => null);
    return { teamId: null, divisionId, name: `the ${division?.name ?? 'division'} general queue` };
  }

  /** The skills that qualify for a product: the routing policy's aliases for its code or category, else code, category and plural. */
  async productSkills(tenantId: string, productId: string | null): Promise<string[]> {
    if (!productId) return [];
    const product = (await this.ctx.holdings.listProducts(systemActor(tenantId))).find((p) => p.id === productId);
    if (!product) return [];
    const aliases = (await this.ctx.settings.routing(tenantId)).productSkills ?? {};
    const named = aliases[product.code] ?? aliases[product.category];
    if (named?.length) return [...new Set(named.map((x) => x.toLowerCase()))];
    const category = product.category.toLowerCase();
    return [...new Set([product.code.toLowerCase(), category, `${category}s`])];
  }

  async decide(tenantId: string, subject: AssignmentSubject, queue: Queue, teamId: string | null, now = new Date()): Promise<AssignmentDecision> {
    const [staff, routing] = await Promise.all([this.staff(tenantId, subject.divisionIds, teamId), this.ctx.settings.routing(tenantId)]);
    return decideAssignment(subject, staff, queue, now, routing);
  }

  /**
   * A new lead (an opportunity without an owner): routed like a case, by the seniority the customer's value calls
   * for, continuity (relationship manager, last handler) and workload within the division; recorded with its reasons.
   */
  async routeLead(tenantId: string, lead: { opportunityId: string; divisionId: string; customerId: string | null }): Promise<{ userId: string | null; reasons: string[] }> {
    const tier = lead.customerId ? ((await this.ctx.value.tierOf(tenantId, [lead.customerId])).get(lead.customerId) ?? 'rest') : 'rest';
    const subject: AssignmentSubject = {
      kind: 'lead',
      tier,
      divisionIds: [lead.divisionId],
      productSkills: [],
      language: null,
      relationshipManagerId: lead.customerId ? await this.relationshipManagerOf(tenantId, lead.customerId) : null,
      lastHandlerId: lead.customerId ? await this.lastHandlerOf(tenantId, lead.customerId) : null,
    };
    const decision = await this.decide(tenantId, subject, await this.queueFor(tenantId, lead.divisionId, null), null);
    await this.record(tenantId, 'lead', lead.opportunityId, lead.customerId, decision, null);
    return { userId: decision.userId, reasons: decision.reasons };
  }

  async record(tenantId: string, subjectKind: DecisionRow['subjectKind'], subjectId: string, customerId: string | null, d: AssignmentDecision, decidedBy: string | null, outcome?: DecisionRow['outcome']): Promise<DecisionRow> {
    const [row] = await this.db.orm.insert(assignmentDecisions).values({
      tenantId,
      subjectKind,
      subjectId,
      customerId,
      outcome: outcome ?? d.outcome,
      userId: d.userId,
      queueTeamId: d.queue?.teamId ?? null,
      queueDivisionId: d.queue?.divisionId ?? null,
      reasons: d.reasons,
      candidates: d.candidates,
      decidedBy,
    }).returning();
    return row;
  }

  async decisionsFor(actor: Actor, subjectId: string): Promise<DecisionRow[]> {
    return this.db.orm.select().from(assignmentDecisions)
      .where(and(eq(assignmentDecisions.tenantId, actor.tenantId), eq(assignmentDecisions.subjectId, subjectId)))
      .orderBy(desc(assignmentDecisions.createdAt), desc(assignmentDecisions.id));
  }

  /**
   * Top-tier customers get a named relationship manager: the best-ranked senior person across the
   * customer's divisions, chosen (and explained) by the same engine. Returns the existing one if any.
   */
  async ensureRelationshipManager(tenantId: string, customerId: string, tier: ValueTier, divisionIds: string[], actorUserId: string | null = null): Promise<string | null> {
    const existing = await this.relationshipManagerOf(tenantId, customerId);
    if (existing) return existing;
    const routing = await this.ctx.settings.routing(tenantId);
    if (!routing.relationshipTiers.includes(tier) || !divisionIds.length) return null;
    const subject: AssignmentSubject = { kind: 'relationship', tier, divisionIds, productSkills: [], language: null, relationshipManagerId: null, lastHandlerId: await this.lastHandlerOf(tenantId, customerId) };
    const queue = await this.queueFor(tenantId, divisionIds[0], null);
    const d = await this.decide(tenantId, subject, queue, null);
    const row = await this.record(tenantId, 'relationship', customerId, customerId, d, actorUserId);
    if (!d.userId) return null;
    await this.db.orm.insert(relationshipManagers).values({ tenantId, customerId, userId: d.userId, reason: d.reasons[0], decisionId: row.id }).onConflictDoNothing();
    return this.relationshipManagerOf(tenantId, customerId);
  }

  async getRelationshipManager(actor: Actor, customerId: string) {
    await this.ctx.customers.getCustomer(actor, customerId);
    const [row] = await this.db.orm
      .select({ rm: relationshipManagers, displayName: users.displayName, email: users.email })
      .from(relationshipManagers)
      .innerJoin(users, and(eq(users.tenantId, relationshipManagers.tenantId), eq(users.id, relationshipManagers.userId)))
      .where(and(eq(relationshipManagers.tenantId, actor.tenantId), eq(relationshipManagers.customerId, customerId)));
    return row ? { customerId, userId: row.rm.userId, displayName: row.displayName, email: row.email, since: row.rm.since, reason: row.rm.reason } : null;
  }

  /** A person's choice of relationship manager, recorded as an override of whatever the engine would say. */
  async setRelationshipManager(actor: Actor, customerId: string, userId: string, reason: string) {
    if (!actor.can('relationship-managers', 'write') || actor.role === 'agent') throw new ForbiddenError('only managers and administrators name relationship managers');
    const customer = await this.ctx.customers.getCustomer(actor, customerId);
    const person = await this.servingUser(actor.tenantId, userId);
    if (!person.divisionIds.some((d) => customer.divisionIds.includes(d))) throw new UnprocessableError(`${person.displayName} does not serve any of this customer's divisions`, [{ path: 'body/userId', message: 'not in the customer’s divisions' }]);
    const d: AssignmentDecision = { outcome: 'assigned', userId, queue: null, reasons: [`named by hand: ${reason}`], candidates: [] };
    const decision = await this.record(actor.tenantId, 'relationship', customerId, customerId, d, actor.userId, 'overridden');
    await this.db.orm.insert(relationshipManagers).values({ tenantId: actor.tenantId, customerId, userId, reason, decisionId: decision.id })
      .onConflictDoUpdate({ target: [relationshipManagers.tenantId, relationshipManagers.customerId], set: { userId, reason, since: new Date(), decisionId: decision.id } });
    return this.getRelationshipManager(actor, customerId);
  }

  async servingUser(tenantId: string, userId: string) {
    const [u] = await this.db.orm.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
    if (!u) throw new NotFoundError('user', userId);
    if (u.status !== 'active' || !SERVING_ROLES.includes(u.role)) throw new UnprocessableError(`${u.displayName} does not serve customers (role ${u.role}, ${u.status})`, [{ path: 'body/userId', message: 'not an active agent or manager' }]);
    return u;
  }

  async listStaff(actor: Actor, divisionId?: string) {
    if (!actor.can('staff', 'read')) throw new ForbiddenError('you may not list staff');
    const divisions = divisionId ? [divisionId] : (actor.divisionIds ?? (await this.ctx.org.listDivisions(actor)).map((d) => d.id));
    const scoped = actor.divisionIds ? divisions.filter((d) => actor.divisionIds!.includes(d)) : divisions;
    return this.staff(actor.tenantId, scoped);
  }

  async setAvailability(actor: Actor, userId: string, input: { available?: boolean; awayUntil?: Date | null; capacity?: number }) {
    const self = actor.userId === userId;
    if (!self && !(actor.can('staff', 'write') && actor.role !== 'agent')) throw new ForbiddenError('only the person themselves, their manager or an administrator changes availability');
    const person = await this.servingUser(actor.tenantId, userId);
    if (!self && actor.divisionIds && !person.divisionIds.some((d) => actor.divisionIds!.includes(d))) throw new ForbiddenError('that person works in another division');
    const [row] = await this.db.orm.insert(staffAvailability).values({ tenantId: actor.tenantId, userId, ...input })
      .onConflictDoUpdate({ target: [staffAvailability.tenantId, staffAvailability.userId], set: { ...input, updatedAt: new Date() } }).returning();
    return row;
  }
}
