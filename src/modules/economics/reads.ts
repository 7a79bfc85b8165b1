/**
 * The set-wise reads economics makes: transactions rolled up to golden customers through customer_links, and the
 * interactions and cases that cost money to serve them. Scoring needs every customer at once, which a
 * per-customer service call cannot give; these are read-only aggregates over the other capabilities' tables,
 * kept in this one file so that the coupling is visible in one place.
 */
import type { Database } from '../../core/db/engine.js';
import type { ContactSums, TransactionSums } from './profitability.js';
import type { Transaction } from './summary.js';

/** Whose purchases: golden customers (through customer_links), or one source system's own records. */
export type CustomerScope = { kind: 'golden' } | { kind: 'source'; sourceSystemId: string };

const MS_PER_DAY = 86_400_000;

/** The instant a calendar day ends (UTC midnight of the next day), as ISO. */
export function endOfDay(isoDate: string): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + MS_PER_DAY).toISOString();
}

export function daysBefore(instant: string, days: number): string {
  return new Date(Date.parse(instant) - days * MS_PER_DAY).toISOString();
}

/**
 * The customers in scope, in id order: scoring reads them in chunks of this list, so that on PGlite (which runs
 * on the API's thread) no single query holds the event loop for long.
 */
export async function scopeKeys(db: Database, tenantId: string, scope: CustomerScope): Promise<string[]> {
  const rows =
    scope.kind === 'golden'
      ? await db.query<{ id: string }>(`SELECT id::text AS id FROM golden_customers WHERE tenant_id = $1 AND status = 'active' ORDER BY id`, [tenantId])
      : await db.query<{ id: string }>(`SELECT id::text AS id FROM source_records WHERE tenant_id = $1 AND source_system_id = $2 ORDER BY id`, [tenantId, scope.sourceSystemId]);
  return rows.map((r) => r.id);
}

/**
 * Purchase occasions of the given customers up to the end of `until`: one row per customer and UTC day with the
 * day's total. The summary merges same-day purchases anyway, so summing them in the database only saves rows.
 * Ordered, so that the same purchases always give the same summary order and the fits the same floating-point sums.
 */
export async function eventLog(db: Database, tenantId: string, scope: CustomerScope, keys: readonly string[], until: string, kinds: readonly string[]): Promise<Transaction[]> {
  const [key, join, where] =
    scope.kind === 'golden'
      ? ['l.customer_id', 'JOIN customer_links l ON l.tenant_id = t.tenant_id AND l.source_record_id = t.source_record_id', 'l.customer_id = ANY($4::uuid[])']
      : ['t.source_record_id', '', 't.source_record_id = ANY($4::uuid[])'];
  const rows = await db.query<{ id: string; day: string; amount: number }>(
    `SELECT id::text AS id, to_char(day, 'YYYY-MM-DD') AS day, amount::float8 AS amount FROM (
       SELECT ${key} AS id, (t.occurred_at AT TIME ZONE 'UTC')::date AS day, sum(t.amount) AS amount
         FROM transactions t ${join}
        WHERE t.tenant_id = $1 AND t.kind = ANY($2::text[]) AND t.occurred_at < $3::timestamptz AND ${where}
        GROUP BY 1, 2) days
      ORDER BY id, day`,
    [tenantId, kinds, endOfDay(until), keys],
  );
  return rows.map((r) => ({ customerId: r.id, date: r.day, amount: r.amount }));
}

/** First and last purchase day in scope, whatever the calibration end; nulls when there is none. */
export async function purchaseSpan(db: Database, tenantId: string, scope: CustomerScope, kinds: readonly string[]): Promise<{ first: string | null; last: string | null }> {
  const [join, where, params] =
    scope.kind === 'golden'
      ? ['JOIN customer_links l ON l.tenant_id = t.tenant_id AND l.source_record_id = t.source_record_id', '', []]
      : ['', 'AND t.source_system_id = $3', [scope.sourceSystemId]];
  const [span] = await db.query<{ first: string | null; last: string | null }>(
    `SELECT to_char(min(t.occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS first, to_char(max(t.occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS last
       FROM transactions t ${join} WHERE t.tenant_id = $1 AND t.kind = ANY($2::text[]) ${where}`,
    [tenantId, kinds, ...params],
  );
  return { first: span?.first ?? null, last: span?.last ?? null };
}

/** Source records with transactions but no golden customer yet (imported since the last resolution). */
export async function unresolvedBuyers(db: Database, tenantId: string): Promise<number> {
  // Walks the records without a link (few, after a resolution) and probes each one's transactions by index.
  const [u] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM source_records r
      WHERE r.tenant_id = $1
        AND NOT EXISTS (SELECT 1 FROM customer_links l WHERE l.tenant_id = r.tenant_id AND l.source_record_id = r.id)
        AND EXISTS (SELECT 1 FROM transactions t WHERE t.tenant_id = r.tenant_id AND t.source_record_id = r.id)`,
    [tenantId],
  );
  return u.n;
}

export interface ProfitWindows {
  /** End of the calibration day (exclusive). */
  end: string;
  profitFrom: string;
  recentFrom: string;
  previousFrom: string;
}

/**
 * Transaction sums per golden customer, division, kind and product over the windows profitability needs; margins
 * are applied afterwards (profitability.ts), per product, on a few rows per customer instead of on every transaction.
 */
export async function transactionSums(db: Database, tenantId: string, w: ProfitWindows, customerIds: readonly string[]): Promise<TransactionSums[]> {
  return db.query<TransactionSums>(
    `SELECT l.customer_id::text AS "customerId", ss.division_id::text AS "divisionId", t.kind, t.product,
            coalesce(sum(t.amount) FILTER (WHERE t.occurred_at >= $3::timestamptz), 0)::float8 AS "window",
            coalesce(sum(t.amount) FILTER (WHERE t.occurred_at >= $4::timestamptz), 0)::float8 AS recent,
            coalesce(sum(t.amount) FILTER (WHERE t.occurred_at >= $5::timestamptz AND t.occurred_at < $4::timestamptz), 0)::float8 AS previous,
            sum(t.amount)::float8 AS lifetime
       FROM transactions t
       JOIN customer_links l ON l.tenant_id = t.tenant_id AND l.source_record_id = t.source_record_id
       JOIN source_systems ss ON ss.tenant_id = t.tenant_id AND ss.id = t.source_system_id
      WHERE t.tenant_id = $1 AND t.occurred_at < $2::timestamptz AND l.customer_id = ANY($6::uuid[])
      GROUP BY 1, 2, 3, 4`,
    [tenantId, w.end, w.profitFrom, w.recentFrom, w.previousFrom, customerIds],
  );
}

/** Interactions per golden customer, division and touch point over the profit window. */
export async function interactionSums(db: Database, tenantId: string, w: ProfitWindows, customerIds: readonly string[]): Promise<ContactSums[]> {
  return db.query<ContactSums>(
    `SELECT l.customer_id::text AS "customerId", i.division_id::text AS "divisionId", i.touch_point AS "touchPoint",
            count(*)::int AS count, coalesce(sum(i.cost), 0)::float8 AS "recordedCost"
       FROM interactions i JOIN customer_links l ON l.tenant_id = i.tenant_id AND l.source_record_id = i.source_record_id
      WHERE i.tenant_id = $1 AND i.occurred_at >= $2::timestamptz AND i.occurred_at < $3::timestamptz AND l.customer_id = ANY($4::uuid[])
      GROUP BY 1, 2, 3`,
    [tenantId, w.profitFrom, w.end, customerIds],
  );
}

/** Service cases opened per customer, division and touch point over the profit window. */
export async function caseSums(db: Database, tenantId: string, w: ProfitWindows, customerIds: readonly string[]): Promise<ContactSums[]> {
  return db.query<ContactSums>(
    `SELECT c.customer_id::text AS "customerId", c.division_id::text AS "divisionId", c.touch_point AS "touchPoint", count(*)::int AS count, 0::float8 AS "recordedCost"
       FROM cases c WHERE c.tenant_id = $1 AND c.customer_id = ANY($4::uuid[]) AND c.opened_at >= $2::timestamptz AND c.opened_at < $3::timestamptz
      GROUP BY 1, 2, 3`,
    [tenantId, w.profitFrom, w.end, customerIds],
  );
}

/** The product families (products.category) each customer holds through an open account, in any division. */
export async function heldFamilies(db: Database, tenantId: string, customerIds: readonly string[]): Promise<{ customerId: string; category: string }[]> {
  return db.query<{ customerId: string; category: string }>(
    `SELECT DISTINCT l.customer_id::text AS "customerId", p.category
       FROM accounts a
       JOIN products p ON p.tenant_id = a.tenant_id AND p.id = a.product_id
       JOIN customer_links l ON l.tenant_id = a.tenant_id AND l.source_record_id = a.source_record_id
      WHERE a.tenant_id = $1 AND a.status = 'open' AND l.customer_id = ANY($2::uuid[])`,
    [tenantId, customerIds],
  );
}

/** Product code → family, to attribute transaction revenue (which names its product by code) to families. */
export async function productFamilies(db: Database, tenantId: string): Promise<Map<string, string>> {
  const rows = await db.query<{ code: string; category: string }>('SELECT code, category FROM products WHERE tenant_id = $1', [tenantId]);
  return new Map(rows.map((r) => [r.code, r.category]));
}
