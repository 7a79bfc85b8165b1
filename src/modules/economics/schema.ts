import { boolean, date, doublePrecision, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantColumns, timestamps } from '../../core/db/columns.js';
import { sourceSystems } from '../org/schema.js';
import { sourceRecords } from '../identity/schema.js';
import type { UntappedFamily } from './wallet.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Revenue kinds and refunds. `purchase` earns its product's margin; `fee` and `interest_margin` are margin already
 * (a bank's net interest, an advisory fee); `refund` gives back a purchase (amount stays positive, it subtracts).
 */
export const TRANSACTION_KINDS = ['purchase', 'fee', 'interest_margin', 'refund'] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/**
 * What one division's system says a customer paid, exactly as imported: recorded against the source record, so it
 * follows the person through merges and splits (economics rolls it up to golden customers through customer_links).
 * `external_id` is the transaction id, or a row key derived from the row's content and its occurrence number
 * in the file, so a re-import is a no-op and two identical purchases stay two.
 */
export const transactions = pgTable(
  'transactions',
  {
    ...tenantColumns,
    sourceSystemId: uuid('source_system_id').notNull(),
    sourceRecordId: uuid('source_record_id').notNull(),
    externalId: text('external_id').notNull(),
    occurredAt: at('occurred_at').notNull(),
    amount: numeric('amount', { precision: 18, scale: 4, mode: 'number' }).notNull(),
    kind: text('kind', { enum: TRANSACTION_KINDS }).notNull().default('purchase'),
    quantity: numeric('quantity', { precision: 18, scale: 4, mode: 'number' }),
    product: text('product'),
    currency: text('currency').notNull().default('USD'),
    raw: jsonb('raw').$type<Record<string, unknown>>().notNull().default({}),
    contentHash: text('content_hash').notNull().default(''),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('transactions_external_uq').on(t.tenantId, t.sourceSystemId, t.externalId),
    foreignKey({ columns: [t.tenantId, t.sourceSystemId], foreignColumns: [sourceSystems.tenantId, sourceSystems.id] }),
    foreignKey({ columns: [t.tenantId, t.sourceRecordId], foreignColumns: [sourceRecords.tenantId, sourceRecords.id] }),
    index('transactions_record_time_idx').on(t.tenantId, t.sourceRecordId, t.occurredAt),
  ],
);

/** Per tenant: costs to serve, product margins and the CLV and disposition settings (zod-checked in settings.ts). */
export const economicsSettings = pgTable('economics_settings', {
  tenantId: text('tenant_id').notNull().primaryKey(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/** One scoring run over every golden customer: its settings, statistics and warnings. */
export const economicsRuns = pgTable(
  'economics_runs',
  {
    ...tenantColumns,
    status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull().default('running'),
    modelVersion: text('model_version').notNull(),
    period: text('period', { enum: ['day', 'week', 'month'] }).notNull(),
    calibrationEnd: date('calibration_end', { mode: 'string' }).notNull(),
    settings: jsonb('settings').notNull().default({}),
    /** Counts, profitability by division and touch point, timings. */
    stats: jsonb('stats'),
    warnings: jsonb('warnings').$type<string[]>().notNull().default([]),
    error: text('error'),
    startedAt: at('started_at').notNull().defaultNow(),
    finishedAt: at('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('economics_runs_started_idx').on(t.tenantId, t.startedAt)],
);

/** A maximum-likelihood fit, from a scoring run (run_id) or from `rapport economics fit` (no run). */
export const economicsFits = pgTable(
  'economics_fits',
  {
    ...tenantColumns,
    runId: uuid('run_id'),
    model: text('model', { enum: ['bgnbd', 'paretoNbd', 'gammaGamma'] }).notNull(),
    modelVersion: text('model_version').notNull(),
    /** Customers are golden customers, or one source system's records. */
    sourceSystemId: uuid('source_system_id'),
    period: text('period', { enum: ['day', 'week', 'month'] }).notNull(),
    calibrationEnd: date('calibration_end', { mode: 'string' }).notNull(),
    params: jsonb('params').$type<Record<string, number>>().notNull(),
    logLikelihood: doublePrecision('log_likelihood').notNull(),
    customers: integer('customers').notNull(),
    converged: boolean('converged').notNull(),
    iterations: integer('iterations').notNull().default(0),
    warnings: jsonb('warnings').$type<string[]>().notNull().default([]),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('economics_fits_created_idx').on(t.tenantId, t.createdAt)],
);

/**
 * The latest economics of each golden customer, with the run, model version and time they came from. Model columns
 * are null for a customer the models could not score (no purchase by the calibration end); never NaN.
 */
export const customerEconomics = pgTable(
  'customer_economics',
  {
    tenantId: text('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    runId: uuid('run_id').notNull(),
    modelVersion: text('model_version').notNull(),
    computedAt: at('computed_at').notNull(),
    /** Repeat purchase days, time of the last one and age, in the run's period. */
    x: doublePrecision('x'),
    tX: doublePrecision('t_x'),
    bigT: doublePrecision('big_t'),
    monetary: doublePrecision('monetary'),
    expectedPurchases: doublePrecision('expected_purchases'),
    probabilityAlive: doublePrecision('probability_alive'),
    /** P(alive) one trend window earlier, with the same fit: the service alarms compare the two. */
    probabilityAlivePrevious: doublePrecision('probability_alive_previous'),
    expectedSpend: doublePrecision('expected_spend'),
    clv: doublePrecision('clv'),
    tier: text('tier').notNull(),
    disposition: text('disposition').notNull(),
    reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
    rfmR: smallint('rfm_r'),
    rfmF: smallint('rfm_f'),
    rfmM: smallint('rfm_m'),
    rfmSegment: text('rfm_segment'),
    /** Days from the last purchase to the calibration end (RFM recency). */
    recencyDays: integer('recency_days'),
    /** Over the profit window (settings.profitWindowDays up to the calibration end). */
    revenue: doublePrecision('revenue').notNull().default(0),
    grossMargin: doublePrecision('gross_margin').notNull().default(0),
    costToServe: doublePrecision('cost_to_serve').notNull().default(0),
    profit: doublePrecision('profit').notNull().default(0),
    /** Revenue in the last trend window and the one before it. */
    spendRecent: doublePrecision('spend_recent').notNull().default(0),
    spendPrevious: doublePrecision('spend_previous').notNull().default(0),
    /** { divisionId: { revenue, grossMargin, costToServe, profit } } */
    /** Share of wallet estimated from product families held against the customer's tier (wallet.ts); null without revenue or gap. */
    shareOfWallet: doublePrecision('share_of_wallet'),
    /** Typical revenue of the families the customer's peers hold and the customer does not. */
    walletGap: doublePrecision('wallet_gap').notNull().default(0),
    wallet: jsonb('wallet').$type<{ held: string[]; untapped: UntappedFamily[] }>().notNull().default({ held: [], untapped: [] }),
    byDivision: jsonb('by_division').$type<Record<string, { revenue: number; grossMargin: number; costToServe: number; profit: number }>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    index('customer_economics_clv_idx').on(t.tenantId, t.clv),
    index('customer_economics_run_idx').on(t.tenantId, t.runId),
  ],
);
