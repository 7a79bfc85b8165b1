import { foreignKey, index, numeric, pgTable, primaryKey, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantColumns, timestamps } from '../../core/db/columns.js';
import { sourceRecords } from '../identity/schema.js';

export const TOUCH_POINTS = ['branch', 'call_centre', 'web', 'email', 'kiosk', 'field_service', 'mobile', 'chat', 'mail'] as const;
export type TouchPoint = (typeof TOUCH_POINTS)[number];

/** One contact on one touch point. Division systems record them against their own source record. */
export const interactions = pgTable(
  'interactions',
  {
    ...tenantColumns,
    sourceRecordId: uuid('source_record_id').notNull(),
    divisionId: uuid('division_id').notNull(),
    touchPoint: text('touch_point', { enum: TOUCH_POINTS }).notNull(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
    subject: text('subject').notNull(),
    outcome: text('outcome'),
    /** -1 (angry) … +1 (delighted) */
    sentiment: real('sentiment'),
    cost: numeric('cost', { precision: 10, scale: 2, mode: 'number' }),
    staffUserId: uuid('staff_user_id'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('interactions_record_time_idx').on(t.tenantId, t.sourceRecordId, t.occurredAt),
    foreignKey({ columns: [t.tenantId, t.sourceRecordId], foreignColumns: [sourceRecords.tenantId, sourceRecords.id] }),
  ],
);
