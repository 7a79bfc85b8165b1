import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantColumns, timestamps } from '../../core/db/columns.js';
import { divisions } from '../org/schema.js';
import { goldenCustomers } from '../identity/schema.js';
import { products } from '../holdings/schema.js';
import { users } from '../access/schema.js';
import type { ProductDefinition } from './catalogue/model.js';
import type { PriceComponent, RuleCondition } from './pricing/model.js';

/**
 * Selling as one company: the configurable catalogue, price lists and rules, fulfillers and what they
 * offer, pipelines and opportunities, quotes (immutable versions), orders routed to fulfillers, the order
 * timeline with mishandlings, and a transactional outbox for signed webhooks.
 */

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => numeric(name, { precision: 18, scale: 4, mode: 'number' });
const day = (name: string) => date(name, { mode: 'string' });

/** Someone who asked for a quote but is not (yet) a golden customer. */
export interface Prospect {
  name: string;
  company?: string;
  email?: string;
  phone?: string;
}

/**
 * The sales catalogue: what can be configured, priced and ordered. Separate from holdings' `products`
 * (what a customer holds); `holdings_product_id` names the holdings product an order of it becomes, if any.
 */
export const salesProducts = pgTable(
  'sales_products',
  {
    ...tenantColumns,
    divisionId: uuid('division_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    kind: text('kind', { enum: ['configurable', 'simple', 'bundle'] }).notNull(),
    unit: text('unit').notNull().default('each'),
    definition: jsonb('definition').$type<ProductDefinition>().notNull(),
    holdingsProductId: uuid('holdings_product_id'),
    status: text('status', { enum: ['active', 'retired'] }).notNull().default('active'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_products_code_uq').on(t.tenantId, t.code),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
    foreignKey({ columns: [t.tenantId, t.holdingsProductId], foreignColumns: [products.tenantId, products.id] }),
  ],
);

/** A part a configuration consumes (conductor by the metre, a connector, a motor). */
export const salesComponents = pgTable(
  'sales_components',
  {
    ...tenantColumns,
    code: text('code').notNull(),
    name: text('name').notNull(),
    unit: text('unit').notNull().default('each'),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique('sales_components_code_uq').on(t.tenantId, t.code)],
);

/** Our own plant or stock, or a subcontractor. `callback_secret` signs the status callbacks it sends us. */
export const salesFulfillers = pgTable(
  'sales_fulfillers',
  {
    ...tenantColumns,
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['own', 'subcontractor'] }).notNull(),
    contactEmail: text('contact_email'),
    /** Days it does not work besides weekends (YYYY-MM-DD). */
    holidays: text('holidays').array().notNull().default([]),
    callbackSecret: text('callback_secret').notNull(),
    status: text('status', { enum: ['active', 'inactive'] }).notNull().default('active'),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique('sales_fulfillers_code_uq').on(t.tenantId, t.code)],
);

/** What a fulfiller can supply: its capability, capacity, lead time and cost for one component. */
export const salesFulfillerOffers = pgTable(
  'sales_fulfiller_offers',
  {
    ...tenantColumns,
    fulfillerId: uuid('fulfiller_id').notNull(),
    componentId: uuid('component_id').notNull(),
    leadTimeDays: integer('lead_time_days').notNull(),
    capacityPerDay: numeric('capacity_per_day', { precision: 14, scale: 3, mode: 'number' }),
    stockOnHand: numeric('stock_on_hand', { precision: 14, scale: 3, mode: 'number' }),
    unitCost: money('unit_cost').notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_fulfiller_offers_uq').on(t.tenantId, t.fulfillerId, t.componentId),
    foreignKey({ columns: [t.tenantId, t.fulfillerId], foreignColumns: [salesFulfillers.tenantId, salesFulfillers.id] }),
    foreignKey({ columns: [t.tenantId, t.componentId], foreignColumns: [salesComponents.tenantId, salesComponents.id] }),
  ],
);

export const salesPriceLists = pgTable(
  'sales_price_lists',
  {
    ...tenantColumns,
    divisionId: uuid('division_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    currency: text('currency').notNull(),
    validFrom: day('valid_from').notNull(),
    validTo: day('valid_to'),
    approvalThresholdPercent: numeric('approval_threshold_percent', { precision: 5, scale: 2, mode: 'number' }).notNull().default(10),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_price_lists_code_uq').on(t.tenantId, t.code),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
  ],
);

export const salesPriceListItems = pgTable(
  'sales_price_list_items',
  {
    ...tenantColumns,
    priceListId: uuid('price_list_id').notNull(),
    productId: uuid('product_id').notNull(),
    basePrice: money('base_price').notNull(),
    components: jsonb('components').$type<PriceComponent[]>().notNull().default([]),
    floorPrice: money('floor_price'),
    floorPercentOfList: numeric('floor_percent_of_list', { precision: 5, scale: 2, mode: 'number' }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_price_list_items_uq').on(t.tenantId, t.priceListId, t.productId),
    foreignKey({ columns: [t.tenantId, t.priceListId], foreignColumns: [salesPriceLists.tenantId, salesPriceLists.id] }),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [salesProducts.tenantId, salesProducts.id] }),
  ],
);

/** Ordered policy rules of a division; `price_list_id` narrows one to a single list. */
export const salesPriceRules = pgTable(
  'sales_price_rules',
  {
    ...tenantColumns,
    divisionId: uuid('division_id').notNull(),
    priceListId: uuid('price_list_id'),
    code: text('code').notNull(),
    name: text('name').notNull(),
    priority: integer('priority').notNull(),
    when: jsonb('when').$type<RuleCondition>().notNull().default({}),
    percentOff: numeric('percent_off', { precision: 5, scale: 2, mode: 'number' }),
    amountOff: money('amount_off'),
    exclusive: boolean('exclusive').notNull().default(false),
    validFrom: day('valid_from'),
    validTo: day('valid_to'),
    active: boolean('active').notNull().default(true),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_price_rules_code_uq').on(t.tenantId, t.code),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
    foreignKey({ columns: [t.tenantId, t.priceListId], foreignColumns: [salesPriceLists.tenantId, salesPriceLists.id] }),
  ],
);

export const salesPipelines = pgTable(
  'sales_pipelines',
  {
    ...tenantColumns,
    divisionId: uuid('division_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_pipelines_code_uq').on(t.tenantId, t.code),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
  ],
);

export const salesPipelineStages = pgTable(
  'sales_pipeline_stages',
  {
    ...tenantColumns,
    pipelineId: uuid('pipeline_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    /** Chance, 0–100, that an opportunity in this stage closes won: the forecast's weight. */
    probability: integer('probability').notNull(),
    outcome: text('outcome', { enum: ['open', 'won', 'lost'] }).notNull().default('open'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_pipeline_stages_code_uq').on(t.tenantId, t.pipelineId, t.code),
    foreignKey({ columns: [t.tenantId, t.pipelineId], foreignColumns: [salesPipelines.tenantId, salesPipelines.id] }),
  ],
);

export const salesOpportunities = pgTable(
  'sales_opportunities',
  {
    ...tenantColumns,
    pipelineId: uuid('pipeline_id').notNull(),
    stageCode: text('stage_code').notNull(),
    divisionId: uuid('division_id').notNull(),
    name: text('name').notNull(),
    customerId: uuid('customer_id'),
    prospect: jsonb('prospect').$type<Prospect>(),
    /** The existing customer who referred this business, if any: referrals are a total-customer-experience measure. */
    referredByCustomerId: uuid('referred_by_customer_id'),
    ownerUserId: uuid('owner_user_id'),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    expectedClose: day('expected_close').notNull(),
    outcome: text('outcome', { enum: ['open', 'won', 'lost'] }).notNull().default('open'),
    closedOn: day('closed_on'),
    lostReason: text('lost_reason'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.pipelineId, t.stageCode], foreignColumns: [salesPipelineStages.tenantId, salesPipelineStages.pipelineId, salesPipelineStages.code] }),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [goldenCustomers.tenantId, goldenCustomers.id] }),
    foreignKey({ columns: [t.tenantId, t.referredByCustomerId], foreignColumns: [goldenCustomers.tenantId, goldenCustomers.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerUserId], foreignColumns: [users.tenantId, users.id] }),
    index('sales_opportunities_pipeline_idx').on(t.tenantId, t.pipelineId, t.outcome, t.expectedClose),
    index('sales_opportunities_customer_idx').on(t.tenantId, t.customerId),
  ],
);

export const salesOpportunityStageChanges = pgTable(
  'sales_opportunity_stage_changes',
  {
    ...tenantColumns,
    opportunityId: uuid('opportunity_id').notNull(),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    changedBy: uuid('changed_by'),
    changedAt: at('changed_at').notNull().defaultNow(),
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.opportunityId], foreignColumns: [salesOpportunities.tenantId, salesOpportunities.id] }),
    index('sales_opportunity_stage_changes_idx').on(t.tenantId, t.opportunityId, t.changedAt),
  ],
);

/** Per-tenant counters for human-readable numbers (Q-000123, SO-000045). */
export const salesCounters = pgTable(
  'sales_counters',
  {
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    value: integer('value').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
);

/** A quote; its content lives in immutable versions, `current_version` being the one the customer may accept. */
export const salesQuotes = pgTable(
  'sales_quotes',
  {
    ...tenantColumns,
    number: text('number').notNull(),
    title: text('title'),
    divisionId: uuid('division_id').notNull(),
    customerId: uuid('customer_id'),
    prospect: jsonb('prospect').$type<Prospect>(),
    opportunityId: uuid('opportunity_id'),
    ownerUserId: uuid('owner_user_id'),
    currentVersion: integer('current_version').notNull().default(1),
    status: text('status', { enum: ['open', 'accepted', 'declined', 'withdrawn'] }).notNull().default('open'),
    /** Where the request came in (web, field visit, phone): the touch point of the experience measures. */
    channel: text('channel').notNull().default('rep'),
    /** When the customer asked: the start of the request-to-quote turnaround. */
    requestedAt: at('requested_at').notNull(),
    needBy: day('need_by'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_quotes_number_uq').on(t.tenantId, t.number),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [goldenCustomers.tenantId, goldenCustomers.id] }),
    foreignKey({ columns: [t.tenantId, t.opportunityId], foreignColumns: [salesOpportunities.tenantId, salesOpportunities.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerUserId], foreignColumns: [users.tenantId, users.id] }),
    index('sales_quotes_customer_idx').on(t.tenantId, t.customerId),
    index('sales_quotes_requested_idx').on(t.tenantId, t.divisionId, t.requestedAt),
  ],
);

/**
 * One priced version of a quote, never changed after it is written except for its status and approval.
 * `document` holds the lines as priced and planned (configuration, explanation trail, delivery plan), so a
 * version reads the same after the catalogue or price list changes.
 */
export const salesQuoteVersions = pgTable(
  'sales_quote_versions',
  {
    ...tenantColumns,
    quoteId: uuid('quote_id').notNull(),
    version: integer('version').notNull(),
    status: text('status', { enum: ['pending_approval', 'issued', 'rejected', 'superseded', 'accepted'] }).notNull(),
    priceListId: uuid('price_list_id').notNull(),
    currency: text('currency').notNull(),
    pricedOn: day('priced_on').notNull(),
    validUntil: day('valid_until').notNull(),
    listTotal: money('list_total').notNull(),
    netTotal: money('net_total').notNull(),
    /** What the fulfillers charge us for the components, by the plan: the margin behind the price. */
    costTotal: money('cost_total').notNull(),
    deliveryDate: day('delivery_date').notNull(),
    maxManualDiscountPercent: numeric('max_manual_discount_percent', { precision: 5, scale: 2, mode: 'number' }).notNull().default(0),
    approvalRequired: boolean('approval_required').notNull().default(false),
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull().defaultNow(),
    issuedAt: at('issued_at'),
    decidedBy: uuid('decided_by'),
    decidedAt: at('decided_at'),
    decisionNote: text('decision_note'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_quote_versions_uq').on(t.tenantId, t.quoteId, t.version),
    foreignKey({ columns: [t.tenantId, t.quoteId], foreignColumns: [salesQuotes.tenantId, salesQuotes.id] }),
    foreignKey({ columns: [t.tenantId, t.priceListId], foreignColumns: [salesPriceLists.tenantId, salesPriceLists.id] }),
    index('sales_quote_versions_pending_idx').on(t.tenantId, t.status).where(sql`status = 'pending_approval'`),
  ],
);

export const ORDER_STATUSES = ['confirmed', 'in_production', 'shipped', 'delivered', 'cancelled'] as const;
export const ROUTE_STATUSES = ['requested', 'accepted', 'in_production', 'shipped', 'delivered', 'rejected', 'cancelled'] as const;
export const MISHANDLING_KINDS = ['late', 'wrong', 'returned', 'damaged', 'incomplete'] as const;

/** One order per accepted quote (unique quote_id), whatever fulfillers it is split across. */
export const salesOrders = pgTable(
  'sales_orders',
  {
    ...tenantColumns,
    number: text('number').notNull(),
    quoteId: uuid('quote_id').notNull(),
    quoteVersion: integer('quote_version').notNull(),
    /** The customer's own reference (purchase order number) given on acceptance. */
    customerReference: text('customer_reference'),
    divisionId: uuid('division_id').notNull(),
    customerId: uuid('customer_id'),
    prospect: jsonb('prospect').$type<Prospect>(),
    ownerUserId: uuid('owner_user_id'),
    currency: text('currency').notNull(),
    netTotal: money('net_total').notNull(),
    costTotal: money('cost_total').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('confirmed'),
    /** The one date the customer was promised, consolidated over every fulfiller. */
    promisedDate: day('promised_date').notNull(),
    /** The current estimate as fulfillers report progress. */
    estimatedDate: day('estimated_date').notNull(),
    custom: boolean('custom').notNull().default(false),
    requestedAt: at('requested_at').notNull(),
    quotedAt: at('quoted_at').notNull(),
    acceptedAt: at('accepted_at').notNull(),
    deliveredAt: at('delivered_at'),
    acceptedBy: uuid('accepted_by'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_orders_number_uq').on(t.tenantId, t.number),
    unique('sales_orders_quote_uq').on(t.tenantId, t.quoteId),
    foreignKey({ columns: [t.tenantId, t.quoteId], foreignColumns: [salesQuotes.tenantId, salesQuotes.id] }),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [goldenCustomers.tenantId, goldenCustomers.id] }),
    index('sales_orders_accepted_idx').on(t.tenantId, t.divisionId, t.acceptedAt),
    index('sales_orders_customer_idx').on(t.tenantId, t.customerId),
  ],
);

export const salesOrderLines = pgTable(
  'sales_order_lines',
  {
    ...tenantColumns,
    orderId: uuid('order_id').notNull(),
    lineNo: integer('line_no').notNull(),
    productId: uuid('product_id').notNull(),
    productCode: text('product_code').notNull(),
    description: text('description').notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3, mode: 'number' }).notNull(),
    configuration: jsonb('configuration').$type<Record<string, unknown>>().notNull().default({}),
    unitPrice: money('unit_price').notNull(),
    netAmount: money('net_amount').notNull(),
    customised: boolean('customised').notNull().default(false),
    bundle: text('bundle'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_order_lines_uq').on(t.tenantId, t.orderId, t.lineNo),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [salesOrders.tenantId, salesOrders.id] }),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [salesProducts.tenantId, salesProducts.id] }),
  ],
);

/** The work package one fulfiller received for one order, with its own status and dates. */
export const salesOrderRoutes = pgTable(
  'sales_order_routes',
  {
    ...tenantColumns,
    orderId: uuid('order_id').notNull(),
    fulfillerId: uuid('fulfiller_id').notNull(),
    status: text('status', { enum: ROUTE_STATUSES }).notNull().default('requested'),
    promisedDate: day('promised_date').notNull(),
    estimatedDate: day('estimated_date').notNull(),
    cost: money('cost').notNull(),
    items: jsonb('items').$type<{ lineNo: number; component: string; quantity: number; readyOn: string }[]>().notNull(),
    externalRef: text('external_ref'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_order_routes_uq').on(t.tenantId, t.orderId, t.fulfillerId),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [salesOrders.tenantId, salesOrders.id] }),
    foreignKey({ columns: [t.tenantId, t.fulfillerId], foreignColumns: [salesFulfillers.tenantId, salesFulfillers.id] }),
    index('sales_order_routes_open_idx').on(t.tenantId, t.fulfillerId, t.status),
  ],
);

/** The order timeline, append-only. `dedupe_key` makes a fulfiller's retried callback a no-op. */
export const salesOrderEvents = pgTable(
  'sales_order_events',
  {
    ...tenantColumns,
    orderId: uuid('order_id').notNull(),
    kind: text('kind').notNull(),
    at: at('at').notNull().defaultNow(),
    /** A user id, `fulfiller:<code>` or `system`. */
    by: text('by').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    dedupeKey: text('dedupe_key'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('sales_order_events_dedupe_uq').on(t.tenantId, t.dedupeKey),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [salesOrders.tenantId, salesOrders.id] }),
    index('sales_order_events_order_idx').on(t.tenantId, t.orderId, t.at),
  ],
);

/** A promise not kept: late, wrong, returned…, with its cause, for the mishandled-order measure. */
export const salesMishandlings = pgTable(
  'sales_mishandlings',
  {
    ...tenantColumns,
    orderId: uuid('order_id').notNull(),
    kind: text('kind', { enum: MISHANDLING_KINDS }).notNull(),
    cause: text('cause').notNull(),
    lineNo: integer('line_no'),
    fulfillerId: uuid('fulfiller_id'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: at('recorded_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [salesOrders.tenantId, salesOrders.id] }),
    foreignKey({ columns: [t.tenantId, t.fulfillerId], foreignColumns: [salesFulfillers.tenantId, salesFulfillers.id] }),
    index('sales_mishandlings_order_idx').on(t.tenantId, t.orderId),
  ],
);

/** Where order events are sent, signed with the endpoint's secret. */
export const salesWebhookEndpoints = pgTable(
  'sales_webhook_endpoints',
  {
    ...tenantColumns,
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    /** Event types sent here; empty = every type. */
    events: text('events').array().notNull().default([]),
    active: boolean('active').notNull().default(true),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * Transactional outbox: a row per (event, endpoint), written in the same transaction as the change it
 * announces, delivered afterwards with retries. Kept to one module on purpose; the shape (type, payload,
 * attempts, next_attempt_at, delivered_at) is meant to be lifted into core when other modules need it.
 */
export const salesOutbox = pgTable(
  'sales_outbox',
  {
    ...tenantColumns,
    endpointId: uuid('endpoint_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    deliveredAt: at('delivered_at'),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.endpointId], foreignColumns: [salesWebhookEndpoints.tenantId, salesWebhookEndpoints.id] }),
    index('sales_outbox_due_idx').on(t.nextAttemptAt).where(sql`delivered_at IS NULL`),
  ],
);
