import { boolean, foreignKey, integer, jsonb, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantColumns, timestamps } from '../../core/db/columns.js';
import { tenants } from '../../core/db/schema.js';

/** A business unit with its own systems: Mortgages, Cards, Everyday Banking… */
export const divisions = pgTable(
  'divisions',
  {
    ...tenantColumns,
    code: text('code').notNull(),
    name: text('name').notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('divisions_code_uq').on(t.tenantId, t.code),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }),
  ],
);

/** A division's own system of record, with its own record layout (kept in `layout`). */
export const sourceSystems = pgTable(
  'source_systems',
  {
    ...tenantColumns,
    divisionId: uuid('division_id').notNull(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** True where the system holds each person at most once: resolution then never puts two of its records in one customer. */
    uniquePerPerson: boolean('unique_per_person').notNull().default(true),
    /** Survivorship priority: lower wins when sources disagree. */
    priority: integer('priority').notNull().default(5),
    layout: jsonb('layout').notNull().default({}),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('source_systems_code_uq').on(t.tenantId, t.code),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
  ],
);

export const teams = pgTable(
  'teams',
  {
    ...tenantColumns,
    divisionId: uuid('division_id').notNull(),
    name: text('name').notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique('teams_name_uq').on(t.tenantId, t.name),
    foreignKey({ columns: [t.tenantId, t.divisionId], foreignColumns: [divisions.tenantId, divisions.id] }),
  ],
);
