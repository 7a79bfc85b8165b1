/**
 * The `transactions` import kind: `rapport import FILE --source NAME --kind transactions --map MAPPING.json`.
 * Rows go through the same reader, mapping and two passes as persons (identity/import); this file adds the
 * transaction fields, the row checks and the upsert. A transaction names its customer by that customer's id in
 * the same source system; a customer the source has not sent yet gets a minimal source record (id only), which a
 * later persons import fills in and resolution links like any other.
 */
import { z } from 'zod';
import { newId } from '../../core/ids.js';
import { sha256, stableStringify } from '../identity/import/hashing.js';
import { baseMappingShape, checkBaseMapping, parseWith, type BaseMapping } from '../identity/import/mapping.js';
import type { ImportKind, MappedRow, Query, RowProblem, RowWarning } from '../identity/import/kinds.js';
import { TRANSACTION_KINDS, type TransactionKind } from './schema.js';
import { dayNumber, parseAmount } from './summary.js';

export const TRANSACTION_FIELDS = ['customer_external_id', 'occurred_at', 'amount', 'external_id', 'quantity', 'product', 'currency', 'kind'] as const;
export type TransactionField = (typeof TRANSACTION_FIELDS)[number];
const REQUIRED: TransactionField[] = ['customer_external_id', 'occurred_at', 'amount'];

const transactionsMappingSchema = z
  .strictObject({
    ...baseMappingShape(TRANSACTION_FIELDS),
    constants: z
      .strictObject({
        product: z.string().trim().min(1).max(200).optional(),
        currency: z.string().regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code such as USD').transform((c) => c.toUpperCase()).optional(),
        kind: z.enum(TRANSACTION_KINDS).optional(),
      })
      .default({})
      .describe('values for fields the file does not carry, e.g. {"kind": "fee", "currency": "AUD"}'),
  })
  .superRefine((m, ctx) => {
    checkBaseMapping(m as BaseMapping, 'external_id', Object.keys(m.constants), ctx);
    const mapped = new Set(Object.values(m.columns).map((c) => c.field));
    for (const f of REQUIRED) if (!mapped.has(f)) ctx.addIssue({ code: 'custom', path: ['columns'], message: `map a column to ${f}` });
  });

export type TransactionsMapping = BaseMapping & z.infer<typeof transactionsMappingSchema>;

export interface TransactionRecord {
  id: string;
  externalId: string;
  customerExternalId: string;
  /** ISO 8601 instant (UTC). */
  occurredAt: string;
  amount: number;
  kind: TransactionKind;
  quantity: number | null;
  product: string | null;
  currency: string;
  raw: Record<string, unknown>;
  contentHash: string;
}

/**
 * Without a transaction id column, rows are keyed by content and occurrence (`row-occurrence`): the same file
 * imported twice maps every row to the same key, and two identical rows stay two purchases.
 */
function withDefaultRowKey(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const m = input as { columns?: unknown; externalId?: unknown };
  if (m.externalId !== undefined || !m.columns || typeof m.columns !== 'object') return input;
  const targets = Object.values(m.columns as Record<string, unknown>).map((t) => (typeof t === 'string' ? t : (t as { field?: unknown } | null)?.field));
  return targets.includes('external_id') ? input : { ...m, externalId: { generate: 'row-occurrence' } };
}

const DATE_ONLY = /^(\d{4})-?(\d{2})-?(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}:?\d{2})?$/;

/** An instant from YYYY-MM-DD, YYYYMMDD or an ISO date-time (no offset = UTC); null when unreadable or impossible. */
export function parseInstant(value: string): Date | null {
  const s = value.trim();
  let m = DATE_ONLY.exec(s);
  if (m) {
    const day = dayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
    return day === null ? null : new Date(day * 86_400_000);
  }
  m = DATE_TIME.exec(s);
  if (!m || dayNumber(Number(m[1]), Number(m[2]), Number(m[3])) === null) return null;
  if (Number(m[4]) > 23 || Number(m[5]) > 59) return null;
  const iso = s.replace(' ', 'T');
  const t = Date.parse(m[8] ? iso : `${iso}Z`);
  return Number.isFinite(t) ? new Date(t) : null;
}

function normaliseKind(value: string): TransactionKind | null {
  const k = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return (TRANSACTION_KINDS as readonly string[]).includes(k) ? (k as TransactionKind) : null;
}

interface Checked {
  occurredAt: Date;
  amount: number;
  quantity: number | null;
  kind: TransactionKind;
  currency: string;
}

/** Every check a row must pass, in one place so validate (both passes) and prepare agree. */
function check(row: MappedRow, mapping: TransactionsMapping, now: Date): Checked | RowProblem {
  const f = row.fields;
  if (!f.customer_external_id?.trim()) return { field: 'customer_external_id', reason: 'the customer id is empty' };
  if (f.customer_external_id.length > 256) return { field: 'customer_external_id', reason: 'the customer id is longer than 256 characters' };
  if (!f.occurred_at) return { field: 'occurred_at', reason: 'the date is empty' };
  const occurredAt = parseInstant(f.occurred_at);
  if (!occurredAt) return { field: 'occurred_at', reason: `cannot read ${JSON.stringify(f.occurred_at)} as a date (use YYYY-MM-DD, YYYYMMDD or an ISO date-time)` };
  if (occurredAt.getTime() > now.getTime()) return { field: 'occurred_at', reason: `${f.occurred_at} is in the future` };
  if (f.amount === null || f.amount === undefined) return { field: 'amount', reason: 'the amount is empty' };
  const amount = parseAmount(f.amount);
  if (amount === null) return { field: 'amount', reason: `${JSON.stringify(f.amount)} is not a number` };
  if (amount < 0) return { field: 'amount', reason: `${f.amount} is negative (import a refund as kind "refund" with a positive amount)` };
  if (amount >= 1e14) return { field: 'amount', reason: `${f.amount} is too large` };
  let quantity: number | null = null;
  if (f.quantity) {
    quantity = parseAmount(f.quantity);
    if (quantity === null) return { field: 'quantity', reason: `${JSON.stringify(f.quantity)} is not a number` };
    if (quantity < 0 || quantity >= 1e14) return { field: 'quantity', reason: `${f.quantity} is out of range (0 or more)` };
  }
  const kindText = f.kind ?? mapping.constants.kind ?? 'purchase';
  const kind = normaliseKind(kindText);
  if (!kind) return { field: 'kind', reason: `unknown kind ${JSON.stringify(kindText)}; use one of ${TRANSACTION_KINDS.join(', ')}` };
  const currency = (f.currency ?? mapping.constants.currency ?? 'USD').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) return { field: 'currency', reason: `${JSON.stringify(f.currency)} is not a three-letter currency code` };
  return { occurredAt, amount, quantity, kind, currency };
}

const isProblem = (c: Checked | RowProblem): c is RowProblem => 'reason' in c;

// One statement per batch, rows as one jsonb parameter (as persons do); an unchanged row is a no-op.
const UPSERT_SQL = `
INSERT INTO transactions (tenant_id, id, source_system_id, source_record_id, external_id, occurred_at, amount, kind, quantity, product, currency, raw, content_hash, created_at, updated_at)
SELECT $1, r.id, $2, r.source_record_id, r.external_id, r.occurred_at, r.amount, r.kind, r.quantity, r.product, r.currency, r.raw, r.content_hash, now(), now()
FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, source_record_id uuid, external_id text, occurred_at timestamptz, amount numeric, kind text, quantity numeric, product text, currency text, raw jsonb, content_hash text)
ON CONFLICT (tenant_id, source_system_id, external_id) DO UPDATE SET
  source_record_id = excluded.source_record_id, occurred_at = excluded.occurred_at, amount = excluded.amount, kind = excluded.kind,
  quantity = excluded.quantity, product = excluded.product, currency = excluded.currency, raw = excluded.raw,
  content_hash = excluded.content_hash, updated_at = now()
WHERE transactions.content_hash IS DISTINCT FROM excluded.content_hash
RETURNING (xmax = 0) AS inserted`;

/** Source record ids for the batch's customer ids, creating a minimal record for each one the source has not sent. */
async function customerRecords(q: Query, tenantId: string, sourceSystemId: string, externalIds: string[]): Promise<Map<string, string>> {
  const find = async (ids: string[]) =>
    q<{ id: string; external_id: string }>('SELECT id, external_id FROM source_records WHERE tenant_id = $1 AND source_system_id = $2 AND external_id = ANY($3::text[])', [tenantId, sourceSystemId, ids]);
  const found = new Map((await find(externalIds)).map((r) => [r.external_id, r.id]));
  const missing = externalIds.filter((id) => !found.has(id));
  if (missing.length) {
    // ON CONFLICT DO NOTHING: a concurrent import may create the same customer; the re-read below picks it up.
    await q(
      `INSERT INTO source_records (tenant_id, id, source_system_id, external_id, kind, raw, content_hash)
       SELECT $1, r.id, $2, r.external_id, 'person', jsonb_build_object('createdBy', 'transactions import'), ''
       FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, external_id text)
       ON CONFLICT (tenant_id, source_system_id, external_id) DO NOTHING`,
      [tenantId, sourceSystemId, JSON.stringify(missing.map((external_id) => ({ id: newId(), external_id })))],
    );
    for (const r of await find(missing)) found.set(r.external_id, r.id);
  }
  return found;
}

export const transactionsKind: ImportKind<TransactionsMapping, TransactionRecord> = {
  name: 'transactions',
  idField: 'external_id',

  parseMapping: (input) => parseWith(transactionsMappingSchema, withDefaultRowKey(input)) as TransactionsMapping,

  validate(row, mapping) {
    const c = check(row, mapping, new Date());
    return isProblem(c) ? c : null;
  },

  prepare(row, mapping): { record: TransactionRecord; warnings: RowWarning[] } {
    const c = check(row, mapping, new Date());
    // validate ran first on this row; a row that was valid a moment ago only fails now if the clock moved past it.
    if (isProblem(c)) throw new Error(`row ${row.line} changed validity between passes: ${c.reason}`);
    const f = row.fields;
    const fields = {
      customerExternalId: f.customer_external_id!.trim(),
      occurredAt: c.occurredAt.toISOString(),
      amount: c.amount,
      kind: c.kind,
      quantity: c.quantity,
      product: f.product?.trim() || mapping.constants.product || null,
      currency: c.currency,
    };
    const contentHash = sha256(stableStringify({ ...fields, raw: row.raw }));
    return { record: { id: newId(), externalId: row.externalId, ...fields, raw: row.raw, contentHash }, warnings: [] };
  },

  async writeBatch(q: Query, target, records) {
    if (!records.length) return { inserted: 0, updated: 0, unchanged: 0 };
    const existing = await q<{ external_id: string; content_hash: string }>(
      'SELECT external_id, content_hash FROM transactions WHERE tenant_id = $1 AND source_system_id = $2 AND external_id = ANY($3::text[])',
      [target.tenantId, target.sourceSystemId, records.map((r) => r.externalId)],
    );
    const known = new Map(existing.map((e) => [e.external_id, e.content_hash]));
    const changed = records.filter((r) => known.get(r.externalId) !== r.contentHash);
    if (!changed.length) return { inserted: 0, updated: 0, unchanged: records.length };
    const recordOf = await customerRecords(q, target.tenantId, target.sourceSystemId, [...new Set(changed.map((r) => r.customerExternalId))]);
    const payload = changed.map((r) => ({
      id: r.id,
      source_record_id: recordOf.get(r.customerExternalId),
      external_id: r.externalId,
      occurred_at: r.occurredAt,
      amount: r.amount,
      kind: r.kind,
      quantity: r.quantity,
      product: r.product,
      currency: r.currency,
      raw: r.raw,
      content_hash: r.contentHash,
    }));
    const written = await q<{ inserted: boolean }>(UPSERT_SQL, [target.tenantId, target.sourceSystemId, JSON.stringify(payload)]);
    const inserted = written.filter((w) => w.inserted).length;
    const updated = written.length - inserted;
    return { inserted, updated, unchanged: records.length - inserted - updated };
  },
};
