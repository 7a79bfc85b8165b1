import { date, foreignKey, index, numeric, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantColumns, timestamps } from '../../core/db/columns.js';
import { divisions } from '../org/schema.js';
import { sourceRecords } from '../identity/schema.js';

/** What a division sells: a mortgage, a credit card, a home-insurance policy… */
export const products = pgTable(
  'products',
  {
    ...tenantColumns,
    divisionId: uuid('division_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Broad family (card, mortgage, deposit, investment, insurance, loan, equipment…): used to spot offers for what a customer already holds. */
    category: text('category').notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('products_code_uq').on(t.tenantId, t.code),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
  ],
);

/** A product held: recorded against the division's source record, so it follows the person through merges and splits. */
export const accounts = pgTable(
  'accounts',
  {
    ...tenantColumns,
    sourceRecordId: uuid('source_record_id').notNull(),
    productId: uuid('product_id').notNull(),
    divisionId: uuid('division_id').notNull(),
    accountNumber: text('account_number').notNull(),
    status: text('status', { enum: ['open', 'closed', 'offered'] }).notNull().default('open'),
    openedOn: date('opened_on', { mode: 'string' }),
    closedOn: date('closed_on', { mode: 'string' }),
    balance: numeric('balance', { precision: 16, scale: 2, mode: 'number' }),
    currency: text('currency').notNull().default('USD'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('accounts_number_uq').on(t.tenantId, t.divisionId, t.accountNumber),
    index('accounts_source_record_idx').on(t.tenantId, t.sourceRecordId),
    foreignKey({ columns: [t.tenantId, t.sourceRecordId], foreignColumns: [sourceRecords.tenantId, sourceRecords.id] }),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }),
  ],
);
