/**
 * Every table that holds something about one person, how its rows about a subject are found, and what erasure
 * does to them. registry.test.ts compares this list with the database: a new column named *customer_id,
 * *source_record_id(s) or record_a/b that is not listed here fails the build, so no new table escapes export and
 * erasure by being forgotten.
 *
 * Erasure keeps rows that carry figures (amounts, counts, costs, scores, stages) so that every aggregate stays
 * correct, and blanks or replaces the personal text in them; it deletes only rows that are nothing but personal
 * data. `$erased` in an expression is the placeholder text '[erased]'.
 */
export type Category =
  | 'profile'
  | 'source-records'
  | 'identity-resolution'
  | 'holdings'
  | 'interactions'
  | 'service'
  | 'sales'
  | 'economics'
  | 'consents'
  | 'privacy';

/** How rows about the subject are found: by the golden customer id, by one of its source record ids, or through a parent row. */
export type Finder =
  | { column: string; key: 'customer' | 'sourceRecord' }
  | { column: string; key: 'sourceRecordArray' }
  | { column: string; parent: string; parentColumn?: string };

export interface Holding {
  table: string;
  category: Category;
  /** Several finders are ORed (a review pair is about the subject if either of its records is). */
  find: Finder[];
  /** 'keep': nothing personal in it once the profile is anonymised (ids and figures only). */
  erase: 'keep' | 'delete' | Record<string, string>;
  /** Columns also scrubbed of the subject's known values (names, email, phone…) wherever they appear in them. */
  scrub?: string[];
  /** Why this treatment, for the README and the reviewer. */
  why: string;
}

const ERASED = "'[erased]'";

export const HOLDINGS: Holding[] = [
  {
    table: 'golden_customers',
    category: 'profile',
    find: [{ column: 'id', key: 'customer' }],
    erase: {
      display_name: ERASED, search_name: "''", given_name: 'NULL', family_name: 'NULL', date_of_birth: 'NULL', email: 'NULL', phone: 'NULL',
      address_line1: 'NULL', locality: 'NULL', postcode: 'NULL', country: 'NULL', provenance: "'{}'::jsonb",
    },
    why: 'kept as an anonymous row: holdings, economics and sales figures hang off its id',
  },
  {
    table: 'source_records',
    category: 'source-records',
    find: [{ column: 'id', key: 'sourceRecord' }],
    erase: {
      external_id: "'erased:' || id::text", given_name: 'NULL', family_name: 'NULL', full_name: 'NULL', search_name: "''", date_of_birth: 'NULL',
      email: 'NULL', phone: 'NULL', street_number: 'NULL', address_line1: 'NULL', address_line2: 'NULL', locality: 'NULL', postcode: 'NULL',
      region: 'NULL', country: 'NULL', national_id: 'NULL', raw: "'{}'::jsonb", content_hash: "''",
    },
    why: 'kept anonymous: accounts, transactions and interactions reference it; the (source, external id) becomes a hashed tombstone',
  },
  { table: 'customer_links', category: 'identity-resolution', find: [{ column: 'customer_id', key: 'customer' }, { column: 'source_record_id', key: 'sourceRecord' }], erase: { explanation: 'NULL' }, why: 'the link stays (ids only); its explanation compares names' },
  { table: 'match_decisions', category: 'identity-resolution', find: [{ column: 'record_a', key: 'sourceRecord' }, { column: 'record_b', key: 'sourceRecord' }], erase: { reason: 'NULL' }, why: 'a reviewer’s reason may quote the person' },
  { table: 'review_pairs', category: 'identity-resolution', find: [{ column: 'record_a', key: 'sourceRecord' }, { column: 'record_b', key: 'sourceRecord' }], erase: { explanation: "'{}'::jsonb" }, why: 'explanations show both records’ values side by side' },
  { table: 'cluster_events', category: 'identity-resolution', find: [{ column: 'customer_id', key: 'customer' }, { column: 'other_customer_id', key: 'customer' }, { column: 'source_record_ids', key: 'sourceRecordArray' }], erase: { reason: 'NULL' }, why: 'match history: ids and event kinds only once the reason is gone' },
  { table: 'demo_truth', category: 'source-records', find: [{ column: 'source_record_id', key: 'sourceRecord' }], erase: 'delete', why: 'synthetic ground truth keyed by person: nothing to keep' },
  { table: 'accounts', category: 'holdings', find: [{ column: 'source_record_id', key: 'sourceRecord' }], erase: { account_number: "'erased:' || id::text" }, why: 'balances and products stay for the aggregates; the account number identifies the person' },
  { table: 'transactions', category: 'economics', find: [{ column: 'source_record_id', key: 'sourceRecord' }], erase: { raw: "'{}'::jsonb" }, why: 'amounts stay for revenue and profitability; the raw source row goes' },
  { table: 'interactions', category: 'interactions', find: [{ column: 'source_record_id', key: 'sourceRecord' }], erase: { subject: ERASED, outcome: 'NULL' }, why: 'touch point, division, cost and time stay for touch-point figures; the free text goes' },
  { table: 'customer_economics', category: 'economics', find: [{ column: 'customer_id', key: 'customer' }], erase: 'keep', why: 'derived figures keyed by the now anonymous id: division and segment totals must not move' },
  { table: 'cases', category: 'service', find: [{ column: 'customer_id', key: 'customer' }], erase: { subject: ERASED, description: 'NULL', root_cause: 'NULL' }, why: 'case counts and SLA figures stay; free text goes' },
  { table: 'case_events', category: 'service', find: [{ column: 'case_id', parent: 'cases' }], erase: { note: 'NULL', detail: "'{}'::jsonb" }, scrub: ['from_value', 'to_value'], why: 'the timeline stays; notes go' },
  { table: 'care_episodes', category: 'service', find: [{ column: 'customer_id', key: 'customer' }], erase: { note: 'NULL' }, why: 'recovery figures stay' },
  { table: 'recovery_actions', category: 'service', find: [{ column: 'episode_id', parent: 'care_episodes' }], erase: { note: 'NULL' }, why: 'amounts stay for recovery figures' },
  { table: 'assignment_decisions', category: 'service', find: [{ column: 'customer_id', key: 'customer' }], erase: 'keep', why: 'who got the work and why: rules and user ids, nothing about the person' },
  { table: 'relationship_managers', category: 'service', find: [{ column: 'customer_id', key: 'customer' }], erase: 'keep', why: 'ids only' },
  { table: 'customer_stages', category: 'service', find: [{ column: 'customer_id', key: 'customer' }], erase: 'keep', why: 'lifecycle stage counts stay' },
  { table: 'stage_transitions', category: 'service', find: [{ column: 'customer_id', key: 'customer' }], erase: { note: 'NULL' }, why: 'stage history stays for funnel counts' },
  { table: 'service_alarms', category: 'service', find: [{ column: 'customer_id', key: 'customer' }], erase: {}, scrub: ['reason', 'details'], why: 'alarm counts stay; any mention of the person goes' },
  { table: 'service_notifications', category: 'service', find: [{ column: 'customer_id', key: 'customer' }], erase: { message: ERASED }, why: 'messages name the customer' },
  { table: 'service_tasks', category: 'service', find: [{ column: 'customer_id', key: 'customer' }], erase: { title: ERASED, notes: 'NULL' }, why: 'task counts stay; free text goes' },
  { table: 'survey_invitations', category: 'service', find: [{ column: 'customer_id', key: 'customer' }], erase: 'keep', why: 'response rates stay' },
  { table: 'survey_responses', category: 'service', find: [{ column: 'customer_id', key: 'customer' }], erase: { comment: 'NULL' }, scrub: ['answers'], why: 'scores stay for NPS/CSAT; the comment goes' },
  { table: 'sales_opportunities', category: 'sales', find: [{ column: 'customer_id', key: 'customer' }, { column: 'referred_by_customer_id', key: 'customer' }], erase: { prospect: 'NULL' }, scrub: ['name', 'lost_reason'], why: 'pipeline amounts stay; prospect contact data goes' },
  { table: 'sales_opportunity_stage_changes', category: 'sales', find: [{ column: 'opportunity_id', parent: 'sales_opportunities' }], erase: { note: 'NULL' }, why: 'stage history stays' },
  { table: 'sales_quotes', category: 'sales', find: [{ column: 'customer_id', key: 'customer' }], erase: { prospect: 'NULL', title: 'NULL' }, why: 'quote totals stay; contact data goes' },
  { table: 'sales_quote_versions', category: 'sales', find: [{ column: 'quote_id', parent: 'sales_quotes' }], erase: { note: 'NULL', decision_note: 'NULL' }, scrub: ['document'], why: 'the priced document stays; the person’s details in it go' },
  { table: 'sales_orders', category: 'sales', find: [{ column: 'customer_id', key: 'customer' }], erase: { prospect: 'NULL', customer_reference: 'NULL' }, why: 'order totals stay; contact data goes' },
  { table: 'sales_order_lines', category: 'sales', find: [{ column: 'order_id', parent: 'sales_orders' }], erase: 'keep', why: 'products and amounts' },
  { table: 'sales_order_events', category: 'sales', find: [{ column: 'order_id', parent: 'sales_orders' }], erase: {}, scrub: ['data'], why: 'fulfilment history stays' },
  { table: 'sales_order_routes', category: 'sales', find: [{ column: 'order_id', parent: 'sales_orders' }], erase: 'keep', why: 'fulfiller, dates and costs' },
  { table: 'customer_consents', category: 'consents', find: [{ column: 'customer_id', key: 'customer' }], erase: { note: 'NULL' }, why: 'what the customer allowed stays as proof; the free-text note goes' },
  { table: 'erasure_records', category: 'privacy', find: [{ column: 'customer_id', key: 'customer' }], erase: 'keep', why: 'the erasure record itself: who, when, which request, what categories — nothing personal' },
];

/**
 * Stores that hold copies of personal data without a customer column (payloads, logs): scrubbed of the subject's
 * known values wherever they appear. Tables whose name ends in "outbox" are added at run time, so a general
 * webhook outbox is covered as soon as it lands.
 */
export const PAYLOAD_STORES: { table: string; columns: string[] }[] = [
  { table: 'audit_log', columns: ['before', 'after'] },
  { table: 'jobs', columns: ['params', 'result', 'error'] },
  { table: 'sales_outbox', columns: ['payload', 'last_error'] },
  { table: 'webhook_events', columns: ['payload'] },
];

/** The column names that say "this row is about a customer or a source record". */
export const SUBJECT_COLUMN = /(^|_)customer_id$|(^|_)source_record_ids?$|^record_[ab]$/;

export const holding = (table: string) => {
  const h = HOLDINGS.find((x) => x.table === table);
  if (!h) throw new Error(`no holding ${table}`);
  return h;
};

/**
 * The WHERE clause that finds a table's rows about the subject: $1 tenant, $2 customer ids, $3 source record ids.
 */
export function whereFor(h: Holding, alias = h.table): string {
  const parts = h.find.map((f) => {
    if ('key' in f) {
      if (f.key === 'customer') return `${alias}.${f.column} = ANY($2::uuid[])`;
      if (f.key === 'sourceRecord') return `${alias}.${f.column} = ANY($3::uuid[])`;
      return `${alias}.${f.column} && $3::uuid[]`;
    }
    const parent = holding(f.parent);
    return `${alias}.${f.column} IN (SELECT p.${f.parentColumn ?? 'id'} FROM ${parent.table} p WHERE p.tenant_id = $1 AND (${whereFor(parent, 'p')}))`;
  });
  // Both id lists are always referenced, so every holding's query takes the same three parameters.
  return `${alias}.tenant_id = $1 AND $2::uuid[] IS NOT NULL AND $3::uuid[] IS NOT NULL AND (${parts.join(' OR ')})`;
}
