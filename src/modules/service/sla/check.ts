/**
 * The SLA check: revisits every case whose timers can have changed state since they were last read
 * (`sla_next_check_at` has come), reads both timers with the business clock, stores the new states and
 * due times, and applies the policy's escalation rules to each warning and breach. Work goes in chunks
 * of a few thousand cases, each a handful of set-based statements, with a yield to the event loop in
 * between so API requests are served while a large check runs.
 */
import { and, arrayOverlaps, eq, inArray, sql } from 'drizzle-orm';
import { newId } from '../../../core/ids.js';
import { users } from '../../access/schema.js';
import type { ServiceContext } from '../context.js';
import { cases, caseEvents, relationshipManagers, serviceNotifications, type PolicySnapshot, type StoredPause } from '../schema.js';
import type { CaseStatus, Priority } from '../cases/status.js';
import { clockFacts, readCaseTimers, timerColumns } from '../cases/timers.js';
import { planEscalation, type EscalationLookups, type TimerTransition } from './escalate.js';
import type { TimerState } from './timer.js';

export interface SlaCheckOptions {
  /** Re-read every open case, not only those due (after a calendar or policy correction). */
  full?: boolean;
  now?: Date;
  chunkSize?: number;
}

export interface SlaCheckResult {
  examined: number;
  changed: number;
  warnings: number;
  breaches: number;
  priorityRaised: number;
  reassigned: number;
  /** Cases whose breach was found more than a day late: reported in one digest per division, not one notice each. */
  staleBreaches: number;
  notifications: number;
  events: number;
  chunks: number;
  seconds: number;
  /** Where the time went, in seconds: reading due cases, reading the clocks and planning, writing. */
  phases: { read: number; compute: number; write: number };
}

type Progress = (done: number, total?: number | null) => Promise<void> | void;

interface CheckRow {
  id: string;
  tenantId: string;
  customerId: string;
  subject: string;
  divisionId: string;
  status: CaseStatus;
  priority: Priority;
  ownerUserId: string | null;
  queueTeamId: string | null;
  queueDivisionId: string | null;
  escalationLevel: number;
  sla: PolicySnapshot;
  openedAt: Date;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  waitingPauses: StoredPause[];
  resolvedPauses: StoredPause[];
  firstResponseState: TimerState;
  resolutionState: TimerState;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  slaNextCheckAt: Date | null;
}

const OPEN: CaseStatus[] = ['open', 'in_progress', 'waiting_on_customer'];
const STALE_BREACH_MS = 86_400_000;
/**
 * Called before each statement: on PGlite every statement runs on the one connection and holds the event loop
 * while it runs, so letting the loop turn between statements lets a waiting API request put its next query in
 * the queue ahead of the job's next one. With short statements a request then waits for at most one of them.
 */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));
const same = (a: Date | null, b: Date | null) => (a ? a.getTime() : null) === (b ? b.getTime() : null);
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
/** CSV for COPY: null is an unquoted empty field (NULL); everything else is quoted. */
const toCsv = (rows: unknown[][]) => rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`)).join(',')).join('\n') + '\n';

export class SlaCheck {
  constructor(private readonly ctx: ServiceContext) {}

  /** Managers per division (least loaded first) and relationship managers for a set of cases. */
  async lookups(tenantId: string, rows: readonly { divisionId: string; customerId: string }[]): Promise<EscalationLookups> {
    const divisionIds = [...new Set(rows.map((r) => r.divisionId))];
    const customerIds = [...new Set(rows.map((r) => r.customerId))];
    const managers = divisionIds.length
      ? await this.ctx.db.orm.select({ id: users.id, divisionIds: users.divisionIds }).from(users)
          .where(and(eq(users.tenantId, tenantId), eq(users.role, 'manager'), eq(users.status, 'active'), arrayOverlaps(users.divisionIds, divisionIds)))
      : [];
    const load = new Map<string, number>();
    if (managers.length) {
      const counts = await this.ctx.db.orm.select({ owner: cases.ownerUserId, n: sql<number>`count(*)::int` }).from(cases)
        .where(and(eq(cases.tenantId, tenantId), inArray(cases.ownerUserId, managers.map((m) => m.id)), inArray(cases.status, OPEN))).groupBy(cases.ownerUserId);
      for (const c of counts) load.set(c.owner as string, Number(c.n));
    }
    const rms = customerIds.length
      ? await this.ctx.db.orm.select({ customerId: relationshipManagers.customerId, userId: relationshipManagers.userId }).from(relationshipManagers)
          .where(and(eq(relationshipManagers.tenantId, tenantId), inArray(relationshipManagers.customerId, customerIds)))
      : [];
    const rm = new Map(rms.map((r) => [r.customerId, r.userId]));
    const byDivision = new Map<string, string[]>();
    for (const d of divisionIds) {
      byDivision.set(d, managers.filter((m) => m.divisionIds.includes(d)).sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || a.id.localeCompare(b.id)).map((m) => m.id));
    }
    return { managersOf: (d) => byDivision.get(d) ?? [], relationshipManagerOf: (c) => rm.get(c) ?? null };
  }

  async run(tenantId: string, opts: SlaCheckOptions = {}, progress?: Progress, signal?: AbortSignal): Promise<SlaCheckResult> {
    const started = performance.now();
    const now = opts.now ?? new Date();
    const chunkSize = opts.chunkSize ?? 1000;
    const result: SlaCheckResult = { examined: 0, changed: 0, warnings: 0, breaches: 0, priorityRaised: 0, reassigned: 0, staleBreaches: 0, notifications: 0, events: 0, chunks: 0, seconds: 0, phases: { read: 0, compute: 0, write: 0 } };
    const db = this.ctx.db;
    // No total up front: counting the due cases exactly would hold the database (one connection on PGlite) for seconds.
    const total = null;
    await progress?.(0, total);
    let after: { at: Date | null; id: string } | null = null;
    // Breaches found more than a day late, by division, for the digest.
    const staleByDivision = new Map<string, number>();
    for (;;) {
      if (signal?.aborted) break;
      const where = opts.full
        ? and(eq(cases.tenantId, tenantId), inArray(cases.status, OPEN), after ? sql`${cases.id} > ${after.id}` : undefined)
        : and(eq(cases.tenantId, tenantId), sql`${cases.slaNextCheckAt} <= ${now.toISOString()}`,
            after ? sql`(${cases.slaNextCheckAt}, ${cases.id}) > (${after.at!.toISOString()}::timestamptz, ${after.id}::uuid)` : undefined);
      await breathe();
      const readStart = performance.now();
      const rows = (await db.orm.select({
        id: cases.id, tenantId: cases.tenantId, customerId: cases.customerId, subject: cases.subject, divisionId: cases.divisionId, status: cases.status, priority: cases.priority,
        ownerUserId: cases.ownerUserId, queueTeamId: cases.queueTeamId, queueDivisionId: cases.queueDivisionId, escalationLevel: cases.escalationLevel, sla: cases.sla,
        openedAt: cases.openedAt, firstRespondedAt: cases.firstRespondedAt, resolvedAt: cases.resolvedAt, closedAt: cases.closedAt, waitingPauses: cases.waitingPauses, resolvedPauses: cases.resolvedPauses,
        firstResponseState: cases.firstResponseState, resolutionState: cases.resolutionState, firstResponseDueAt: cases.firstResponseDueAt, resolutionDueAt: cases.resolutionDueAt, slaNextCheckAt: cases.slaNextCheckAt,
      }).from(cases).where(where).orderBy(...(opts.full ? [cases.id] : [cases.slaNextCheckAt, cases.id])).limit(chunkSize)) as CheckRow[];
      result.phases.read += (performance.now() - readStart) / 1000;
      if (!rows.length) break;
      const last = rows[rows.length - 1];
      after = { at: last.slaNextCheckAt, id: last.id };
      await this.checkChunk(tenantId, rows, now, result, staleByDivision);
      result.examined += rows.length;
      result.chunks += 1;
      await progress?.(result.examined, total);
      await breathe();
      if (rows.length < chunkSize) break;
    }
    if (staleByDivision.size) {
      const digest = [...staleByDivision].map(([divisionId, n]) => ({
        tenantId, userId: null, divisionId, caseId: null, customerId: null, kind: 'sla_breach' as const, createdAt: now,
        message: `${n} cases had already missed their SLA by more than a day when the SLA check found them: see the breached cases of your division`,
      }));
      await this.ctx.db.orm.insert(serviceNotifications).values(digest);
      result.notifications += digest.length;
      result.staleBreaches = [...staleByDivision.values()].reduce((a, b) => a + b, 0);
    }
    result.seconds = Math.round(performance.now() - started) / 1000;
    for (const k of ['read', 'compute', 'write'] as const) result.phases[k] = Math.round(result.phases[k] * 1000) / 1000;
    return result;
  }

  private async checkChunk(tenantId: string, rows: CheckRow[], now: Date, result: SlaCheckResult, staleByDivision: Map<string, number>) {
    const computeStart = performance.now();
    const updates: { row: CheckRow; cols: ReturnType<typeof timerColumns>; set: ReturnType<typeof planEscalation>['set'] }[] = [];
    const pending: { row: CheckRow; transitions: TimerTransition[]; cols: ReturnType<typeof timerColumns> }[] = [];
    for (const row of rows) {
      const clock = await this.ctx.settings.clock(tenantId, row.sla.calendarId);
      const cols = timerColumns(readCaseTimers(clock, row.sla, clockFacts(row), now));
      const transitions: TimerTransition[] = [
        { timer: 'first_response', from: row.firstResponseState, to: cols.firstResponseState },
        { timer: 'resolution', from: row.resolutionState, to: cols.resolutionState },
      ];
      if (transitions.some((t) => t.from !== t.to && (t.to === 'warning' || t.to === 'breached'))) pending.push({ row, transitions, cols });
      else if (row.firstResponseState !== cols.firstResponseState || row.resolutionState !== cols.resolutionState || !same(row.firstResponseDueAt, cols.firstResponseDueAt) || !same(row.resolutionDueAt, cols.resolutionDueAt) || !same(row.slaNextCheckAt, cols.slaNextCheckAt)) {
        updates.push({ row, cols, set: {} });
      }
    }
    const events: (typeof caseEvents.$inferInsert)[] = [];
    const notes: (typeof serviceNotifications.$inferInsert)[] = [];
    if (pending.length) {
      const lookups = await this.lookups(tenantId, pending.map((p) => p.row));
      for (const p of pending) {
        const plan = planEscalation({ ...p.row, escalation: p.row.sla.escalation ?? [] }, p.transitions, lookups);
        updates.push({ row: p.row, cols: p.cols, set: plan.set });
        for (const t of p.transitions) {
          if (t.from === t.to) continue;
          if (t.to === 'warning') result.warnings += 1;
          if (t.to === 'breached') result.breaches += 1;
        }
        if (plan.set.priority) result.priorityRaised += 1;
        if (plan.set.ownerUserId !== undefined) result.reassigned += 1;
        for (const e of plan.events) events.push({ tenantId, ...e, at: now, actorUserId: null, actorKind: 'sla-check' });
        // A breach the check finds long after it happened (a backlog: an import, a stopped job) is not news to
        // page anyone about case by case: the division's managers get one digest per run instead.
        const dueTimes = p.transitions.filter((x) => x.to === 'breached' && x.from !== 'breached').map((x) => (x.timer === 'first_response' ? p.cols.firstResponseDueAt : p.cols.resolutionDueAt));
        const stale = dueTimes.length > 0 && dueTimes.every((d) => d !== null && now.getTime() - d.getTime() > STALE_BREACH_MS);
        for (const n of plan.notifications) {
          if (stale && (n.kind === 'sla_breach' || n.kind === 'sla_warning')) continue;
          notes.push({ tenantId, ...n, createdAt: now });
        }
        if (stale) staleByDivision.set(p.row.divisionId, (staleByDivision.get(p.row.divisionId) ?? 0) + 1);
      }
    }
    const writeStart = performance.now();
    result.phases.compute += (writeStart - computeStart) / 1000;
    if (updates.length) {
      await breathe();
      await this.writeUpdates(tenantId, updates);
    }
    // COPY: a backlog check can write hundreds of thousands of events, several times faster than INSERT.
    if (events.length) {
      await breathe();
      await this.ctx.db.copyCsv('case_events', ['tenant_id', 'id', 'case_id', 'at', 'kind', 'from_value', 'to_value', 'note', 'detail', 'actor_user_id', 'actor_kind'],
        toCsv(events.map((e) => [tenantId, newId(), e.caseId, iso(e.at as Date), e.kind, e.fromValue, e.toValue, e.note, e.detail ? JSON.stringify(e.detail) : null, null, e.actorKind])));
    }
    if (notes.length) {
      await breathe();
      await this.ctx.db.copyCsv('service_notifications', ['tenant_id', 'id', 'user_id', 'division_id', 'case_id', 'customer_id', 'kind', 'message', 'created_at'],
        toCsv(notes.map((n) => [tenantId, newId(), n.userId, n.divisionId, n.caseId, n.customerId, n.kind, n.message, iso(n.createdAt as Date)])));
    }
    result.phases.write += (performance.now() - writeStart) / 1000;
    result.changed += updates.length;
    result.events += events.length;
    result.notifications += notes.length;
  }

  /**
   * One UPDATE … FROM unnest(…) per chunk. A row a person changed since we read it (status, priority or
   * timer state no longer what we saw) is left alone: that change already re-read its timers.
   */
  private async writeUpdates(tenantId: string, updates: { row: CheckRow; cols: ReturnType<typeof timerColumns>; set: ReturnType<typeof planEscalation>['set'] }[]) {
    const col = <T>(f: (u: (typeof updates)[number]) => T) => updates.map(f);
    await this.ctx.db.query(
      `UPDATE cases AS c SET
         first_response_state = v.frs, resolution_state = v.rs,
         first_response_due_at = v.frd, resolution_due_at = v.rd, sla_next_check_at = v.nxt,
         priority = COALESCE(v.priority, c.priority),
         owner_user_id = CASE WHEN v.set_owner THEN v.owner ELSE c.owner_user_id END,
         queue_team_id = CASE WHEN v.set_owner THEN v.qteam ELSE c.queue_team_id END,
         queue_division_id = CASE WHEN v.set_owner THEN v.qdiv ELSE c.queue_division_id END,
         escalation_level = COALESCE(v.level, c.escalation_level),
         updated_at = now()
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::boolean[], $10::uuid[], $11::uuid[], $12::uuid[], $13::int[],
                   $14::text[], $15::text[], $16::text[], $17::text[])
         AS v(id, frs, rs, frd, rd, nxt, priority, set_owner, owner, qteam, qdiv, level, seen_status, seen_priority, seen_frs, seen_rs)
       WHERE c.tenant_id = $1 AND c.id = v.id
         AND c.status = v.seen_status AND c.priority = v.seen_priority AND c.first_response_state = v.seen_frs AND c.resolution_state = v.seen_rs`,
      [
        tenantId,
        col((u) => u.row.id),
        col((u) => u.cols.firstResponseState),
        col((u) => u.cols.resolutionState),
        col((u) => iso(u.cols.firstResponseDueAt)),
        col((u) => iso(u.cols.resolutionDueAt)),
        col((u) => iso(u.cols.slaNextCheckAt)),
        col((u) => u.set.priority ?? null),
        col((u) => u.set.ownerUserId !== undefined),
        col((u) => u.set.ownerUserId ?? null),
        col((u) => u.set.queueTeamId ?? null),
        col((u) => u.set.queueDivisionId ?? null),
        col((u) => u.set.escalationLevel ?? null),
        col((u) => u.row.status),
        col((u) => u.row.priority),
        col((u) => u.row.firstResponseState),
        col((u) => u.row.resolutionState),
      ],
    );
  }
}
