import { date, integer, foreignKey, index, jsonb, pgTable, primaryKey, real, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantColumns, timestamps } from '../../core/db/columns.js';
import { sourceSystems } from '../org/schema.js';

/**
 * What one division's system says about one person, exactly as imported (`raw`) plus the normalised fields
 * that matching compares. Resolution never alters these rows.
 */
export const sourceRecords = pgTable(
  'source_records',
  {
    ...tenantColumns,
    sourceSystemId: uuid('source_system_id').notNull(),
    externalId: text('external_id').notNull(),
    kind: text('kind', { enum: ['person', 'organisation'] }).notNull().default('person'),
    givenName: text('given_name'),
    familyName: text('family_name'),
    fullName: text('full_name'),
    /** Lower-case, accent-free "given family" used for trigram search. */
    searchName: text('search_name').notNull().default(''),
    dateOfBirth: date('date_of_birth', { mode: 'string' }),
    email: text('email'),
    /** E.164 */
    phone: text('phone'),
    streetNumber: text('street_number'),
    addressLine1: text('address_line1'),
    addressLine2: text('address_line2'),
    locality: text('locality'),
    postcode: text('postcode'),
    region: text('region'),
    country: text('country'),
    nationalId: text('national_id'),
    raw: jsonb('raw').$type<Record<string, unknown>>().notNull().default({}),
    /** Hash of the normalised content: an unchanged re-import is a no-op. */
    contentHash: text('content_hash').notNull().default(''),
    sourceUpdatedAt: timestamp('source_updated_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('source_records_external_uq').on(t.tenantId, t.sourceSystemId, t.externalId),
    foreignKey({ columns: [t.tenantId, t.sourceSystemId], foreignColumns: [sourceSystems.tenantId, sourceSystems.id] }),
    index('source_records_search_trgm').using('gist', t.searchName.op('gist_trgm_ops')),
    index('source_records_email_idx').on(t.tenantId, t.email),
    index('source_records_national_id_idx').on(t.tenantId, t.nationalId),
    index('source_records_updated_idx').on(t.tenantId, t.updatedAt),
  ],
);

/** The one customer that several source records turn out to be. */
export const goldenCustomers = pgTable(
  'golden_customers',
  {
    ...tenantColumns,
    kind: text('kind', { enum: ['person', 'organisation'] }).notNull().default('person'),
    displayName: text('display_name').notNull(),
    searchName: text('search_name').notNull().default(''),
    givenName: text('given_name'),
    familyName: text('family_name'),
    dateOfBirth: date('date_of_birth', { mode: 'string' }),
    email: text('email'),
    phone: text('phone'),
    addressLine1: text('address_line1'),
    locality: text('locality'),
    postcode: text('postcode'),
    country: text('country'),
    /** Per field: the source record, division and time the surviving value came from. */
    provenance: jsonb('provenance').$type<Record<string, unknown>>().notNull().default({}),
    /** Divisions holding at least one of this customer's records: the access check for division-scoped staff. */
    divisionIds: uuid('division_ids').array().notNull().default([]),
    sourceRecordCount: integer('source_record_count').notNull().default(0),
    status: text('status', { enum: ['active', 'retired'] }).notNull().default('active'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('golden_customers_search_trgm').using('gist', t.searchName.op('gist_trgm_ops')),
    index('golden_customers_family_idx').on(t.tenantId, t.familyName, t.id),
    index('golden_customers_divisions_gin').using('gin', t.divisionIds),
    index('golden_customers_name_idx').on(t.tenantId, t.displayName, t.id),
  ],
);

/** Which golden customer a source record belongs to now, and why. One row per source record. */
export const customerLinks = pgTable(
  'customer_links',
  {
    tenantId: text('tenant_id').notNull(),
    sourceRecordId: uuid('source_record_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    method: text('method', { enum: ['seed', 'deterministic', 'probabilistic', 'manual'] }).notNull(),
    rule: text('rule'),
    matchProbability: real('match_probability'),
    explanation: jsonb('explanation'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.sourceRecordId] }),
    index('customer_links_customer_idx').on(t.tenantId, t.customerId),
    foreignKey({ columns: [t.tenantId, t.sourceRecordId], foreignColumns: [sourceRecords.tenantId, sourceRecords.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [goldenCustomers.tenantId, goldenCustomers.id] }),
  ],
);

/** A person's decision about two records; always wins over automatic matching on every later run. */
export const matchDecisions = pgTable(
  'match_decisions',
  {
    ...tenantColumns,
    recordA: uuid('record_a').notNull(),
    recordB: uuid('record_b').notNull(),
    decision: text('decision', { enum: ['same', 'different'] }).notNull(),
    reason: text('reason'),
    decidedBy: uuid('decided_by'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Stored with record_a < record_b so a pair has one row; a new decision replaces the old one.
    unique('match_decisions_pair_uq').on(t.tenantId, t.recordA, t.recordB),
  ],
);

/** Pairs whose match probability fell between the two thresholds: a person decides. */
export const reviewPairs = pgTable(
  'review_pairs',
  {
    ...tenantColumns,
    recordA: uuid('record_a').notNull(),
    recordB: uuid('record_b').notNull(),
    matchProbability: real('match_probability').notNull(),
    matchWeight: real('match_weight'),
    explanation: jsonb('explanation').notNull().default({}),
    status: text('status', { enum: ['pending', 'accepted', 'rejected', 'superseded'] }).notNull().default('pending'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('review_pairs_pair_uq').on(t.tenantId, t.recordA, t.recordB),
    index('review_pairs_status_idx').on(t.tenantId, t.status, t.matchProbability),
  ],
);

/** Every change to a cluster, with who or what made it and why. */
export const clusterEvents = pgTable(
  'cluster_events',
  {
    ...tenantColumns,
    customerId: uuid('customer_id').notNull(),
    event: text('event', { enum: ['created', 'records-added', 'records-removed', 'merged', 'split', 'retired', 'profile-updated'] }).notNull(),
    sourceRecordIds: uuid('source_record_ids').array().notNull().default([]),
    otherCustomerId: uuid('other_customer_id'),
    actor: text('actor').notNull(),
    reason: text('reason'),
    runId: uuid('run_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('cluster_events_customer_idx').on(t.tenantId, t.customerId, t.createdAt)],
);

/** One resolution run (full or incremental): its settings, trained parameters and statistics. */
export const resolutionRuns = pgTable(
  'resolution_runs',
  {
    ...tenantColumns,
    mode: text('mode', { enum: ['full', 'incremental'] }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    /** Records changed after this instant are picked up by the next incremental run. */
    watermark: timestamp('watermark', { withTimezone: true, mode: 'date' }),
    model: jsonb('model'),
    stats: jsonb('stats'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('resolution_runs_started_idx').on(t.tenantId, t.startedAt)],
);
