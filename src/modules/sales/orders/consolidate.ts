import { addBusinessDays, businessDaysBetween, laterOf } from '../fulfilment/calendar.js';

/**
 * One order, several fulfillers, one date for the customer. The promise was the latest component path
 * plus assembly and shipping; when fulfillers report new estimates, the order moves by however much the
 * latest component slipped past the latest one promised. A route that slips but still lands before the
 * critical one has slack and moves nothing.
 */

export interface RouteDates {
  fulfiller: string;
  status: string;
  promisedDate: string;
  estimatedDate: string;
}

export function consolidatedEstimate(promisedDate: string, routes: readonly RouteDates[], holidays: ReadonlySet<string> = new Set()): string {
  const live = routes.filter((r) => r.status !== 'cancelled' && r.status !== 'rejected');
  if (!live.length) return promisedDate;
  const promisedReady = live.map((r) => r.promisedDate).reduce(laterOf);
  const estimatedReady = live.map((r) => r.estimatedDate).reduce(laterOf);
  const slip = businessDaysBetween(promisedReady, estimatedReady, holidays);
  return slip > 0 ? addBusinessDays(promisedDate, slip, holidays) : promisedDate;
}

/** The order's status from its work packages, until our own shipping takes over. */
export function consolidatedStatus(current: string, routes: readonly { status: string }[]): string {
  if (current === 'shipped' || current === 'delivered' || current === 'cancelled') return current;
  return routes.some((r) => r.status !== 'requested' && r.status !== 'rejected' && r.status !== 'cancelled') ? 'in_production' : 'confirmed';
}

/** Why an order was late, in words, naming the fulfillers whose work slipped (largest slip first). */
export function lateCause(promisedDate: string, deliveredOn: string, routes: readonly RouteDates[], holidays: ReadonlySet<string> = new Set()) {
  const days = businessDaysBetween(promisedDate, deliveredOn, holidays);
  const slipped = routes
    .map((r) => ({ r, slip: businessDaysBetween(r.promisedDate, r.estimatedDate, holidays) }))
    .filter((x) => x.slip > 0)
    .sort((a, b) => b.slip - a.slip);
  const where = slipped.length
    ? `components late from ${slipped.map((x) => `${x.r.fulfiller} (${x.slip} business day${x.slip === 1 ? '' : 's'})`).join(', ')}`
    : 'every component arrived on time: assembly or shipping';
  return { days, cause: `delivered ${days} business day${days === 1 ? '' : 's'} after the promised ${promisedDate}; ${where}`, worst: slipped[0]?.r.fulfiller ?? null };
}
