import { noteChange, type Actor } from '../../core/actor.js';
import type { Database } from '../../core/db/engine.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { HOLDINGS, PAYLOAD_STORES, whereFor, type Category } from './registry.js';
import { tombstoneHash } from './tombstone.js';

type Row = Record<string, unknown>;

export interface SubjectExport {
  subject: { customerId: string; requestedId: string; sourceRecordIds: string[] };
  exportedAt: string;
  /** Erasures of this person: once erased, this is all there is. */
  erasures: Row[];
  /** Rows per table, grouped by category (golden profile with provenance, source records with raw payload, …). */
  data: Partial<Record<Category, Record<string, Row[]>>>;
  /** Audit entries about the customer or their source records. */
  audit: Row[];
}

export interface ErasureResult {
  erasureId: string;
  customerId: string;
  requestRef: string;
  categories: Category[];
  counts: Record<string, number>;
  suppressedSourceRows: number;
}

// Values shorter than this are not scrubbed from payloads: "Li" would take half the audit log with it.
const MIN_VALUE = 4;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Subject access export and erasure: everything the registry (registry.ts) says is held about one person.
 * Only callers with the privacy permission (admin, dpo) may do either, in every division: a data-subject
 * request is about the person, not about one division's view of them.
 */
export class PrivacyService {
  private types = new Map<string, string>();

  constructor(private readonly db: Database) {}

  private require(actor: Actor, action: 'read' | 'write') {
    if (!actor.can('privacy', action)) throw new ForbiddenError('you may not handle data-subject requests (privacy permission needed)');
  }

  /** A golden customer id, or a source record id which resolves to its customer. */
  private async subject(tenantId: string, id: string) {
    const direct = await this.db.query<{ id: string }>('SELECT id FROM golden_customers WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    let customerId = direct[0]?.id;
    if (!customerId) {
      const linked = await this.db.query<{ customer_id: string }>('SELECT customer_id FROM customer_links WHERE tenant_id = $1 AND source_record_id = $2', [tenantId, id]);
      customerId = linked[0]?.customer_id;
    }
    if (!customerId) throw new NotFoundError("customer or source record", id);
    const records = await this.db.query<{ source_record_id: string }>('SELECT source_record_id FROM customer_links WHERE tenant_id = $1 AND customer_id = $2 ORDER BY source_record_id', [tenantId, customerId]);
    const erasures = await this.db.query('SELECT id, customer_id, request_ref, erased_by, erased_at, categories, counts FROM erasure_records WHERE tenant_id = $1 AND customer_id = $2 ORDER BY erased_at', [tenantId, customerId]);
    return { customerId, sourceRecordIds: records.map((r) => r.source_record_id), erasures };
  }

  async export(actor: Actor, id: string): Promise<SubjectExport> {
    this.require(actor, 'read');
    const s = await this.subject(actor.tenantId, id);
    const out: SubjectExport = {
      subject: { customerId: s.customerId, requestedId: id, sourceRecordIds: s.sourceRecordIds },
      exportedAt: new Date().toISOString(),
      erasures: s.erasures,
      data: {},
      audit: [],
    };
    // After an erasure only its record remains to be shown: the anonymous rows say nothing about the person.
    if (s.erasures.length) return out;
    const params = [actor.tenantId, [s.customerId], s.sourceRecordIds];
    for (const h of HOLDINGS) {
      if (h.category === 'privacy') continue;
      const rows = await this.db.query(`SELECT * FROM ${h.table} WHERE ${whereFor(h)}`, params);
      if (!rows.length) continue;
      (out.data[h.category] ??= {})[h.table] = rows;
    }
    out.audit = await this.db.query('SELECT * FROM audit_log WHERE tenant_id = $1 AND resource_id = ANY($2::text[]) ORDER BY at', [actor.tenantId, [s.customerId, ...s.sourceRecordIds]]);
    return out;
  }

  /** Column types, read before the erasure transaction (on PGlite a query outside it would wait for it forever). */
  private async loadTypes() {
    if (this.types.size) return;
    const rows = await this.db.query<{ table_name: string; column_name: string; data_type: string }>('SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()');
    for (const r of rows) this.types.set(`${r.table_name}.${r.column_name}`, r.data_type);
  }

  private columnType(table: string, column: string): string | null {
    return this.types.get(`${table}.${column}`) ?? null;
  }

  /** `col = <col with the subject's values replaced>`, typed for text or jsonb. */
  private scrubExpr(table: string, column: string, param: string): string | null {
    const type = this.columnType(table, column);
    if (type === 'jsonb') return `${column} = regexp_replace(${column}::text, ${param}, '[erased]', 'gi')::jsonb`;
    if (type === 'text') return `${column} = regexp_replace(${column}, ${param}, '[erased]', 'gi')`;
    return null;
  }

  /**
   * Anonymises the person everywhere in one transaction: personal text blanked or replaced, figures kept (so
   * every total and count stays right), source rows tombstoned against re-import, and an erasure record kept.
   */
  async erase(actor: Actor, id: string, requestRef: string): Promise<ErasureResult> {
    this.require(actor, 'write');
    const s = await this.subject(actor.tenantId, id);
    if (s.erasures.length) throw new ConflictError(`customer ${s.customerId} was already erased (request ${String(s.erasures[0].request_ref)})`);
    const tenantId = actor.tenantId;
    const params = [tenantId, [s.customerId], s.sourceRecordIds];

    // What the person is known by, to find copies of it in free text and payloads.
    const known = await this.db.query<Row>(
      `SELECT display_name AS a, given_name AS b, family_name AS c, email AS d, phone AS e, address_line1 AS f, NULL AS g, NULL AS h FROM golden_customers WHERE tenant_id = $1 AND id = ANY($2::uuid[])
       UNION ALL SELECT full_name, given_name, family_name, email, phone, address_line1, national_id, concat_ws(' ', given_name, family_name) FROM source_records WHERE tenant_id = $1 AND id = ANY($3::uuid[])`,
      params,
    );
    const values = [...new Set(known.flatMap((r) => Object.values(r)).filter((v): v is string => typeof v === 'string' && v.trim().length >= MIN_VALUE).map((v) => v.trim()))];
    // Longest first, so "Ada Lovelace" goes as a whole before "Ada" could leave "Lovelace" behind.
    values.sort((a, b) => b.length - a.length);
    const pattern = values.length ? values.map(escapeRegex).join('|') : null;
    const sources = await this.db.query<{ source_system_id: string; external_id: string }>('SELECT source_system_id, external_id FROM source_records WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [tenantId, s.sourceRecordIds]);

    await this.loadTypes();
    const counts: Record<string, number> = {};
    const categories = new Set<Category>();
    const erasureId = newId();
    const outboxes = await this.db.query<{ table_name: string; column_name: string; data_type: string }>(
      "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name LIKE '%outbox' AND data_type IN ('text', 'jsonb')",
    );
    const stores = [...PAYLOAD_STORES];
    for (const o of outboxes) {
      const store = stores.find((x) => x.table === o.table_name) ?? (stores.push({ table: o.table_name, columns: [] }), stores[stores.length - 1]);
      if (!store.columns.includes(o.column_name)) store.columns.push(o.column_name);
    }
    // Payload rows are scrubbed only where they are about the subject: they name one of its ids or a strong
    // identifier (email, phone, national id, full name). Another customer who shares a family name is left alone.
    const ids = [s.customerId, ...s.sourceRecordIds];

    await this.db.transaction(async (q) => {
      for (const h of HOLDINGS) {
        if (h.category === 'privacy') continue;
        const where = whereFor(h);
        let n: number;
        if (h.erase === 'delete') {
          n = (await q<{ n: number }>(`WITH d AS (DELETE FROM ${h.table} WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM d`, params))[0].n;
        } else {
          const sets = h.erase === 'keep' ? [] : Object.entries(h.erase).map(([c, e]) => `${c} = ${e.replace(/\$erased/g, "'[erased]'")}`);
          if (pattern) for (const c of h.scrub ?? []) {
            const e = this.scrubExpr(h.table, c, '$4');
            if (e) sets.push(e);
          }
          if (!sets.length) n = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${h.table} WHERE ${where}`, params))[0].n;
          else {
            const usesPattern = sets.some((x) => x.includes('$4'));
            n = (await q<{ n: number }>(`WITH u AS (UPDATE ${h.table} SET ${sets.join(', ')} WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM u`, usesPattern ? [...params, pattern] : params))[0].n;
          }
        }
        if (n) {
          counts[h.table] = n;
          categories.add(h.category);
        }
      }
      if (pattern) {
        const about = `(${[...ids, ...values].map(escapeRegex).join('|')})`;
        for (const store of stores) {
          for (const c of store.columns) {
            const e = this.scrubExpr(store.table, c, '$2');
            if (!e) continue;
            const type = this.columnType(store.table, c);
            const text = type === 'jsonb' ? `${c}::text` : c;
            const n = (await q<{ n: number }>(`WITH u AS (UPDATE ${store.table} SET ${e} WHERE tenant_id = $1 AND ${text} ~* $3 RETURNING 1) SELECT count(*)::int AS n FROM u`, [tenantId, pattern, about]))[0].n;
            if (n) counts[`${store.table}.${c}`] = n;
          }
        }
      }
      for (const src of sources) {
        await q('INSERT INTO erasure_tombstones (tenant_id, hash) VALUES ($1, $2) ON CONFLICT DO NOTHING', [tenantId, tombstoneHash(tenantId, src.source_system_id, src.external_id)]);
      }
      await q('INSERT INTO erasure_records (tenant_id, id, customer_id, request_ref, erased_by, categories, counts) VALUES ($1, $2, $3, $4, $5, $6::text[], $7::jsonb)', [
        tenantId,
        erasureId,
        s.customerId,
        requestRef,
        `${actor.kind}:${actor.userId ?? 'system'}`,
        [...categories],
        JSON.stringify(counts),
      ]);
    });
    const result: ErasureResult = { erasureId, customerId: s.customerId, requestRef, categories: [...categories], counts, suppressedSourceRows: sources.length };
    // The audit entry carries the erasure record, never what was erased.
    noteChange(actor, { resource: 'privacy', resourceId: s.customerId, action: 'delete', after: result });
    return result;
  }
}
