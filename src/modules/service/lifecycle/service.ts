import { and, asc, eq } from 'drizzle-orm';
import { scopedDivisionIds } from '../../../core/db/scope.js';
import type { Actor } from '../../../core/actor.js';
import { ForbiddenError, ValidationError } from '../../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { customerStages, stageTransitions } from '../schema.js';
import {
  checkMove,
  decideMove,
  dueTimedEvents,
  initialPosition,
  measuresFrom,
  STAGES,
  type HoldingFacts,
  type LifecycleEvent,
  type LifecycleRule,
  type Stage,
  type StagePosition,
} from './stages.js';

export type StageRow = typeof customerStages.$inferSelect;
export type TransitionRow = typeof stageTransitions.$inferSelect;

interface Position extends StagePosition {
  winBackOn: string | null;
}

interface PendingMove {
  customerId: string;
  from: Stage | null;
  to: Stage;
  previousStage: Stage | null;
  at: Date;
  winBackOn: string | null;
  cause: TransitionRow['cause'];
  event: LifecycleEvent | null;
  ruleName: string | null;
  actorUserId: string | null;
  note: string | null;
}

/** Lets API requests interleave with the sweep on PGlite's one connection (see sla/check.ts). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The customer lifecycle: current stage per customer, moves by rule (events from cases, care, holdings and
 * economics) or by hand, each recorded with its cause, and the stage measures. Holdings facts are read in
 * bulk with SQL for the sweep (a per-customer service call would be a million round trips).
 */
export class LifecycleService {
  constructor(private readonly ctx: ServiceContext) {}

  private get db() {
    return this.ctx.db;
  }

  async holdingFacts(tenantId: string, customerIds: string[]): Promise<Map<string, HoldingFacts>> {
    if (!customerIds.length) return new Map();
    const rows = await this.db.query<{ customer_id: string; held: number; open: number; first_opened: string | null; last_opened: string | null; last_closed: string | null }>(
      `SELECT l.customer_id,
              count(*) FILTER (WHERE a.status <> 'offered')::int AS held,
              count(*) FILTER (WHERE a.status = 'open')::int AS open,
              to_char(min(a.opened_on) FILTER (WHERE a.status <> 'offered'), 'YYYY-MM-DD') AS first_opened,
              to_char(max(a.opened_on) FILTER (WHERE a.status <> 'offered'), 'YYYY-MM-DD') AS last_opened,
              to_char(max(a.closed_on), 'YYYY-MM-DD') AS last_closed
         FROM customer_links l JOIN accounts a ON a.tenant_id = l.tenant_id AND a.source_record_id = l.source_record_id
        WHERE l.tenant_id = $1 AND l.customer_id = ANY($2::uuid[])
        GROUP BY l.customer_id`,
      [tenantId, customerIds],
    );
    const out = new Map<string, HoldingFacts>();
    for (const r of rows) out.set(r.customer_id, { held: r.held, open: r.open, firstOpenedOn: r.first_opened, lastOpenedOn: r.last_opened, lastClosedOn: r.last_closed });
    return out;
  }

  private async positions(tenantId: string, customerIds: string[]): Promise<Map<string, Position>> {
    if (!customerIds.length) return new Map();
    const rows = await this.db.query<{ customer_id: string; stage: Stage; previous_stage: Stage | null; since: Date | string; win_back_on: string | null }>(
      `SELECT customer_id, stage, previous_stage, since, to_char(win_back_on, 'YYYY-MM-DD') AS win_back_on FROM customer_stages WHERE tenant_id = $1 AND customer_id = ANY($2::uuid[])`,
      [tenantId, customerIds],
    );
    return new Map(rows.map((r) => [r.customer_id, { stage: r.stage, previousStage: r.previous_stage, since: new Date(r.since), winBackOn: r.win_back_on }]));
  }

  /** Where the customer is now; a customer never classified is classified first (cause 'initial'). */
  async ensurePosition(tenantId: string, customerId: string, at: Date, rules?: LifecycleRule[]): Promise<Position> {
    const known = (await this.positions(tenantId, [customerId])).get(customerId);
    if (known) return known;
    const facts = (await this.holdingFacts(tenantId, [customerId])).get(customerId) ?? { held: 0, open: 0, firstOpenedOn: null, lastOpenedOn: null, lastClosedOn: null };
    const initial = initialPosition(facts, rules ?? (await this.ctx.settings.lifecycleRules(tenantId)), at);
    await this.write(tenantId, [{ customerId, from: null, to: initial.stage, previousStage: null, at: initial.since, winBackOn: initial.winBackOn, cause: 'initial', event: null, ruleName: null, actorUserId: null, note: describeInitial(facts) }]);
    return initial;
  }

  /** An event about one customer; moves them if an enabled rule says so. Returns the move made, if any. */
  async applyEvent(tenantId: string, customerId: string, event: LifecycleEvent, opts: { at?: Date; actorUserId?: string | null; note?: string; pAlive?: number } = {}) {
    const at = opts.at ?? new Date();
    const rules = await this.ctx.settings.lifecycleRules(tenantId);
    const position = await this.ensurePosition(tenantId, customerId, at, rules);
    const move = decideMove(position, event, rules, at, { pAlive: opts.pAlive });
    if (!move) return null;
    const pending: PendingMove = { customerId, from: position.stage, to: move.to, previousStage: position.stage, at, winBackOn: move.winBackOn, cause: 'rule', event, ruleName: move.rule.name, actorUserId: opts.actorUserId ?? null, note: opts.note ?? null };
    await this.write(tenantId, [pending]);
    return pending;
  }

  /** A person moves a customer by hand, within the allowed graph; recorded with who and why. */
  async move(actor: Actor, customerId: string, input: { stage: Stage; note: string; winBackOn?: string | null }) {
    if (!actor.can('lifecycle', 'write')) throw new ForbiddenError('you may not move customers between stages');
    await this.ctx.customers.getCustomer(actor, customerId);
    const at = new Date();
    const position = await this.ensurePosition(actor.tenantId, customerId, at);
    checkMove(position.stage, input.stage);
    if (input.winBackOn && input.stage !== 'dissociation') throw new ValidationError('a win-back date belongs to dissociation', [{ path: 'body/winBackOn', message: 'only when moving to dissociation' }]);
    const winBackOn = input.stage === 'dissociation' ? (input.winBackOn ?? new Date(at.getTime() + 180 * 86_400_000).toISOString().slice(0, 10)) : null;
    await this.write(actor.tenantId, [{ customerId, from: position.stage, to: input.stage, previousStage: position.stage, at, winBackOn, cause: 'manual', event: null, ruleName: null, actorUserId: actor.userId, note: input.note }]);
    return this.current(actor, customerId);
  }

  /** Where the customer stands; one never classified is shown as the sweep would classify them, without storing it. */
  async current(actor: Actor, customerId: string) {
    await this.ctx.customers.getCustomer(actor, customerId);
    const known = (await this.positions(actor.tenantId, [customerId])).get(customerId);
    if (known) return { customerId, ...known };
    const facts = (await this.holdingFacts(actor.tenantId, [customerId])).get(customerId) ?? { held: 0, open: 0, firstOpenedOn: null, lastOpenedOn: null, lastClosedOn: null };
    return { customerId, ...initialPosition(facts, await this.ctx.settings.lifecycleRules(actor.tenantId), new Date()) };
  }

  async history(actor: Actor, customerId: string): Promise<TransitionRow[]> {
    await this.ctx.customers.getCustomer(actor, customerId);
    return this.db.orm.select().from(stageTransitions).where(and(eq(stageTransitions.tenantId, actor.tenantId), eq(stageTransitions.customerId, customerId))).orderBy(asc(stageTransitions.at), asc(stageTransitions.id));
  }

  private async write(tenantId: string, moves: PendingMove[]) {
    if (!moves.length) return;
    await this.db.query(
      `INSERT INTO customer_stages (tenant_id, customer_id, stage, previous_stage, since, win_back_on, updated_at)
       SELECT $1, v.customer_id, v.stage, v.previous_stage, v.since, v.win_back_on, now()
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::date[]) AS v(customer_id, stage, previous_stage, since, win_back_on)
       ON CONFLICT (tenant_id, customer_id) DO UPDATE SET stage = EXCLUDED.stage, previous_stage = EXCLUDED.previous_stage, since = EXCLUDED.since, win_back_on = EXCLUDED.win_back_on, updated_at = now()`,
      [tenantId, moves.map((m) => m.customerId), moves.map((m) => m.to), moves.map((m) => m.previousStage), moves.map((m) => m.at.toISOString()), moves.map((m) => m.winBackOn)],
    );
    for (let i = 0; i < moves.length; i += 2000) {
      await this.db.orm.insert(stageTransitions).values(moves.slice(i, i + 2000).map((m) => ({
        tenantId, customerId: m.customerId, fromStage: m.from, toStage: m.to, at: m.at, cause: m.cause, event: m.event, ruleName: m.ruleName, actorUserId: m.actorUserId, note: m.note,
      })));
    }
  }

  /**
   * The scheduled sweep: classifies customers met for the first time and raises the events that come from
   * data rather than from actions (a first product opened, every product closed, onboarding over, a
   * win-back date reached, P(alive) below the threshold). One move per customer per sweep.
   */
  async sweep(tenantId: string, opts: { now?: Date; chunkSize?: number } = {}, progress?: (done: number, total?: number | null) => Promise<void> | void, signal?: AbortSignal) {
    const now = opts.now ?? new Date();
    const chunkSize = opts.chunkSize ?? 5000;
    const rules = await this.ctx.settings.lifecycleRules(tenantId);
    // An estimate for the progress bar: an exact count of a million rows would hold PGlite's one connection for seconds.
    const [{ n: total }] = await this.db.query<{ n: number }>(`SELECT greatest(reltuples, 0)::int AS n FROM pg_class WHERE oid = 'golden_customers'::regclass`);
    const stats = { examined: 0, classified: 0, moved: 0, byEvent: {} as Record<string, number> };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      if (signal?.aborted) break;
      const ids = (await this.db.query<{ id: string }>(`SELECT id FROM golden_customers WHERE tenant_id = $1 AND status = 'active' AND id > $2 ORDER BY id LIMIT $3`, [tenantId, after, chunkSize])).map((r) => r.id);
      if (!ids.length) break;
      after = ids[ids.length - 1];
      const [positions, holdings, trends] = await Promise.all([this.positions(tenantId, ids), this.holdingFacts(tenantId, ids), this.ctx.value.trendsOf?.(tenantId, ids) ?? Promise.resolve(new Map())]);
      const moves: PendingMove[] = [];
      for (const id of ids) {
        const h = holdings.get(id) ?? { held: 0, open: 0, firstOpenedOn: null, lastOpenedOn: null, lastClosedOn: null };
        const known = positions.get(id);
        if (!known) {
          const p = initialPosition(h, rules, now);
          moves.push({ customerId: id, from: null, to: p.stage, previousStage: null, at: p.since, winBackOn: p.winBackOn, cause: 'initial', event: null, ruleName: null, actorUserId: null, note: describeInitial(h) });
          stats.classified += 1;
          continue;
        }
        const events: LifecycleEvent[] = [];
        const openedSince = h.lastOpenedOn !== null && h.lastOpenedOn >= known.since.toISOString().slice(0, 10);
        if (h.open > 0 && (known.stage === 'recruitment' || (known.stage === 'dissociation' && openedSince))) events.push('first_product_opened');
        if (h.held > 0 && h.open === 0) events.push('all_products_closed');
        events.push(...dueTimedEvents(known, rules, now));
        const pAlive = trends.get(id)?.pAlive;
        if (pAlive !== undefined) events.push('p_alive_fell');
        for (const event of events) {
          const move = decideMove(known, event, rules, now, { pAlive });
          if (!move) continue;
          moves.push({ customerId: id, from: known.stage, to: move.to, previousStage: known.stage, at: now, winBackOn: move.winBackOn, cause: 'rule', event, ruleName: move.rule.name, actorUserId: null, note: null });
          stats.moved += 1;
          stats.byEvent[event] = (stats.byEvent[event] ?? 0) + 1;
          break;
        }
      }
      await this.write(tenantId, moves);
      stats.examined += ids.length;
      await progress?.(stats.examined, total);
      await yieldToEventLoop();
    }
    return stats;
  }

  /** Customers per stage, time in stage, conversion between stages, retention and recovery over a period. */
  async measures(actor: Actor, period: { from: Date; to: Date }) {
    if (!actor.can('lifecycle', 'read')) throw new ForbiddenError('you may not read lifecycle measures');
    // Division-scoped staff measure the customers their divisions know; the divisions go last in the parameters.
    const divisions = scopedDivisionIds(actor);
    const join = (n: number) => (divisions ? `JOIN golden_customers g ON g.tenant_id = x.tenant_id AND g.id = x.customer_id AND g.division_ids && $${n}::uuid[]` : '');
    const params = (extra: unknown[]) => (divisions ? [...extra, divisions] : extra);
    const t = actor.tenantId;
    const [perStage, stays, transitions, live] = await Promise.all([
      this.db.query<{ stage: Stage; customers: number; avg_days: number }>(
        `SELECT x.stage, count(*)::int AS customers, avg(EXTRACT(EPOCH FROM (now() - x.since)) / 86400)::float8 AS avg_days
           FROM customer_stages x ${join(2)} WHERE x.tenant_id = $1 GROUP BY x.stage`,
        params([t]),
      ),
      this.db.query<{ stage: Stage; stays: number; avg_days: number }>(
        `SELECT s.from_stage AS stage, count(*)::int AS stays, avg(EXTRACT(EPOCH FROM (s.at - s.entered)) / 86400)::float8 AS avg_days
           FROM (SELECT x.from_stage, x.at, lag(x.at) OVER (PARTITION BY x.customer_id ORDER BY x.at, x.id) AS entered FROM stage_transitions x ${join(4)} WHERE x.tenant_id = $1) s
          WHERE s.from_stage IS NOT NULL AND s.entered IS NOT NULL AND s.at >= $2 AND s.at < $3 GROUP BY s.from_stage`,
        params([t, period.from.toISOString(), period.to.toISOString()]),
      ),
      this.db.query<{ from_stage: Stage | null; to_stage: Stage; n: number }>(
        `SELECT x.from_stage, x.to_stage, count(*)::int AS n FROM stage_transitions x ${join(4)}
          WHERE x.tenant_id = $1 AND x.at >= $2 AND x.at < $3 AND x.cause <> 'initial' GROUP BY x.from_stage, x.to_stage`,
        params([t, period.from.toISOString(), period.to.toISOString()]),
      ),
      this.db.query<{ live: number; left: number }>(
        `WITH at_start AS (
           SELECT DISTINCT ON (x.customer_id) x.customer_id, x.to_stage FROM stage_transitions x ${join(4)}
            WHERE x.tenant_id = $1 AND x.at < $2 ORDER BY x.customer_id, x.at DESC, x.id DESC)
         SELECT count(*)::int AS live,
                count(*) FILTER (WHERE EXISTS (SELECT 1 FROM stage_transitions d WHERE d.tenant_id = $1 AND d.customer_id = a.customer_id AND d.to_stage = 'dissociation' AND d.at >= $2 AND d.at < $3))::int AS left
           FROM at_start a WHERE a.to_stage NOT IN ('recruitment', 'dissociation')`,
        params([t, period.from.toISOString(), period.to.toISOString()]),
      ),
    ]);
    const m = measuresFrom(transitions.map((r) => ({ from: r.from_stage, to: r.to_stage, count: r.n })), live[0]?.live ?? 0, live[0]?.left ?? 0);
    const round = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x * 10) / 10);
    return {
      period,
      stages: STAGES.map((stage) => {
        const now = perStage.find((r) => r.stage === stage);
        const done = stays.find((r) => r.stage === stage);
        return { stage, customers: now?.customers ?? 0, avgDaysInStageNow: round(now?.avg_days), completedStays: done?.stays ?? 0, avgDaysPerCompletedStay: round(done?.avg_days) };
      }),
      conversion: m.conversion,
      retentionRate: m.retentionRate,
      recoveryRate: m.recoveryRate,
      liveAtStart: live[0]?.live ?? 0,
    };
  }
}

function describeInitial(h: HoldingFacts): string {
  if (!h.held) return 'no products held yet';
  if (!h.open) return `all ${h.held} products closed (last on ${h.lastClosedOn ?? 'unknown date'})`;
  return `${h.open} of ${h.held} products open, first opened ${h.firstOpenedOn ?? 'on an unknown date'}`;
}
