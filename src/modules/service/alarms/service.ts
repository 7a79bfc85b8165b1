/**
 * The neglect-alarm job: walks every customer in chunks (tiers and trends from the value lookup, last
 * meaningful contact and offer conflicts in one set-based query each per chunk), then the open complaints
 * past their SLA, upserts what it finds and resolves the alarms it no longer finds. The reads here go
 * straight to the holdings, interactions and identity tables because a per-customer service call would be
 * a million round trips; they are read-only.
 */
import { and, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { scopedDivisionIds } from '../../../core/db/scope.js';
import type { Actor } from '../../../core/actor.js';
import { ForbiddenError } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import { decodeCursor, encodeCursor } from '../../../core/http/pagination.js';
import { goldenCustomers } from '../../identity/schema.js';
import type { ServiceContext } from '../context.js';
import { ALARM_KINDS, serviceAlarms } from '../schema.js';
import { complaintAlarm, customerAlarms, MEANINGFUL_OUTBOUND, offerConflictAlarm, type RaisedAlarm } from './rules.js';

export type AlarmRow = typeof serviceAlarms.$inferSelect;

export interface AlarmRunResult {
  customers: number;
  complaintsChecked: number;
  offersChecked: number;
  raised: Record<string, number>;
  newAlarms: number;
  resolved: number;
  chunks: number;
  seconds: number;
  /** Seconds spent per step: customer ids, value lookup, contacts, offers, complaints, writing alarms, resolving the rest. */
  phases: Record<'ids' | 'value' | 'contacts' | 'offers' | 'complaints' | 'write' | 'resolve', number>;
}

// The smallest uuid: where a keyset walk over ids starts.
const FIRST_ID = '00000000-0000-0000-0000-000000000000';
/** The kinds the customer pass decides. */
const CUSTOMER_KINDS = ['neglected', 'p_alive_falling', 'spend_falling'] as const;

interface OpenAlarm {
  id: string;
  severity: string;
  reason: string;
  seen: boolean;
}
const alarmKey = (kind: string, customerId: string, subjectKey: string) => `${kind}|${customerId}|${subjectKey}`;
/** Lets the event loop turn before each statement, so API requests interleave with the job (see sla/check.ts). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export class AlarmService {
  constructor(private readonly ctx: ServiceContext) {}

  private get db() {
    return this.ctx.db;
  }

  async run(tenantId: string, opts: { now?: Date; chunkSize?: number } = {}, progress?: (done: number, total?: number | null) => Promise<void> | void, signal?: AbortSignal): Promise<AlarmRunResult> {
    const started = performance.now();
    const now = opts.now ?? new Date();
    const chunkSize = opts.chunkSize ?? 2000;
    const cfg = await this.ctx.settings.alarmSettings(tenantId);
    const divisionNames = new Map((await this.db.query<{ id: string; name: string }>(`SELECT id, name FROM divisions WHERE tenant_id = $1`, [tenantId])).map((d) => [d.id, d.name]));
    // An estimate is enough for a progress bar, and an exact count of a million rows would hold the database for seconds.
    const [{ n: total }] = await this.db.query<{ n: number }>(`SELECT greatest(reltuples, 0)::int AS n FROM pg_class WHERE oid = 'golden_customers'::regclass`);
    const result: AlarmRunResult = { customers: 0, complaintsChecked: 0, offersChecked: 0, raised: Object.fromEntries(ALARM_KINDS.map((k) => [k, 0])), newAlarms: 0, resolved: 0, chunks: 0, seconds: 0, phases: { ids: 0, value: 0, contacts: 0, offers: 0, complaints: 0, write: 0, resolve: 0 } };
    const clock = (phase: keyof AlarmRunResult['phases'], since: number) => {
      result.phases[phase] += (performance.now() - since) / 1000;
      return performance.now();
    };
    await progress?.(0, total);
    const stats = { analyzedAt: 0 };
    await this.analyze(result, stats, true);

    let after = FIRST_ID;
    for (;;) {
      if (signal?.aborted) return this.finish(result, started);
      await breathe();
      let t = performance.now();
      const ids = (await this.db.query<{ id: string }>(`SELECT id FROM golden_customers WHERE tenant_id = $1 AND status = 'active' AND id > $2 ORDER BY id LIMIT $3`, [tenantId, after, chunkSize])).map((r) => r.id);
      t = clock('ids', t);
      if (!ids.length) break;
      after = ids[ids.length - 1];
      const alarms: RaisedAlarm[] = [];
      const [tiers, trends] = await Promise.all([this.ctx.value.tierOf(tenantId, ids), this.ctx.value.trendsOf?.(tenantId, ids) ?? Promise.resolve(new Map())]);
      const watched = ids.filter((id) => cfg.neglectTiers.includes(tiers.get(id) ?? 'rest'));
      t = clock('value', t);
      await breathe();
      const contacts = await this.lastContacts(tenantId, watched);
      t = clock('contacts', t);
      for (const id of ids) {
        const tier = tiers.get(id) ?? 'rest';
        const trend = trends.get(id);
        if (!trend && !cfg.neglectTiers.includes(tier)) continue;
        const c = contacts.get(id);
        alarms.push(...customerAlarms({ customerId: id, tier, lastContactAt: c?.at ?? null, lastContactWhat: c?.what ?? null, trend }, cfg, now));
      }
      await breathe();
      const open = await this.openAlarms(tenantId, CUSTOMER_KINDS, ids);
      await this.reconcile(tenantId, alarms, open, now, result);
      // This pass decides these kinds for these customers: whatever it did not raise again has gone away.
      await this.resolve(tenantId, [...open.values()].filter((a) => !a.seen).map((a) => a.id), now, result);
      await this.analyze(result, stats);
      clock('write', t);
      result.customers += ids.length;
      result.chunks += 1;
      await progress?.(result.customers, total);
      await breathe();
    }

    // Offers are few among the accounts, so this pass is driven from the offers, not from every customer.
    const openOffers = await this.openAlarms(tenantId, ['offer_conflict']);
    let afterOffer = FIRST_ID;
    for (;;) {
      if (signal?.aborted) return this.finish(result, started);
      await breathe();
      let t = performance.now();
      const offers = await this.offerConflicts(tenantId, afterOffer, chunkSize);
      t = clock('offers', t);
      if (!offers.length) break;
      afterOffer = offers[offers.length - 1].offerAccountId;
      const alarms = offers
        .filter((o) => o.heldProducts.length > 0)
        .map((o) => offerConflictAlarm({ ...o, offerDivision: divisionNames.get(o.offerDivision) ?? 'A division', heldDivisions: o.heldDivisions.map((d) => divisionNames.get(d) ?? d) }));
      await this.reconcile(tenantId, alarms, openOffers, now, result);
      clock('write', t);
      result.offersChecked += offers.length;
      await breathe();
    }

    const openComplaints = await this.openAlarms(tenantId, ['complaint_overdue']);
    let afterCase = FIRST_ID;
    for (;;) {
      if (signal?.aborted) return this.finish(result, started);
      await breathe();
      let t = performance.now();
      const rows = await this.db.query<{ id: string; customer_id: string; subject: string; opened_at: Date; first_response_state: string; resolution_state: string; first_response_due_at: Date | null; resolution_due_at: Date | null }>(
        `SELECT id, customer_id, subject, opened_at, first_response_state, resolution_state, first_response_due_at, resolution_due_at
           FROM cases WHERE tenant_id = $1 AND kind = 'complaint' AND status IN ('open', 'in_progress', 'waiting_on_customer')
            AND (resolution_state = 'breached' OR first_response_state = 'breached') AND id > $2 ORDER BY id LIMIT $3`,
        [tenantId, afterCase, chunkSize],
      );
      if (!rows.length) break;
      afterCase = rows[rows.length - 1].id;
      t = clock('complaints', t);
      const alarms = rows.map((r) => complaintAlarm({ caseId: r.id, customerId: r.customer_id, subject: r.subject, openedAt: new Date(r.opened_at), firstResponseState: r.first_response_state, resolutionState: r.resolution_state, firstResponseDueAt: r.first_response_due_at, resolutionDueAt: r.resolution_due_at }));
      await this.reconcile(tenantId, alarms, openComplaints, now, result);
      clock('write', t);
      result.complaintsChecked += rows.length;
      await breathe();
    }
    // Offers and complaints this complete run did not find again have gone away.
    const resolveStart = performance.now();
    await this.resolve(tenantId, [...openOffers.values(), ...openComplaints.values()].filter((a) => !a.seen).map((a) => a.id), now, result);
    clock('resolve', resolveStart);
    return this.finish(result, started);
  }

  /**
   * Keeps the planner's picture of service_alarms current while a first run fills it: PGlite has no autovacuum,
   * and with stale statistics the per-chunk lookup of a customer's open alarms turns into a scan of all of them.
   */
  private async analyze(result: AlarmRunResult, stats: { analyzedAt: number }, force = false) {
    if (!force && result.newAlarms - stats.analyzedAt < Math.max(20_000, stats.analyzedAt)) return;
    await breathe();
    await this.db.query('ANALYZE service_alarms');
    stats.analyzedAt = result.newAlarms;
  }

  private finish(result: AlarmRunResult, started: number) {
    result.seconds = Math.round(performance.now() - started) / 1000;
    for (const k of Object.keys(result.phases) as (keyof AlarmRunResult['phases'])[]) result.phases[k] = Math.round(result.phases[k] * 1000) / 1000;
    return result;
  }

  /** The last meaningful contact per customer: an inbound or personal interaction, or a case they raised. */
  private async lastContacts(tenantId: string, ids: string[]): Promise<Map<string, { at: Date; what: string }>> {
    const out = new Map<string, { at: Date; what: string }>();
    if (!ids.length) return out;
    // Driven from the chunk's ids (unnest) so every step is an index probe: the last meaningful contact per
    // source record (interactions_record_time_idx, newest first) and the newest case per customer.
    const interactions = await this.db.query<{ customer_id: string; at: Date; touch_point: string }>(
      `SELECT c.id AS customer_id, x.at, x.touch_point
         FROM unnest($2::uuid[]) AS c(id)
         JOIN customer_links l ON l.tenant_id = $1 AND l.customer_id = c.id
         CROSS JOIN LATERAL (
           SELECT i.occurred_at AS at, i.touch_point FROM interactions i
            WHERE i.tenant_id = $1 AND i.source_record_id = l.source_record_id AND (i.direction = 'inbound' OR i.touch_point = ANY($3::text[]))
            ORDER BY i.occurred_at DESC LIMIT 1) x`,
      [tenantId, ids, [...MEANINGFUL_OUTBOUND]],
      );
    await breathe();
    const raised = await this.db.query<{ customer_id: string; at: Date | null }>(
      `SELECT c.id AS customer_id, (SELECT max(k.opened_at) FROM cases k WHERE k.tenant_id = $1 AND k.customer_id = c.id) AS at FROM unnest($2::uuid[]) AS c(id)`,
      [tenantId, ids],
      );
    for (const r of interactions) {
      const at = new Date(r.at);
      const known = out.get(r.customer_id);
      if (!known || known.at < at) out.set(r.customer_id, { at, what: r.touch_point.replace('_', ' ') });
    }
    for (const r of raised) {
      if (!r.at) continue;
      const at = new Date(r.at);
      const known = out.get(r.customer_id);
      if (!known || known.at < at) out.set(r.customer_id, { at, what: 'a case' });
    }
    return out;
  }

  /**
   * The next offers (accounts with status 'offered', in id order) with the products of the same category the
   * customer already holds open in any division; an offer without such products comes back with empty lists.
   */
  private offerConflicts(tenantId: string, after: string, limit: number) {
    return this.db.query<{ customerId: string; offerAccountId: string; offerProduct: string; offerDivision: string; category: string; heldProducts: string[]; heldDivisions: string[] }>(
      `WITH offers AS MATERIALIZED (
         SELECT o.id AS offer_id, o.division_id, l.customer_id, po.name, po.category
           FROM accounts o
           JOIN customer_links l ON l.tenant_id = o.tenant_id AND l.source_record_id = o.source_record_id
           JOIN products po ON po.tenant_id = o.tenant_id AND po.id = o.product_id
          WHERE o.tenant_id = $1 AND o.status = 'offered' AND o.id > $2
          ORDER BY o.id LIMIT $3)
       SELECT f.customer_id AS "customerId", f.offer_id AS "offerAccountId", f.name AS "offerProduct", f.division_id AS "offerDivision", f.category,
              coalesce(array_agg(DISTINCT ph.name ORDER BY ph.name) FILTER (WHERE ph.id IS NOT NULL), '{}') AS "heldProducts",
              coalesce(array_agg(DISTINCT h.division_id::text) FILTER (WHERE ph.id IS NOT NULL), '{}') AS "heldDivisions"
         FROM offers f
         LEFT JOIN customer_links l2 ON l2.tenant_id = $1 AND l2.customer_id = f.customer_id
         LEFT JOIN accounts h ON h.tenant_id = $1 AND h.source_record_id = l2.source_record_id AND h.status = 'open'
         LEFT JOIN products ph ON ph.tenant_id = $1 AND ph.id = h.product_id AND ph.category = f.category
        GROUP BY f.customer_id, f.offer_id, f.name, f.division_id, f.category
        ORDER BY f.offer_id`,
      [tenantId, after, limit],
    );
  }

  /** Open alarms of some kinds (for some customers), by key, to compare a pass's findings with. */
  private async openAlarms(tenantId: string, kinds: readonly AlarmRow['kind'][], customerIds?: string[]): Promise<Map<string, OpenAlarm>> {
    const rows = await this.db.query<{ id: string; kind: string; customer_id: string; subject_key: string; severity: string; reason: string }>(
      `SELECT id, kind, customer_id, subject_key, severity, reason FROM service_alarms
        WHERE tenant_id = $1 AND resolved_at IS NULL AND kind = ANY($2::text[]) ${customerIds ? 'AND customer_id = ANY($3::uuid[])' : ''}`,
      customerIds ? [tenantId, kinds, customerIds] : [tenantId, kinds],
    );
    return new Map(rows.map((r) => [alarmKey(r.kind, r.customer_id, r.subject_key), { id: r.id, severity: r.severity, reason: r.reason, seen: false }]));
  }

  /**
   * Writes only what changed: an alarm still open with the same reason is left alone (a million unchanged
   * alarms would otherwise be rewritten every night); new, changed and reopened ones go through one upsert.
   */
  private async reconcile(tenantId: string, alarms: RaisedAlarm[], open: Map<string, OpenAlarm>, now: Date, result: AlarmRunResult) {
    const changed: RaisedAlarm[] = [];
    for (const a of alarms) {
      result.raised[a.kind] = (result.raised[a.kind] ?? 0) + 1;
      const known = open.get(alarmKey(a.kind, a.customerId, a.subjectKey));
      if (known) known.seen = true;
      if (!known || known.reason !== a.reason || known.severity !== a.severity) changed.push(a);
    }
    if (!changed.length) return;
    await breathe();
    const rows = await this.db.query<{ inserted: boolean }>(
      `INSERT INTO service_alarms (tenant_id, id, kind, customer_id, subject_key, severity, reason, details, case_id, first_raised_at, last_seen_at, resolved_at)
       SELECT $1, v.id, v.kind, v.customer_id, v.subject_key, v.severity, v.reason, v.details::jsonb, v.case_id, $2, $2, NULL
         FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::uuid[]) AS v(id, kind, customer_id, subject_key, severity, reason, details, case_id)
       ON CONFLICT (tenant_id, kind, customer_id, subject_key) DO UPDATE SET
         severity = EXCLUDED.severity, reason = EXCLUDED.reason, details = EXCLUDED.details, case_id = EXCLUDED.case_id, last_seen_at = EXCLUDED.last_seen_at,
         first_raised_at = CASE WHEN service_alarms.resolved_at IS NULL THEN service_alarms.first_raised_at ELSE EXCLUDED.first_raised_at END,
         resolved_at = NULL
       RETURNING (xmax = 0) AS inserted`,
      [
        tenantId,
        now.toISOString(),
        changed.map(() => newId()),
        changed.map((a) => a.kind),
        changed.map((a) => a.customerId),
        changed.map((a) => a.subjectKey),
        changed.map((a) => a.severity),
        changed.map((a) => a.reason),
        changed.map((a) => JSON.stringify(a.details)),
        changed.map((a) => a.caseId),
      ],
    );
    result.newAlarms += rows.filter((r) => r.inserted).length;
  }

  private async resolve(tenantId: string, ids: string[], now: Date, result: AlarmRunResult) {
    for (let i = 0; i < ids.length; i += 2000) {
      await breathe();
      await this.db.query(`UPDATE service_alarms SET resolved_at = $2 WHERE tenant_id = $1 AND id = ANY($3::uuid[]) AND resolved_at IS NULL`, [tenantId, now.toISOString(), ids.slice(i, i + 2000)]);
    }
    result.resolved += ids.length;
  }

  private scope(actor: Actor): SQL | undefined {
    const divisions = scopedDivisionIds(actor);
    if (!divisions) return undefined;
    return sql`EXISTS (SELECT 1 FROM ${goldenCustomers} g WHERE g.tenant_id = ${serviceAlarms.tenantId} AND g.id = ${serviceAlarms.customerId} AND g.division_ids && ${`{${divisions.join(',')}}`}::uuid[])`;
  }

  /** Open alarms, newest first; a division-scoped person sees those of customers their divisions know. */
  async list(actor: Actor, q: { kind?: AlarmRow['kind']; customerId?: string; includeResolved?: boolean; limit: number; cursor?: string }) {
    if (!actor.can('alarms', 'read')) throw new ForbiddenError('you may not read alarms');
    const cursor = decodeCursor(q.cursor);
    const rows = await this.db.orm.select().from(serviceAlarms).where(and(
      eq(serviceAlarms.tenantId, actor.tenantId),
      q.includeResolved ? undefined : isNull(serviceAlarms.resolvedAt),
      q.kind ? eq(serviceAlarms.kind, q.kind) : undefined,
      q.customerId ? eq(serviceAlarms.customerId, q.customerId) : undefined,
      cursor ? lt(serviceAlarms.id, cursor.id) : undefined,
      this.scope(actor),
    )).orderBy(desc(serviceAlarms.id)).limit(q.limit + 1);
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > q.limit && last ? encodeCursor({ v: null, id: last.id }) : null };
  }
}
