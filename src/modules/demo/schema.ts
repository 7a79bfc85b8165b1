import { foreignKey, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { sourceRecords } from '../identity/schema.js';

/**
 * The demo bank's answer key: which person each generated source record really belongs to. Identity tests and
 * benchmarks score resolution against it; nothing in the product reads it.
 */
export const demoTruth = pgTable(
  'demo_truth',
  {
    tenantId: text('tenant_id').notNull(),
    sourceRecordId: uuid('source_record_id').notNull(),
    /** Same key = same real person, whatever the records say. */
    personKey: text('person_key').notNull(),
    /** People at one address (spouses, children): a trap for matching, never the same person. */
    householdKey: text('household_key').notNull(),
    /** The data-quality habits applied to this record (nickname, typo, old_address…), to explain a miss. */
    quirks: text('quirks').array().notNull().default([]),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.sourceRecordId] }),
    index('demo_truth_person_idx').on(t.tenantId, t.personKey),
    foreignKey({ columns: [t.tenantId, t.sourceRecordId], foreignColumns: [sourceRecords.tenantId, sourceRecords.id] }),
  ],
);
