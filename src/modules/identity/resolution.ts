import { refreshStatistics } from '../../core/db/statistics.js';
import type { Database } from '../../core/db/engine.js';
import type { Actor } from '../../core/actor.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { NormalisedPerson } from './canonical.js';
import type { FellegiSunterModel } from './em.js';
import { foldText } from './normalise.js';
import type { ResolvedLink, ResolveRecord } from './pipeline.js';
import { resolverThread, type WorkerResolveResult } from './resolverWorker.js';
import { defaultSettings, type ResolutionSettings } from './settings.js';
import { survive, type GoldenRecord } from './survivorship.js';

/**
 * The database shell around the pure resolution pipeline: loads source records, manual decisions and the
 * previous assignment, runs the pipeline, and writes golden customers, links, review pairs and cluster history.
 * Source records are only read, never altered.
 */

const LOAD_PAGE = 50_000;
const WRITE_BATCH = 5_000;

interface RecordRow {
  id: string;
  source_code: string;
  division_id: string;
  updated_at: Date;
  kind: 'person' | 'organisation';
  external_id: string;
  given_name: string | null;
  family_name: string | null;
  full_name: string | null;
  search_name: string;
  date_of_birth: string | null;
  email: string | null;
  phone: string | null;
  street_number: string | null;
  address_line1: string | null;
  address_line2: string | null;
  locality: string | null;
  postcode: string | null;
  region: string | null;
  country: string | null;
  national_id: string | null;
}

const RECORD_SELECT = `
  SELECT r.id, s.code AS source_code, s.division_id, r.updated_at, r.kind, r.external_id, r.given_name, r.family_name,
         r.full_name, r.search_name, r.date_of_birth::text AS date_of_birth, r.email, r.phone, r.street_number,
         r.address_line1, r.address_line2, r.locality, r.postcode, r.region, r.country, r.national_id
    FROM source_records r
    JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id`;

function toResolveRecord(r: RecordRow): ResolveRecord & { kind: RecordRow['kind'] } {
  const person: NormalisedPerson = {
    externalId: r.external_id,
    givenName: r.given_name,
    familyName: r.family_name,
    fullName: r.full_name,
    searchName: r.search_name,
    dateOfBirth: r.date_of_birth,
    email: r.email,
    phone: r.phone,
    streetNumber: r.street_number,
    addressLine1: r.address_line1,
    addressLine2: r.address_line2,
    locality: r.locality,
    postcode: r.postcode,
    region: r.region,
    country: r.country,
    nationalId: r.national_id,
  };
  return { id: r.id, source: r.source_code, division: r.division_id, updatedAt: new Date(r.updated_at).toISOString(), person, kind: r.kind };
}

export interface RunSummary {
  runId: string;
  mode: 'full' | 'incremental';
  records: number;
  customers: number;
  created: number;
  changed: number;
  retired: number;
  autoLinks: number;
  reviewPairs: number;
  pairsCompared: number;
  seconds: number;
  stats: WorkerResolveResult['stats'];
}

type Progress = (done: number, total?: number) => Promise<void> | void;

export class ResolutionService {
  constructor(
    private readonly db: Database,
    private readonly settings: ResolutionSettings = defaultSettings(),
  ) {}

  private requireWrite(actor: Actor) {
    if (!actor.can('resolution', 'write')) throw new ForbiddenError(`role ${actor.role} may not change how records are resolved`);
  }

  private async sources(tenantId: string) {
    const rows = await this.db.query<{ code: string; unique_per_person: boolean; priority: number }>(
      'SELECT code, unique_per_person, priority FROM source_systems WHERE tenant_id = $1 ORDER BY priority, code',
      [tenantId],
    );
    return { unique: rows.filter((r) => r.unique_per_person).map((r) => r.code), priority: rows.map((r) => r.code) };
  }

  private async loadRecords(tenantId: string, where = '', params: unknown[] = [], progress?: Progress) {
    const out: (ResolveRecord & { kind: RecordRow['kind'] })[] = [];
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await this.db.query<RecordRow>(
        `${RECORD_SELECT} WHERE r.tenant_id = $1 AND r.id > $2 ${where} ORDER BY r.id LIMIT ${LOAD_PAGE}`,
        [tenantId, after, ...params],
      );
      for (const r of page) out.push(toResolveRecord(r));
      await progress?.(out.length);
      if (page.length < LOAD_PAGE) return out;
      after = page[page.length - 1].id;
    }
  }

  private async previousAssignment(tenantId: string) {
    const rows = await this.db.query<{ source_record_id: string; customer_id: string }>(
      'SELECT source_record_id, customer_id FROM customer_links WHERE tenant_id = $1',
      [tenantId],
    );
    return new Map(rows.map((r) => [r.source_record_id, r.customer_id]));
  }

  private async decisions(tenantId: string) {
    const rows = await this.db.query<{ record_a: string; record_b: string; decision: 'same' | 'different' }>(
      'SELECT record_a, record_b, decision FROM match_decisions WHERE tenant_id = $1',
      [tenantId],
    );
    return {
      mustLink: rows.filter((r) => r.decision === 'same').map((r) => [r.record_a, r.record_b] as [string, string]),
      cannotLink: rows.filter((r) => r.decision === 'different').map((r) => [r.record_a, r.record_b] as [string, string]),
    };
  }

  private async lastRun(tenantId: string) {
    const [row] = await this.db.query<{ id: string; watermark: Date | null; model: FellegiSunterModel | null }>(
      "SELECT id, watermark, model FROM resolution_runs WHERE tenant_id = $1 AND finished_at IS NOT NULL ORDER BY started_at DESC LIMIT 1",
      [tenantId],
    );
    return row ?? null;
  }

  /**
   * Resolves the tenant's records. Incremental (the default) compares only records changed since the last run
   * against everyone; with no previous run, or `full`, everything is recomputed (ids of surviving clusters kept).
   */
  async run(actor: Actor, opts: { full?: boolean; progress?: Progress } = {}): Promise<RunSummary> {
    this.requireWrite(actor);
    const started = Date.now();
    const tenantId = actor.tenantId;
    const watermark = new Date();
    const last = await this.lastRun(tenantId);
    // The resolver thread keeps each tenant's index between runs, stamped with the run's watermark: an
    // incremental run compares only the new records against it (no reload, no retraining).
    const lastStamp = last?.watermark ? new Date(last.watermark).toISOString() : null;
    const stamp = watermark.toISOString();
    let incremental = !opts.full && lastStamp !== null && resolverThread.holds(tenantId, lastStamp);
    const runId = newId();
    await this.db.query("INSERT INTO resolution_runs (tenant_id, id, mode) VALUES ($1, $2, $3)", [tenantId, runId, incremental ? 'incremental' : 'full']);
    const [{ total }] = await this.db.query<{ total: number }>('SELECT count(*) AS total FROM source_records WHERE tenant_id = $1', [tenantId]);
    await opts.progress?.(0, total);

    const previous = await this.previousAssignment(tenantId);
    const decisions = await this.decisions(tenantId);
    const sources = await this.sources(tenantId);
    // Only data crosses to the resolver thread: the rule sets (code) are its defaults, the numbers come from here.
    const { comparisons: _c, blockingRules: _b, deterministicRules: _d, ...tunables } = this.settings;
    const settings = { ...tunables, survivorship: { ...this.settings.survivorship, sourcePriority: sources.priority } };

    let result: WorkerResolveResult | null = null;
    let recordsById = new Map<string, ResolveRecord & { kind: RecordRow['kind'] }>();
    if (incremental && lastStamp) {
      const changed = await this.loadRecords(tenantId, "AND (r.updated_at >= $3::timestamptz - interval '5 minutes' OR NOT EXISTS (SELECT 1 FROM customer_links l WHERE l.tenant_id = r.tenant_id AND l.source_record_id = r.id))", [last!.watermark]);
      // (The overlap covers records whose import transaction began before the watermark but committed after it.)
      try {
        result = await resolverThread.incremental(tenantId, lastStamp, stamp, changed, { decisions });
        // Survivorship needs every member of the touched clusters, not only the changed ones.
        const memberIds = result.clusters.flatMap((c) => c.records);
        recordsById = new Map((await this.loadByIds(tenantId, memberIds)).map((r) => [r.id, r]));
      } catch (err) {
        // The thread lost its index (it was restarted between the check and the run): recompute in full.
        if ((err as Error).name !== 'IndexLost') throw err;
        incremental = false;
        await this.db.query("UPDATE resolution_runs SET mode = 'full' WHERE tenant_id = $1 AND id = $2", [tenantId, runId]);
      }
    }
    if (!result) {
      const records = await this.loadRecords(tenantId, '', [], (n) => opts.progress?.(Math.round(n / 4), total));
      recordsById = new Map(records.map((r) => [r.id, r]));
      result = await resolverThread.full(tenantId, stamp, records, { settings, previous, decisions, uniqueSources: sources.unique });
    }
    await opts.progress?.(Math.round(total / 2), total);

    const written = await this.write(tenantId, runId, result, recordsById, previous, incremental ? 'incremental' : 'full', actor, (n) => opts.progress?.(Math.round(total / 2 + n / 2), total));
    // A run may rewrite most of golden_customers and customer_links: the embedded engine has no autovacuum to re-plan for that.
    await refreshStatistics(this.db);
    const stats = result.stats;
    await this.db.query('UPDATE resolution_runs SET finished_at = now(), watermark = $3, model = $4, stats = $5 WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      runId,
      watermark,
      JSON.stringify(result.model),
      JSON.stringify(stats),
    ]);
    await opts.progress?.(total, total);
    return {
      runId,
      mode: incremental ? 'incremental' : 'full',
      records: stats.records,
      customers: result.clusters.length,
      ...written,
      autoLinks: result.autoLinks.length,
      reviewPairs: result.reviewPairs.length,
      pairsCompared: stats.pairsCompared,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      stats,
    };
  }

  private async loadByIds(tenantId: string, ids: string[]) {
    const out: (ResolveRecord & { kind: RecordRow['kind'] })[] = [];
    for (let i = 0; i < ids.length; i += WRITE_BATCH) {
      const rows = await this.db.query<RecordRow>(`${RECORD_SELECT} WHERE r.tenant_id = $1 AND r.id = ANY($2::uuid[])`, [tenantId, ids.slice(i, i + WRITE_BATCH)]);
      out.push(...rows.map(toResolveRecord));
    }
    return out;
  }

  /** Writes the outcome of a run; only rows that actually change are touched. */
  private async write(
    tenantId: string,
    runId: string,
    result: WorkerResolveResult,
    recordsById: Map<string, ResolveRecord & { kind: RecordRow['kind'] }>,
    previous: Map<string, string>,
    mode: 'full' | 'incremental',
    actor: Actor,
    progress: Progress,
  ) {
    const bestLink = new Map<string, ResolvedLink>();
    for (const link of result.autoLinks) {
      for (const id of [link.a, link.b]) {
        const current = bestLink.get(id);
        if (!current || link.probability > current.probability) bestLink.set(id, link);
      }
    }
    const previousMembers = new Map<string, Set<string>>();
    for (const [record, customer] of previous) {
      let s = previousMembers.get(customer);
      if (!s) previousMembers.set(customer, (s = new Set()));
      s.add(record);
    }

    const customers: object[] = [];
    const links: object[] = [];
    const events: object[] = [];
    let created = 0;
    let changed = 0;
    const who = actor.userId ? `user:${actor.userId}` : 'resolver';
    for (const cluster of result.clusters) {
      const members = cluster.records.map((id) => recordsById.get(id)).filter((r): r is NonNullable<typeof r> => !!r);
      if (!members.length) continue;
      customers.push(goldenRow(cluster.id, members, survive(members, this.settings.survivorship)));
      for (const m of members) {
        const link = bestLink.get(m.id);
        links.push({
          source_record_id: m.id,
          customer_id: cluster.id,
          method: link ? link.method : 'seed',
          rule: link?.rule ?? null,
          match_probability: link ? link.probability : null,
          explanation: link?.explanation ?? null,
        });
      }
      const before = previousMembers.get(cluster.id);
      if (!before) {
        created++;
        events.push({ customer_id: cluster.id, event: 'created', source_record_ids: cluster.records, other_customer_id: null });
        continue;
      }
      const added = cluster.records.filter((id) => !before.has(id));
      const removed = [...before].filter((id) => !cluster.records.includes(id) && result.clusterOf.has(id));
      if (added.length) events.push({ customer_id: cluster.id, event: 'records-added', source_record_ids: added, other_customer_id: null });
      if (removed.length) events.push({ customer_id: cluster.id, event: 'records-removed', source_record_ids: removed, other_customer_id: null });
      if (added.length || removed.length) changed++;
    }
    for (const id of result.retiredClusterIds) events.push({ customer_id: id, event: 'retired', source_record_ids: [], other_customer_id: null });

    const total = customers.length + links.length;
    let done = 0;
    for (let i = 0; i < customers.length; i += WRITE_BATCH) {
      await this.upsertCustomers(tenantId, customers.slice(i, i + WRITE_BATCH));
      done += Math.min(WRITE_BATCH, customers.length - i);
      await progress(Math.round((done / total) * (total / 2)));
    }
    for (let i = 0; i < links.length; i += WRITE_BATCH) {
      await this.upsertLinks(tenantId, links.slice(i, i + WRITE_BATCH));
      done += Math.min(WRITE_BATCH, links.length - i);
      await progress(Math.round((done / total) * (total / 2)));
    }
    if (result.retiredClusterIds.length) {
      await this.db.query(
        `UPDATE golden_customers g SET status = 'retired', source_record_count = 0, updated_at = now()
          WHERE g.tenant_id = $1 AND g.id = ANY($2::uuid[])
            AND NOT EXISTS (SELECT 1 FROM customer_links l WHERE l.tenant_id = g.tenant_id AND l.customer_id = g.id)`,
        [tenantId, result.retiredClusterIds],
      );
    }
    for (let i = 0; i < events.length; i += WRITE_BATCH) {
      await this.db.query(
        `INSERT INTO cluster_events (tenant_id, id, customer_id, event, source_record_ids, other_customer_id, actor, reason, run_id)
         SELECT $1, gen_random_uuid(), x.customer_id, x.event, x.source_record_ids, x.other_customer_id, $2, $3, $4
           FROM jsonb_to_recordset($5::jsonb) AS x(customer_id uuid, event text, source_record_ids uuid[], other_customer_id uuid)`,
        [tenantId, who, `${mode} resolution run`, runId, JSON.stringify(events.slice(i, i + WRITE_BATCH).map((e) => ({ ...e, source_record_ids: pgArray((e as { source_record_ids: string[] }).source_record_ids) })))],
      );
    }
    await this.writeReviewPairs(tenantId, result.reviewPairs, mode);
    return { created, changed, retired: result.retiredClusterIds.length };
  }

  private async upsertCustomers(tenantId: string, rows: object[]) {
    await this.db.query(
      `INSERT INTO golden_customers (tenant_id, id, kind, display_name, search_name, given_name, family_name, date_of_birth, email, phone,
                                     address_line1, locality, postcode, country, provenance, division_ids, source_record_count, status)
       SELECT $1, x.id, x.kind, x.display_name, x.search_name, x.given_name, x.family_name, x.date_of_birth, x.email, x.phone,
              x.address_line1, x.locality, x.postcode, x.country, x.provenance, x.division_ids, x.source_record_count, 'active'
         FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, kind text, display_name text, search_name text, given_name text, family_name text,
              date_of_birth date, email text, phone text, address_line1 text, locality text, postcode text, country text, provenance jsonb,
              division_ids uuid[], source_record_count int)
       ON CONFLICT (tenant_id, id) DO UPDATE SET
         kind = excluded.kind, display_name = excluded.display_name, search_name = excluded.search_name, given_name = excluded.given_name,
         family_name = excluded.family_name, date_of_birth = excluded.date_of_birth, email = excluded.email, phone = excluded.phone,
         address_line1 = excluded.address_line1, locality = excluded.locality, postcode = excluded.postcode, country = excluded.country,
         provenance = excluded.provenance, division_ids = excluded.division_ids, source_record_count = excluded.source_record_count,
         status = 'active', updated_at = now()
       WHERE (golden_customers.display_name, golden_customers.given_name, golden_customers.family_name, golden_customers.date_of_birth,
              golden_customers.email, golden_customers.phone, golden_customers.address_line1, golden_customers.postcode,
              golden_customers.division_ids, golden_customers.source_record_count, golden_customers.status, golden_customers.provenance)
         IS DISTINCT FROM (excluded.display_name, excluded.given_name, excluded.family_name, excluded.date_of_birth, excluded.email,
              excluded.phone, excluded.address_line1, excluded.postcode, excluded.division_ids, excluded.source_record_count, 'active', excluded.provenance)`,
      [tenantId, JSON.stringify(rows)],
    );
  }

  private async upsertLinks(tenantId: string, rows: object[]) {
    await this.db.query(
      `INSERT INTO customer_links (tenant_id, source_record_id, customer_id, method, rule, match_probability, explanation)
       SELECT $1, x.source_record_id, x.customer_id, x.method, x.rule, x.match_probability, x.explanation
         FROM jsonb_to_recordset($2::jsonb) AS x(source_record_id uuid, customer_id uuid, method text, rule text, match_probability real, explanation jsonb)
       ON CONFLICT (tenant_id, source_record_id) DO UPDATE SET
         customer_id = excluded.customer_id, method = excluded.method, rule = excluded.rule,
         match_probability = excluded.match_probability, explanation = excluded.explanation, updated_at = now()
       -- A record a person placed keeps its manual link while the run agrees with that placement.
       WHERE customer_links.customer_id <> excluded.customer_id
          OR (customer_links.method <> 'manual'
              AND (customer_links.method, customer_links.rule, customer_links.match_probability)
                  IS DISTINCT FROM (excluded.method, excluded.rule, excluded.match_probability))`,
      [tenantId, JSON.stringify(rows)],
    );
  }

  private async writeReviewPairs(tenantId: string, pairs: ResolvedLink[], mode: 'full' | 'incremental') {
    const rows = pairs.map((p) => {
      const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
      return { record_a: a, record_b: b, match_probability: p.probability, match_weight: p.weight, explanation: { ...(p.explanation ?? {}), refused: p.refused ?? null, rule: p.rule ?? null } };
    });
    if (mode === 'full') {
      // Pairs the model no longer doubts are no longer anyone's work.
      await this.db.query(
        `UPDATE review_pairs SET status = 'superseded', updated_at = now()
          WHERE tenant_id = $1 AND status = 'pending'
            AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS x(record_a uuid, record_b uuid)
                             WHERE x.record_a = review_pairs.record_a AND x.record_b = review_pairs.record_b)`,
        [tenantId, JSON.stringify(rows.map((r) => ({ record_a: r.record_a, record_b: r.record_b })))],
      );
    }
    for (let i = 0; i < rows.length; i += WRITE_BATCH) {
      await this.db.query(
        `INSERT INTO review_pairs (tenant_id, id, record_a, record_b, match_probability, match_weight, explanation)
         SELECT $1, gen_random_uuid(), x.record_a, x.record_b, x.match_probability, x.match_weight, x.explanation
           FROM jsonb_to_recordset($2::jsonb) AS x(record_a uuid, record_b uuid, match_probability real, match_weight real, explanation jsonb)
         ON CONFLICT (tenant_id, record_a, record_b) DO UPDATE SET
           match_probability = excluded.match_probability, match_weight = excluded.match_weight, explanation = excluded.explanation,
           status = CASE WHEN review_pairs.status = 'superseded' THEN 'pending' ELSE review_pairs.status END, updated_at = now()`,
        [tenantId, JSON.stringify(rows.slice(i, i + WRITE_BATCH))],
      );
    }
  }

  // ---- Manual decisions: they always win, now and on every later run ----------------------------------------

  private async recordDecision(q: (t: string, p?: unknown[]) => Promise<unknown[]>, actor: Actor, x: string, y: string, decision: 'same' | 'different', reason: string | null) {
    const [a, b] = x < y ? [x, y] : [y, x];
    await q(
      `INSERT INTO match_decisions (tenant_id, id, record_a, record_b, decision, reason, decided_by)
       VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, record_a, record_b) DO UPDATE SET decision = excluded.decision, reason = excluded.reason,
         decided_by = excluded.decided_by, updated_at = now()`,
      [actor.tenantId, a, b, decision, reason, actor.userId],
    );
  }

  private async membersOf(tenantId: string, customerId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>('SELECT source_record_id AS id FROM customer_links WHERE tenant_id = $1 AND customer_id = $2 ORDER BY source_record_id', [tenantId, customerId]);
    return rows.map((r) => r.id);
  }

  private async customerOf(tenantId: string, recordId: string): Promise<string> {
    const [row] = await this.db.query<{ customer_id: string }>('SELECT customer_id FROM customer_links WHERE tenant_id = $1 AND source_record_id = $2', [tenantId, recordId]);
    if (!row) throw new NotFoundError('resolved source record', recordId);
    return row.customer_id;
  }

  /** Recomputes survivorship for the given customers from their current records. */
  async refreshProfiles(tenantId: string, customerIds: string[]) {
    const rows: object[] = [];
    for (const id of customerIds) {
      const members = await this.loadByIds(tenantId, await this.membersOf(tenantId, id));
      if (members.length) rows.push(goldenRow(id, members, survive(members, this.settings.survivorship)));
      else await this.db.query("UPDATE golden_customers SET status = 'retired', source_record_count = 0, updated_at = now() WHERE tenant_id = $1 AND id = $2", [tenantId, id]);
    }
    if (rows.length) await this.upsertCustomers(tenantId, rows);
  }

  private async event(actor: Actor, customerId: string, event: string, recordIds: string[], other: string | null, reason: string | null) {
    await this.db.query(
      `INSERT INTO cluster_events (tenant_id, id, customer_id, event, source_record_ids, other_customer_id, actor, reason)
       VALUES ($1, gen_random_uuid(), $2, $3, $4::uuid[], $5, $6, $7)`,
      [actor.tenantId, customerId, event, recordIds, other, actor.userId ? `user:${actor.userId}` : 'system', reason],
    );
  }

  /** Merge `otherId` into `customerId`: its records move over and a "same person" decision keeps them together. */
  async merge(actor: Actor, customerId: string, otherId: string, reason: string | null = null) {
    this.requireWrite(actor);
    if (customerId === otherId) throw new ValidationError('a customer cannot be merged with itself', [{ path: 'body/customerId', message: 'same as the target' }]);
    const target = await this.membersOf(actor.tenantId, customerId);
    const moving = await this.membersOf(actor.tenantId, otherId);
    if (!target.length) throw new NotFoundError('customer', customerId);
    if (!moving.length) throw new NotFoundError('customer', otherId);
    await this.db.transaction(async (q) => {
      await this.recordDecision(q, actor, target[0], moving[0], 'same', reason ?? 'merged by hand');
      await q(
        `UPDATE customer_links SET customer_id = $2, method = 'manual', rule = 'merge', updated_at = now()
          WHERE tenant_id = $1 AND customer_id = $3`,
        [actor.tenantId, customerId, otherId],
      );
    });
    await this.refreshProfiles(actor.tenantId, [customerId, otherId]);
    await this.event(actor, customerId, 'merged', moving, otherId, reason);
    await this.event(actor, otherId, 'retired', moving, customerId, `merged into ${customerId}`);
    return { customerId, mergedCustomerId: otherId, movedRecords: moving.length };
  }

  /**
   * Split records out of a customer ("not the same person"). They form one customer of their own - the one they
   * were merged from when this undoes a merge, else a new one - and "different person" decisions keep them apart.
   */
  async split(actor: Actor, customerId: string, recordIds: string[], reason: string | null = null) {
    this.requireWrite(actor);
    const members = await this.membersOf(actor.tenantId, customerId);
    if (!members.length) throw new NotFoundError('customer', customerId);
    const moving = [...new Set(recordIds)];
    const notMembers = moving.filter((id) => !members.includes(id));
    if (notMembers.length) throw new ValidationError('some records do not belong to this customer', notMembers.map((id) => ({ path: 'body/sourceRecordIds', message: `${id} is not one of the customer's records` })));
    const staying = members.filter((id) => !moving.includes(id));
    if (!staying.length) throw new ConflictError('a split must leave at least one record with the customer');
    const restored = await this.mergedFrom(actor.tenantId, customerId, moving);
    const newCustomerId = restored ?? newId();
    await this.db.transaction(async (q) => {
      // Every decision pair between the two sides: later runs cannot pull them back together through any edge.
      for (const a of moving) for (const b of staying) await this.recordDecision(q, actor, a, b, 'different', reason ?? 'split by hand');
      if (!restored) {
        await q("INSERT INTO golden_customers (tenant_id, id, display_name) VALUES ($1, $2, '')", [actor.tenantId, newCustomerId]);
      }
      await q(
        `UPDATE customer_links SET customer_id = $2, method = 'manual', rule = 'split', updated_at = now()
          WHERE tenant_id = $1 AND source_record_id = ANY($3::uuid[])`,
        [actor.tenantId, newCustomerId, moving],
      );
    });
    await this.refreshProfiles(actor.tenantId, [customerId, newCustomerId]);
    await this.event(actor, customerId, 'split', moving, newCustomerId, reason);
    await this.event(actor, newCustomerId, restored ? 'records-added' : 'created', moving, customerId, restored ? 'unmerged: customer restored' : 'split out');
    return { customerId, newCustomerId, restored: !!restored, movedRecords: moving.length };
  }

  /** Undo the most recent merge into this customer, restoring the merged customer with its original id. */
  async unmerge(actor: Actor, customerId: string, reason: string | null = null) {
    const [merge] = await this.db.query<{ source_record_ids: string[] }>(
      "SELECT source_record_ids FROM cluster_events WHERE tenant_id = $1 AND customer_id = $2 AND event = 'merged' ORDER BY created_at DESC LIMIT 1",
      [actor.tenantId, customerId],
    );
    if (!merge) throw new ConflictError('this customer has no merge to undo');
    const members = new Set(await this.membersOf(actor.tenantId, customerId));
    const records = merge.source_record_ids.filter((id) => members.has(id));
    if (!records.length) throw new ConflictError('the merged records are no longer with this customer');
    return this.split(actor, customerId, records, reason ?? 'unmerge');
  }

  /** The retired customer these records were merged from, when they are exactly what a merge brought in. */
  private async mergedFrom(tenantId: string, customerId: string, recordIds: string[]): Promise<string | null> {
    const rows = await this.db.query<{ other_customer_id: string; source_record_ids: string[] }>(
      `SELECT e.other_customer_id, e.source_record_ids FROM cluster_events e
         JOIN golden_customers g ON g.tenant_id = e.tenant_id AND g.id = e.other_customer_id AND g.status = 'retired'
        WHERE e.tenant_id = $1 AND e.customer_id = $2 AND e.event = 'merged' ORDER BY e.created_at DESC`,
      [tenantId, customerId],
    );
    const wanted = [...recordIds].sort().join(',');
    const hit = rows.find((r) => [...r.source_record_ids].sort().join(',') === wanted);
    return hit?.other_customer_id ?? null;
  }

  /** Two records are (not) the same person: applied now and remembered for every later run. */
  async decide(actor: Actor, recordA: string, recordB: string, decision: 'same' | 'different', reason: string | null = null) {
    this.requireWrite(actor);
    if (recordA === recordB) throw new ValidationError('a record is always the same as itself', [{ path: 'body/recordB', message: 'same as recordA' }]);
    const [ca, cb] = [await this.customerOf(actor.tenantId, recordA), await this.customerOf(actor.tenantId, recordB)];
    await this.db.transaction((q) => this.recordDecision(q, actor, recordA, recordB, decision, reason));
    if (decision === 'same' && ca !== cb) return { applied: 'merged' as const, ...(await this.merge(actor, ca, cb, reason ?? 'same person')) };
    if (decision === 'different' && ca === cb) return { applied: 'split' as const, ...(await this.split(actor, ca, [recordB], reason ?? 'not the same person')) };
    return { applied: 'recorded' as const };
  }

  async listReviewPairs(actor: Actor, q: { status: 'pending' | 'accepted' | 'rejected' | 'superseded'; limit: number }) {
    return this.db.query<Record<string, unknown>>(
      `SELECT p.id, p.record_a, p.record_b, p.match_probability, p.match_weight, p.explanation, p.status, p.created_at,
              la.customer_id AS customer_a, lb.customer_id AS customer_b
         FROM review_pairs p
         LEFT JOIN customer_links la ON la.tenant_id = p.tenant_id AND la.source_record_id = p.record_a
         LEFT JOIN customer_links lb ON lb.tenant_id = p.tenant_id AND lb.source_record_id = p.record_b
        WHERE p.tenant_id = $1 AND p.status = $2
        ORDER BY abs(p.match_probability - 0.5), p.id LIMIT $3`,
      [actor.tenantId, q.status, q.limit],
    );
  }

  async reviewPair(actor: Actor, pairId: string, verdict: 'accept' | 'reject', reason: string | null = null) {
    this.requireWrite(actor);
    const [pair] = await this.db.query<{ record_a: string; record_b: string; status: string }>('SELECT record_a, record_b, status FROM review_pairs WHERE tenant_id = $1 AND id = $2', [actor.tenantId, pairId]);
    if (!pair) throw new NotFoundError('review pair', pairId);
    if (pair.status !== 'pending') throw new ConflictError(`this pair was already ${pair.status}`);
    const outcome = await this.decide(actor, pair.record_a, pair.record_b, verdict === 'accept' ? 'same' : 'different', reason);
    await this.db.query('UPDATE review_pairs SET status = $3, decided_by = $4, decided_at = now(), updated_at = now() WHERE tenant_id = $1 AND id = $2', [
      actor.tenantId,
      pairId,
      verdict === 'accept' ? 'accepted' : 'rejected',
      actor.userId,
    ]);
    return outcome;
  }

  async history(actor: Actor, customerId: string) {
    return this.db.query<Record<string, unknown>>(
      'SELECT id, event, source_record_ids, other_customer_id, actor, reason, run_id, created_at FROM cluster_events WHERE tenant_id = $1 AND customer_id = $2 ORDER BY created_at DESC, id LIMIT 200',
      [actor.tenantId, customerId],
    );
  }

  /** One row per source record: how it was linked, for `rapport export links`. Streams in pages. */
  async *exportLinks(tenantId: string) {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.db.query<{ id: string; source: string; external_id: string; customer_id: string | null; method: string | null; rule: string | null; match_probability: number | null }>(
        `SELECT r.id, s.code AS source, r.external_id, l.customer_id, l.method, l.rule, l.match_probability
           FROM source_records r JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id
           LEFT JOIN customer_links l ON l.tenant_id = r.tenant_id AND l.source_record_id = r.id
          WHERE r.tenant_id = $1 AND r.id > $2 ORDER BY r.id LIMIT ${LOAD_PAGE}`,
        [tenantId, after],
      );
      yield* rows;
      if (rows.length < LOAD_PAGE) return;
      after = rows[rows.length - 1].id;
    }
  }

  async *exportCustomers(tenantId: string) {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.db.query<Record<string, unknown> & { id: string }>(
        `SELECT id, kind, display_name, given_name, family_name, date_of_birth::text AS date_of_birth, email, phone, address_line1, locality,
                postcode, country, source_record_count, provenance
           FROM golden_customers WHERE tenant_id = $1 AND status = 'active' AND id > $2 ORDER BY id LIMIT ${LOAD_PAGE}`,
        [tenantId, after],
      );
      yield* rows;
      if (rows.length < LOAD_PAGE) return;
      after = rows[rows.length - 1].id;
    }
  }
}

const pgArray = (ids: string[]) => `{${ids.join(',')}}`;

function goldenRow(id: string, members: (ResolveRecord & { kind: RecordRow['kind'] })[], golden: GoldenRecord) {
  const v = golden.values;
  const display = [v.givenName, v.familyName].filter(Boolean).join(' ') || v.fullName || members[0].person.externalId;
  return {
    id,
    kind: members.some((m) => m.kind === 'organisation') ? 'organisation' : 'person',
    display_name: display,
    search_name: foldText(display),
    given_name: v.givenName ?? null,
    family_name: v.familyName ?? null,
    date_of_birth: v.dateOfBirth ?? null,
    email: v.email ?? null,
    phone: v.phone ?? null,
    address_line1: [v.streetNumber, v.addressLine1].filter(Boolean).join(' ') || null,
    locality: v.locality ?? null,
    postcode: v.postcode ?? null,
    country: v.country ?? null,
    provenance: golden.provenance,
    division_ids: pgArray([...new Set(members.map((m) => m.division!))].sort()),
    source_record_count: members.length,
  };
}
