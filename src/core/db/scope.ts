import { arrayOverlaps, inArray, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Actor } from '../actor.js';

// A uuid no row holds: an actor scoped to no division matches nothing (inArray with [] is invalid SQL).
export const NO_DIVISION = '00000000-0000-0000-0000-000000000000';

/**
 * The divisions an actor is limited to, ready for SQL (`= ANY($n)`, `&& $n::uuid[]`): null for every-division
 * roles, and a list no row matches for an actor scoped to none.
 */
export function scopedDivisionIds(actor: Actor): string[] | null {
  if (!actor.divisionIds) return null;
  return actor.divisionIds.length ? actor.divisionIds : [NO_DIVISION];
}

/** WHERE fragment limiting `column` to the actor's divisions; undefined (no limit) for every-division roles. */
export function divisionScope(actor: Actor, column: AnyColumn): SQL | undefined {
  const divisions = scopedDivisionIds(actor);
  return divisions ? inArray(column, divisions) : undefined;
}

/** The same for a uuid[] column (a customer known to several divisions): rows sharing any of the actor's divisions. */
export function divisionOverlapScope(actor: Actor, column: AnyColumn): SQL | undefined {
  const divisions = scopedDivisionIds(actor);
  return divisions ? arrayOverlaps(column, divisions) : undefined;
}
