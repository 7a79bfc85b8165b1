import { sql } from 'drizzle-orm';
import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantColumns, timestamps } from '../../core/db/columns.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Outbound webhooks for record events across modules. An event is written once (webhook_events) in the same
 * transaction as the change it announces, with one delivery per matching subscription; the job runner sends
 * due deliveries and logs every attempt. Payloads carry ids and minimal fields, never a person's details.
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    ...tenantColumns,
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    description: text('description'),
    /** Event types sent here; empty = every type. */
    events: text('events').array().notNull().default([]),
    active: boolean('active').notNull().default(true),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** Why it stopped (too many failures), so the owner can fix the receiver and reactivate. */
    deactivatedReason: text('deactivated_reason'),
    deactivatedAt: at('deactivated_at'),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const webhookEvents = pgTable(
  'webhook_events',
  {
    ...tenantColumns,
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('webhook_events_created_idx').on(t.tenantId, t.createdAt)],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    ...tenantColumns,
    subscriptionId: uuid('subscription_id').notNull(),
    eventId: uuid('event_id').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    deliveredAt: at('delivered_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.subscriptionId], foreignColumns: [webhookSubscriptions.tenantId, webhookSubscriptions.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.eventId], foreignColumns: [webhookEvents.tenantId, webhookEvents.id] }).onDelete('cascade'),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index('webhook_deliveries_subscription_idx').on(t.tenantId, t.subscriptionId, t.createdAt),
  ],
);

/** The delivery log: one row per attempt, with what the receiver answered and how long it took. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    ...tenantColumns,
    deliveryId: uuid('delivery_id').notNull(),
    attempt: integer('attempt').notNull(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
    /** 'scheduled' for the runner's sends, 'replay' and 'test' for manual ones. */
    trigger: text('trigger', { enum: ['scheduled', 'replay', 'test'] }).notNull().default('scheduled'),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.deliveryId], foreignColumns: [webhookDeliveries.tenantId, webhookDeliveries.id] }).onDelete('cascade'),
    index('webhook_attempts_delivery_idx').on(t.tenantId, t.deliveryId, t.attempt),
  ],
);
