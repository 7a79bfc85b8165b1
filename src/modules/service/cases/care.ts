/**
 * Intensive care: a complaint is a customer deciding whether to stay. Opening one starts an episode with
 * the four service-recovery actions (apology, fix, compensation, follow-up call) and moves the customer
 * into the intensive-care stage; the episode ends when the customer is recovered (every action done or
 * deliberately skipped and the complaint resolved, or a person says so) or lost.
 */
import { and, asc, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { noteChange, type Actor } from '../../../core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { careEpisodes, cases, RECOVERY_ACTIONS, recoveryActions } from '../schema.js';
import type { CaseRow } from './service.js';

export type EpisodeRow = typeof careEpisodes.$inferSelect;
export type RecoveryActionRow = typeof recoveryActions.$inferSelect;

export class CareService {
  constructor(private readonly ctx: ServiceContext) {}

  private get db() {
    return this.ctx.db;
  }

  async openEpisode(actor: Actor, complaint: CaseRow, at: Date): Promise<EpisodeRow> {
    const clock = await this.ctx.settings.clock(actor.tenantId, complaint.sla.calendarId);
    const [episode] = await this.db.orm.insert(careEpisodes).values({ tenantId: actor.tenantId, customerId: complaint.customerId, caseId: complaint.id, openedAt: at }).returning();
    // The apology is owed with the first response, the fix with the resolution; the follow-up call is
    // scheduled once the complaint is resolved; compensation is decided case by case.
    const due: Record<(typeof RECOVERY_ACTIONS)[number], Date | null> = {
      apology: clock.addMinutes(at, complaint.sla.firstResponseMinutes),
      fix: clock.addMinutes(at, complaint.sla.resolutionMinutes),
      compensation: null,
      follow_up_call: null,
    };
    await this.db.orm.insert(recoveryActions).values(RECOVERY_ACTIONS.map((kind) => ({ tenantId: actor.tenantId, episodeId: episode.id, kind, dueAt: due[kind] })));
    await this.ctx.lifecycle.applyEvent(actor.tenantId, complaint.customerId, 'complaint_opened', { at, actorUserId: actor.userId, note: `complaint: ${complaint.subject}` });
    return episode;
  }

  /** The complaint is resolved: schedule the follow-up call and see whether the customer is now recovered. */
  async onComplaintResolved(actor: Actor, complaint: CaseRow, at: Date) {
    const [episode] = await this.db.orm.select().from(careEpisodes).where(and(eq(careEpisodes.tenantId, actor.tenantId), eq(careEpisodes.caseId, complaint.id)));
    if (!episode || episode.outcome) return;
    const clock = await this.ctx.settings.clock(actor.tenantId, complaint.sla.calendarId);
    await this.db.orm.update(recoveryActions).set({ dueAt: clock.addMinutes(at, 3 * 8 * 60), updatedAt: new Date() })
      .where(and(eq(recoveryActions.tenantId, actor.tenantId), eq(recoveryActions.episodeId, episode.id), eq(recoveryActions.kind, 'follow_up_call'), eq(recoveryActions.status, 'pending')));
    await this.maybeRecovered(actor, episode, at);
  }

  async updateAction(actor: Actor, actionId: string, input: { status: 'done' | 'skipped' | 'pending'; note?: string; amount?: number | null; at?: Date }) {
    if (!actor.can('cases', 'write')) throw new ForbiddenError('you may not change recovery actions');
    const [action] = await this.db.orm.select().from(recoveryActions).where(and(eq(recoveryActions.tenantId, actor.tenantId), eq(recoveryActions.id, actionId)));
    if (!action) throw new NotFoundError('recovery action', actionId);
    const episode = await this.episode(actor, action.episodeId);
    if (episode.outcome) throw new ConflictError(`the episode is already closed (${episode.outcome})`);
    if (input.amount !== undefined && input.amount !== null && action.kind !== 'compensation') throw new UnprocessableError('only compensation has an amount', [{ path: 'body/amount', message: 'not a compensation' }]);
    const at = input.at ?? new Date();
    const [row] = await this.db.orm.update(recoveryActions).set({
      status: input.status,
      note: input.note ?? action.note,
      amount: input.amount ?? action.amount,
      doneAt: input.status === 'done' ? at : null,
      doneBy: input.status === 'pending' ? null : actor.userId,
      updatedAt: new Date(),
    }).where(and(eq(recoveryActions.tenantId, actor.tenantId), eq(recoveryActions.id, actionId))).returning();
    noteChange(actor, { resource: 'recovery-actions', resourceId: actionId, action: 'update', before: { status: action.status, amount: action.amount }, after: { status: row.status, amount: row.amount } });
    await this.maybeRecovered(actor, episode, at);
    return row;
  }

  private async maybeRecovered(actor: Actor, episode: EpisodeRow, at: Date) {
    const actions = await this.actions(actor.tenantId, [episode.id]);
    if (actions.some((a) => a.status === 'pending')) return;
    const [complaint] = await this.db.orm.select({ status: cases.status }).from(cases).where(and(eq(cases.tenantId, actor.tenantId), eq(cases.id, episode.caseId)));
    if (complaint?.status !== 'resolved' && complaint?.status !== 'closed') return;
    await this.close(actor, episode, 'recovered', 'every recovery action done and the complaint resolved', at);
  }

  /** A person's verdict: recovered (back to the stage they were in) or lost (dissociation, door kept open). */
  async closeEpisode(actor: Actor, episodeId: string, outcome: 'recovered' | 'lost', note: string) {
    if (!actor.can('cases', 'write')) throw new ForbiddenError('you may not close care episodes');
    const episode = await this.episode(actor, episodeId);
    if (episode.outcome) throw new ConflictError(`the episode is already closed (${episode.outcome})`);
    return this.close(actor, episode, outcome, note, new Date());
  }

  private async close(actor: Actor, episode: EpisodeRow, outcome: 'recovered' | 'lost', note: string, at: Date) {
    const [row] = await this.db.orm.update(careEpisodes).set({ outcome, closedAt: at, closedBy: actor.userId, note })
      .where(and(eq(careEpisodes.tenantId, actor.tenantId), eq(careEpisodes.id, episode.id), isNull(careEpisodes.outcome))).returning();
    if (!row) return episode;
    noteChange(actor, { resource: 'care-episodes', resourceId: episode.id, action: 'update', before: { outcome: null }, after: { outcome, note } });
    // The customer leaves intensive care only when no other complaint still holds them there.
    const others = await this.db.orm.select({ id: careEpisodes.id }).from(careEpisodes)
      .where(and(eq(careEpisodes.tenantId, actor.tenantId), eq(careEpisodes.customerId, episode.customerId), isNull(careEpisodes.outcome), ne(careEpisodes.id, episode.id)));
    if (outcome === 'lost') await this.ctx.lifecycle.applyEvent(actor.tenantId, episode.customerId, 'customer_lost', { at, actorUserId: actor.userId, note });
    else if (!others.length) await this.ctx.lifecycle.applyEvent(actor.tenantId, episode.customerId, 'complaint_resolved', { at, actorUserId: actor.userId, note });
    return row;
  }

  private async episode(actor: Actor, id: string): Promise<EpisodeRow> {
    const [episode] = await this.db.orm.select().from(careEpisodes).where(and(eq(careEpisodes.tenantId, actor.tenantId), eq(careEpisodes.id, id)));
    if (!episode) throw new NotFoundError('care episode', id);
    await this.ctx.cases.row(actor, episode.caseId); // scope: the actor must see the complaint
    return episode;
  }

  private actions(tenantId: string, episodeIds: string[]) {
    if (!episodeIds.length) return Promise.resolve([] as RecoveryActionRow[]);
    return this.db.orm.select().from(recoveryActions).where(and(eq(recoveryActions.tenantId, tenantId), inArray(recoveryActions.episodeId, episodeIds))).orderBy(asc(recoveryActions.dueAt), asc(recoveryActions.kind));
  }

  /** A customer's care episodes with their actions, newest first; only those whose complaint the actor may see. */
  async ofCustomer(actor: Actor, customerId: string) {
    await this.ctx.customers.getCustomer(actor, customerId);
    const rows = await this.db.orm.select({ episode: careEpisodes }).from(careEpisodes)
      .innerJoin(cases, and(eq(cases.tenantId, careEpisodes.tenantId), eq(cases.id, careEpisodes.caseId)))
      .where(and(eq(careEpisodes.tenantId, actor.tenantId), eq(careEpisodes.customerId, customerId), this.ctx.cases.scope(actor)))
      .orderBy(desc(careEpisodes.openedAt));
    const actions = await this.actions(actor.tenantId, rows.map((r) => r.episode.id));
    return rows.map(({ episode }) => ({ ...episode, actions: actions.filter((a) => a.episodeId === episode.id) }));
  }

  /** Used by the customer summary: whether anyone may see it or not, a customer is in care or not. */
  async openEpisodeCount(tenantId: string, customerId: string): Promise<number> {
    const rows = await this.ctx.db.orm.select({ id: careEpisodes.id }).from(careEpisodes)
      .where(and(eq(careEpisodes.tenantId, tenantId), eq(careEpisodes.customerId, customerId), isNull(careEpisodes.outcome)));
    return rows.length;
  }
}

