import { and, asc, desc, gt, lt, or, eq, type SQL, type AnyColumn } from 'drizzle-orm';
import { decodeCursor, encodeCursor } from '../http/pagination.js';

export interface SortSpec {
  column: AnyColumn;
  direction: 'asc' | 'desc';
}

/**
 * Parses "name" / "-name" against the sortable columns a resource exposes. Only NOT NULL columns are
 * sortable, so that the (value, id) keyset is total.
 */
export function parseSort(raw: string | undefined, allowed: Record<string, AnyColumn>, fallback: string): SortSpec & { key: string } {
  const value = raw ?? fallback;
  const direction = value.startsWith('-') ? 'desc' : 'asc';
  const key = value.replace(/^-/, '');
  const column = allowed[key] ?? allowed[fallback.replace(/^-/, '')];
  return { key, column, direction };
}

/** WHERE fragment for "rows after the cursor" under the given order. */
export function afterCursor(sort: SortSpec, idColumn: AnyColumn, rawCursor: string | undefined): SQL | undefined {
  const cursor = decodeCursor(rawCursor);
  if (!cursor) return undefined;
  const value = normaliseCursorValue(cursor.v);
  const cmp = sort.direction === 'asc' ? gt : lt;
  return or(cmp(sort.column, value), and(eq(sort.column, value), cmp(idColumn, cursor.id)));
}

export function orderFor(sort: SortSpec, idColumn: AnyColumn): SQL[] {
  const dir = sort.direction === 'asc' ? asc : desc;
  return [dir(sort.column), dir(idColumn)];
}

/** Fetch limit+1 rows, then call this: it trims the extra row and builds the next cursor. */
export function finishPage<T extends { id: string }>(rows: T[], limit: number, sortValue: (row: T) => unknown) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  const v = last ? sortValue(last) : null;
  const nextCursor =
    hasMore && last ? encodeCursor({ v: v instanceof Date ? v.toISOString() : (v as string | number | null), id: last.id }) : null;
  return { items, nextCursor };
}

function normaliseCursorValue(v: string | number | null): unknown {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v)) return new Date(v);
  return v;
}
