import { boolean, foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantColumns } from '../../core/db/columns.js';
import { goldenCustomers } from '../identity/schema.js';

export const CONTACT_CHANNELS = ['email', 'phone', 'sms', 'mail', 'push'] as const;
export const CONTACT_PURPOSES = ['service', 'surveys', 'marketing'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export type ContactPurpose = (typeof CONTACT_PURPOSES)[number];

/**
 * A customer's consent and contact preferences, one row per statement ("no marketing by phone", said on the
 * phone on 3 May): never updated, so the history of what the customer said, when and through what, is kept.
 * The latest statement per channel and purpose is the one in force.
 */
export const customerConsents = pgTable(
  'customer_consents',
  {
    ...tenantColumns,
    customerId: uuid('customer_id').notNull(),
    channel: text('channel', { enum: CONTACT_CHANNELS }).notNull(),
    purpose: text('purpose', { enum: CONTACT_PURPOSES }).notNull(),
    granted: boolean('granted').notNull(),
    /** Where the customer said it: "web preference centre", "call centre", "import: crm". */
    source: text('source').notNull(),
    note: text('note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    recordedBy: uuid('recorded_by'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [goldenCustomers.tenantId, goldenCustomers.id] }),
    index('customer_consents_customer_idx').on(t.tenantId, t.customerId, t.channel, t.purpose, t.recordedAt),
  ],
);

/**
 * What an erasure did, kept after the person is gone: who, when, under which request, which categories and how
 * many rows. No personal data: the customer id is a random id that now names an anonymous profile.
 */
export const erasureRecords = pgTable(
  'erasure_records',
  {
    ...tenantColumns,
    customerId: uuid('customer_id').notNull(),
    /** The data-subject request it answers (ticket number, letter reference). */
    requestRef: text('request_ref').notNull(),
    erasedBy: text('erased_by').notNull(),
    erasedAt: timestamp('erased_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    categories: text('categories').array().notNull(),
    /** Rows touched per table: figures only. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('erasure_records_customer_idx').on(t.tenantId, t.customerId)],
);

/**
 * Hashes of (source system, external id) of erased source records: an import that brings the same row back
 * suppresses it instead of re-creating the person. A hash, so the tombstone itself names nobody.
 */
export const erasureTombstones = pgTable(
  'erasure_tombstones',
  {
    tenantId: text('tenant_id').notNull(),
    hash: text('hash').notNull(),
    erasedAt: timestamp('erased_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.hash] })],
);
