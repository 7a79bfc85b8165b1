import { and, asc, between, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import { noteChange, type Actor } from '../../../core/actor.js';
import { afterCursor, finishPage } from '../../../core/db/list.js';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../../../core/errors.js';
import { requireAction, requireDivision, requireSetup, scopeFilter, type SalesContext } from '../context.js';
import { isCurrency } from '../pricing/money.js';
import { salesOpportunities, salesOpportunityStageChanges, salesPipelineStages, salesPipelines, type Prospect } from '../schema.js';
import { forecast } from './forecast.js';

export interface StageInput {
  code: string;
  name: string;
  probability: number;
  outcome?: 'open' | 'won' | 'lost';
}

export interface NewOpportunity {
  pipelineId: string;
  name: string;
  customerId?: string;
  prospect?: Prospect;
  /** An existing customer who referred this business. */
  referredByCustomerId?: string;
  ownerUserId?: string;
  /** No owner named: let the assignment engine route the lead (by seniority for the customer's value, continuity, load). */
  autoAssign?: boolean;
  amount: number;
  currency: string;
  expectedClose: string;
  stageCode?: string;
}

export type OpportunityRow = typeof salesOpportunities.$inferSelect;

/** Several pipelines, each with its own stages and probabilities; opportunities, their stage history, the forecast. */
export class PipelineService {
  constructor(private readonly ctx: SalesContext) {}

  private get db() {
    return this.ctx.db;
  }

  async listPipelines(actor: Actor, q: { divisionId?: string } = {}) {
    const pipelines = await this.db.orm.select().from(salesPipelines)
      .where(and(eq(salesPipelines.tenantId, actor.tenantId), scopeFilter(actor, 'read', salesPipelines.divisionId), q.divisionId ? eq(salesPipelines.divisionId, q.divisionId) : undefined))
      .orderBy(asc(salesPipelines.name));
    const stages = pipelines.length
      ? await this.db.orm.select().from(salesPipelineStages).where(and(eq(salesPipelineStages.tenantId, actor.tenantId), inArray(salesPipelineStages.pipelineId, pipelines.map((p) => p.id)))).orderBy(asc(salesPipelineStages.position))
      : [];
    return pipelines.map((p) => ({ ...p, stages: stages.filter((s) => s.pipelineId === p.id).map(stageOut) }));
  }

  async getPipeline(actor: Actor, id: string) {
    const [p] = await this.db.orm.select().from(salesPipelines).where(and(eq(salesPipelines.tenantId, actor.tenantId), eq(salesPipelines.id, id), scopeFilter(actor, 'read', salesPipelines.divisionId)));
    if (!p) throw new NotFoundError('pipeline', id);
    const stages = await this.db.orm.select().from(salesPipelineStages).where(and(eq(salesPipelineStages.tenantId, actor.tenantId), eq(salesPipelineStages.pipelineId, id))).orderBy(asc(salesPipelineStages.position));
    return { ...p, stages: stages.map(stageOut) };
  }

  async createPipeline(actor: Actor, input: { divisionId: string; code: string; name: string; stages: StageInput[] }) {
    requireSetup(actor, 'set up pipelines');
    requireDivision(actor, input.divisionId);
    const codes = input.stages.map((s) => s.code);
    if (new Set(codes).size !== codes.length) throw new ValidationError('stage codes must be distinct', [{ path: 'body/stages', message: 'a stage code appears twice' }]);
    if (!input.stages.some((s) => (s.outcome ?? 'open') === 'open')) throw new ValidationError('a pipeline needs an open stage', [{ path: 'body/stages', message: 'at least one stage with outcome open' }]);
    input.stages.forEach((s, i) => {
      if (s.outcome === 'won' && s.probability !== 100) throw new ValidationError('a won stage is certain', [{ path: `body/stages/${i}/probability`, message: 'won stages have probability 100' }]);
      if (s.outcome === 'lost' && s.probability !== 0) throw new ValidationError('a lost stage is certain', [{ path: `body/stages/${i}/probability`, message: 'lost stages have probability 0' }]);
    });
    const [clash] = await this.db.orm.select({ id: salesPipelines.id }).from(salesPipelines).where(and(eq(salesPipelines.tenantId, actor.tenantId), eq(salesPipelines.code, input.code)));
    if (clash) throw new ConflictError(`pipeline ${input.code} exists`, [{ path: 'body/code', message: 'already taken' }]);
    const id = await this.db.orm.transaction(async (tx) => {
      const [p] = await tx.insert(salesPipelines).values({ tenantId: actor.tenantId, divisionId: input.divisionId, code: input.code, name: input.name }).returning();
      await tx.insert(salesPipelineStages).values(input.stages.map((s, i) => ({ tenantId: actor.tenantId, pipelineId: p.id, code: s.code, name: s.name, position: i, probability: s.probability, outcome: s.outcome ?? 'open' })));
      return p.id;
    });
    noteChange(actor, { resource: 'sales-pipelines', resourceId: id, action: 'create', after: input });
    return this.getPipeline(actor, id);
  }

  async createOpportunity(actor: Actor, input: NewOpportunity) {
    requireAction(actor, 'write', 'create opportunities');
    if (input.autoAssign && input.ownerUserId) throw new ValidationError('name an owner or ask for routing, not both', [{ path: 'body/autoAssign', message: 'leave out ownerUserId to route the lead' }]);
    if (input.autoAssign && !this.ctx.leadRouter) throw new UnprocessableError('lead routing is not available here', [{ path: 'body/autoAssign', message: 'no assignment engine connected' }]);
    if (!!input.customerId === !!input.prospect) throw new ValidationError('name a customer or a prospect', [{ path: 'body/customerId', message: 'give customerId or prospect, not both' }]);
    if (!isCurrency(input.currency)) throw new ValidationError('unknown currency', [{ path: 'body/currency', message: `${input.currency} is not an ISO 4217 currency` }]);
    const pipeline = await this.getPipeline(actor, input.pipelineId);
    requireDivision(actor, pipeline.divisionId);
    if (input.customerId) await this.ctx.customers.getCustomer(actor, input.customerId);
    if (input.referredByCustomerId) {
      if (input.referredByCustomerId === input.customerId) throw new ValidationError('a customer cannot refer themselves', [{ path: 'body/referredByCustomerId', message: 'differs from customerId' }]);
      await this.ctx.customers.getCustomer(actor, input.referredByCustomerId);
    }
    const stage = input.stageCode ? pipeline.stages.find((s) => s.code === input.stageCode) : pipeline.stages.find((s) => s.outcome === 'open');
    if (!stage) throw new ValidationError('unknown stage', [{ path: 'body/stageCode', message: `pipeline ${pipeline.code} has no stage ${input.stageCode}` }]);
    const today = this.ctx.today();
    const id = await this.db.orm.transaction(async (tx) => {
      const [row] = await tx.insert(salesOpportunities).values({
        tenantId: actor.tenantId,
        pipelineId: pipeline.id,
        stageCode: stage.code,
        divisionId: pipeline.divisionId,
        name: input.name,
        customerId: input.customerId ?? null,
        prospect: input.prospect ?? null,
        referredByCustomerId: input.referredByCustomerId ?? null,
        ownerUserId: input.autoAssign ? null : (input.ownerUserId ?? actor.userId),
        amount: input.amount,
        currency: input.currency,
        expectedClose: input.expectedClose,
        outcome: stage.outcome,
        closedOn: stage.outcome === 'open' ? null : today,
      }).returning();
      await tx.insert(salesOpportunityStageChanges).values({ tenantId: actor.tenantId, opportunityId: row.id, fromStage: null, toStage: stage.code, changedBy: actor.userId });
      return row.id;
    });
    let assignment: { userId: string | null; reasons: string[] } | null = null;
    if (input.autoAssign && this.ctx.leadRouter) {
      assignment = await this.ctx.leadRouter(actor.tenantId, { opportunityId: id, divisionId: pipeline.divisionId, customerId: input.customerId ?? null });
      if (assignment.userId) {
        await this.db.orm.update(salesOpportunities).set({ ownerUserId: assignment.userId, updatedAt: new Date() })
          .where(and(eq(salesOpportunities.tenantId, actor.tenantId), eq(salesOpportunities.id, id)));
      }
    }
    noteChange(actor, { resource: 'sales-opportunities', resourceId: id, action: 'create', after: { ...input, ownerUserId: assignment ? assignment.userId : (input.ownerUserId ?? actor.userId) } });
    return { ...(await this.getOpportunity(actor, id)), assignment };
  }

  private async getRow(actor: Actor, id: string, action: 'read' | 'write' = 'read'): Promise<OpportunityRow> {
    const [row] = await this.db.orm.select().from(salesOpportunities)
      .where(and(eq(salesOpportunities.tenantId, actor.tenantId), eq(salesOpportunities.id, id), scopeFilter(actor, action, salesOpportunities.divisionId, salesOpportunities.ownerUserId)));
    if (!row) throw new NotFoundError('opportunity', id);
    return row;
  }

  async getOpportunity(actor: Actor, id: string) {
    const row = await this.getRow(actor, id);
    const [history, stages] = await Promise.all([
      this.db.orm.select().from(salesOpportunityStageChanges)
        .where(and(eq(salesOpportunityStageChanges.tenantId, actor.tenantId), eq(salesOpportunityStageChanges.opportunityId, id)))
        .orderBy(asc(salesOpportunityStageChanges.changedAt), asc(salesOpportunityStageChanges.id)),
      this.db.orm.select().from(salesPipelineStages).where(and(eq(salesPipelineStages.tenantId, actor.tenantId), eq(salesPipelineStages.pipelineId, row.pipelineId))),
    ]);
    const stage = stages.find((s) => s.code === row.stageCode)!;
    return {
      ...row,
      probability: stage.probability,
      weightedAmount: Math.round(row.amount * stage.probability) / 100,
      history: history.map(({ tenantId: _t, opportunityId: _o, ...h }) => h),
    };
  }

  /** Moves an opportunity to another stage of its pipeline, recording who moved it when; won and lost stages close it. */
  async moveOpportunity(actor: Actor, id: string, input: { stageCode: string; note?: string; lostReason?: string }) {
    requireAction(actor, 'write', 'move opportunities');
    const row = await this.getRow(actor, id, 'write');
    const pipeline = await this.getPipeline(actor, row.pipelineId);
    const stage = pipeline.stages.find((s) => s.code === input.stageCode);
    if (!stage) throw new ValidationError('unknown stage', [{ path: 'body/stageCode', message: `pipeline ${pipeline.code} has no stage ${input.stageCode}` }]);
    if (stage.code === row.stageCode) throw new ConflictError(`the opportunity is already in ${stage.name}`);
    if (stage.outcome === 'lost' && !input.lostReason) throw new ValidationError('say why it was lost', [{ path: 'body/lostReason', message: 'required when moving to a lost stage' }]);
    const today = this.ctx.today();
    await this.db.orm.transaction(async (tx) => {
      const moved = await tx.update(salesOpportunities)
        .set({ stageCode: stage.code, outcome: stage.outcome, closedOn: stage.outcome === 'open' ? null : today, lostReason: stage.outcome === 'lost' ? input.lostReason! : null, updatedAt: new Date() })
        .where(and(eq(salesOpportunities.tenantId, actor.tenantId), eq(salesOpportunities.id, id), eq(salesOpportunities.stageCode, row.stageCode)))
        .returning({ id: salesOpportunities.id });
      if (!moved.length) throw new ConflictError('the opportunity moved meanwhile; reload it');
      await tx.insert(salesOpportunityStageChanges).values({ tenantId: actor.tenantId, opportunityId: id, fromStage: row.stageCode, toStage: stage.code, changedBy: actor.userId, note: input.note ?? null });
    });
    noteChange(actor, { resource: 'sales-opportunities', resourceId: id, action: 'update', before: { stage: row.stageCode }, after: { stage: stage.code } });
    return this.getOpportunity(actor, id);
  }

  async updateOpportunity(actor: Actor, id: string, patch: { name?: string; amount?: number; expectedClose?: string; ownerUserId?: string }) {
    requireAction(actor, 'write', 'change opportunities');
    const row = await this.getRow(actor, id, 'write');
    await this.db.orm.update(salesOpportunities).set({ ...patch, updatedAt: new Date() }).where(and(eq(salesOpportunities.tenantId, actor.tenantId), eq(salesOpportunities.id, id)));
    noteChange(actor, { resource: 'sales-opportunities', resourceId: id, action: 'update', before: row, after: patch });
    return this.getOpportunity(actor, id);
  }

  async listOpportunities(actor: Actor, q: { pipelineId?: string; ownerUserId?: string; customerId?: string; outcome?: 'open' | 'won' | 'lost'; limit: number; cursor?: string }) {
    const conds: (SQL | undefined)[] = [
      eq(salesOpportunities.tenantId, actor.tenantId),
      scopeFilter(actor, 'read', salesOpportunities.divisionId, salesOpportunities.ownerUserId),
      q.pipelineId ? eq(salesOpportunities.pipelineId, q.pipelineId) : undefined,
      q.ownerUserId ? eq(salesOpportunities.ownerUserId, q.ownerUserId) : undefined,
      q.customerId ? eq(salesOpportunities.customerId, q.customerId) : undefined,
      q.outcome ? eq(salesOpportunities.outcome, q.outcome) : undefined,
      afterCursor({ column: salesOpportunities.id, direction: 'desc' }, salesOpportunities.id, q.cursor),
    ];
    const rows = await this.db.orm.select({ o: salesOpportunities, probability: salesPipelineStages.probability })
      .from(salesOpportunities)
      .innerJoin(salesPipelineStages, and(eq(salesPipelineStages.tenantId, salesOpportunities.tenantId), eq(salesPipelineStages.pipelineId, salesOpportunities.pipelineId), eq(salesPipelineStages.code, salesOpportunities.stageCode)))
      .where(and(...conds)).orderBy(desc(salesOpportunities.id)).limit(q.limit + 1);
    return finishPage(rows.map(({ o, probability }) => ({ ...o, probability, weightedAmount: Math.round(o.amount * probability) / 100 })), q.limit, (r) => r.id);
  }

  async forecast(actor: Actor, q: { pipelineId?: string; from: string; to: string; groupBy?: 'pipeline' | 'owner' | 'pipeline-owner' }) {
    if (q.to < q.from) throw new ValidationError('the period ends before it starts', [{ path: 'query/to', message: 'before from' }]);
    const rows = await this.db.orm
      .select({ o: salesOpportunities, probability: salesPipelineStages.probability })
      .from(salesOpportunities)
      .innerJoin(salesPipelineStages, and(eq(salesPipelineStages.tenantId, salesOpportunities.tenantId), eq(salesPipelineStages.pipelineId, salesOpportunities.pipelineId), eq(salesPipelineStages.code, salesOpportunities.stageCode)))
      .where(and(
        eq(salesOpportunities.tenantId, actor.tenantId),
        scopeFilter(actor, 'read', salesOpportunities.divisionId, salesOpportunities.ownerUserId),
        q.pipelineId ? eq(salesOpportunities.pipelineId, q.pipelineId) : undefined,
        or(
          and(eq(salesOpportunities.outcome, 'open'), between(salesOpportunities.expectedClose, q.from, q.to)),
          between(salesOpportunities.closedOn, q.from, q.to),
        ),
      ));
    return {
      from: q.from,
      to: q.to,
      rows: forecast(
        rows.map(({ o, probability }) => ({ pipelineId: o.pipelineId, ownerUserId: o.ownerUserId, currency: o.currency, amount: o.amount, probability, outcome: o.outcome, expectedClose: o.expectedClose, closedOn: o.closedOn })),
        { from: q.from, to: q.to },
        q.groupBy,
      ),
    };
  }
}

const stageOut = ({ tenantId: _t, pipelineId: _p, ...s }: typeof salesPipelineStages.$inferSelect) => s;
