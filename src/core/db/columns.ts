import { text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../ids.js';

/** Every table starts with these: the tenant leads every key so the schema can be distributed by tenant later. */
export const tenantColumns = {
  tenantId: text('tenant_id').notNull(),
  id: uuid('id').notNull().$defaultFn(newId),
};

export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};
