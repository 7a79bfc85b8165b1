import { sql } from 'drizzle-orm';
import type { Orm } from '../../core/db/engine.js';
import { salesCounters } from './schema.js';

/** A drizzle transaction on either engine. */
export type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];

/** The next number of a per-tenant sequence (gap-free within committed transactions; the row lock serialises writers). */
export async function nextNumber(tx: Tx | Orm, tenantId: string, name: string): Promise<number> {
  const [row] = await tx
    .insert(salesCounters)
    .values({ tenantId, name, value: 1 })
    .onConflictDoUpdate({ target: [salesCounters.tenantId, salesCounters.name], set: { value: sql`${salesCounters.value} + 1` } })
    .returning({ value: salesCounters.value });
  return row.value;
}

export const formatNumber = (prefix: string, n: number) => `${prefix}-${String(n).padStart(6, '0')}`;
