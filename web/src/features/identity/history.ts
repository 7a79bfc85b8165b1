import type { ClusterEvent } from './queries';

/** "user:<uuid>" -> the user id; "system" (a resolution run) -> null. */
export function actorUserId(actor: string): string | null {
  return actor.startsWith('user:') ? actor.slice(5) : null;
}

const records = (n: number) => `${n} record${n === 1 ? '' : 's'}`;

/** What happened, in words; the other customer, when there is one, is linked after the sentence. */
export function eventSentence(e: Pick<ClusterEvent, 'event' | 'source_record_ids' | 'other_customer_id'>): { text: string; other?: string } {
  const n = e.source_record_ids.length;
  switch (e.event) {
    case 'created':
      return e.other_customer_id ? { text: `Created from ${records(n)} split out of`, other: 'another customer' } : { text: `Created from ${records(n)}` };
    case 'merged':
      return { text: `Merged in ${records(n)} from`, other: 'another customer' };
    case 'retired':
      return e.other_customer_id ? { text: 'Retired: its records were merged into', other: 'another customer' } : { text: 'Retired: no records left' };
    case 'split':
      return { text: `Split ${records(n)} out into`, other: 'another customer' };
    case 'records-added':
      return e.other_customer_id ? { text: `${records(n)} returned from`, other: 'another customer' } : { text: `${records(n)} added by resolution` };
    case 'records-removed':
      return { text: `${records(n)} moved to other customers by resolution` };
    default:
      return { text: `${e.event.replace(/-/g, ' ')} (${records(n)})` };
  }
}

/**
 * The merge "Undo last merge" would undo: the latest merge whose records are still with this customer.
 * The server decides in the end; this only keeps the button from offering what it would refuse.
 */
export function undoableMerge(events: ClusterEvent[], currentRecordIds: Set<string>): ClusterEvent | null {
  const merge = [...events].sort((a, b) => b.created_at.localeCompare(a.created_at)).find((e) => e.event === 'merged');
  if (!merge) return null;
  return merge.source_record_ids.some((id) => currentRecordIds.has(id)) ? merge : null;
}
