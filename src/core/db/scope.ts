import { inArray, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Actor } from '../actor.js';

// A uuid no row holds: an actor scoped to no division matches nothing (inArray with [] is invalid SQL).
const NO_DIVISION = '00000000-0000-0000-0000-000000000000';

/** WHERE fragment limiting `column` to the actor's divisions; undefined (no limit) for every-division roles. */
export function divisionScope(actor: Actor, column: AnyColumn): SQL | undefined {
  if (!actor.divisionIds) return undefined;
  return inArray(column, actor.divisionIds.length ? actor.divisionIds : [NO_DIVISION]);
}
