import type { Actor } from '../../../core/actor.js';
import type { FieldIssue } from '../../../core/errors.js';
import type { PricedQuote } from './engine.js';

/**
 * How far a person may go on their own. `offer`: the largest manual discount (percent, on top of policy
 * rules) they may put on a quote at all; `approve`: the largest they may approve on someone else's quote.
 * Policy rules (tier, volume, bundle) are pre-approved by whoever wrote them and do not count here.
 */
export interface DiscountAuthority {
  offer: number;
  approve: number;
}

export const DEFAULT_DISCOUNT_AUTHORITY: Readonly<Record<string, DiscountAuthority>> = {
  admin: { offer: 100, approve: 100 },
  manager: { offer: 30, approve: 30 },
  agent: { offer: 15, approve: 0 },
  // A web shop or integration prices by policy only: customers do not discount themselves.
  integration: { offer: 0, approve: 0 },
  analyst: { offer: 0, approve: 0 },
};

export function authorityOf(actor: Pick<Actor, 'kind' | 'role'>, table: Readonly<Record<string, DiscountAuthority>> = DEFAULT_DISCOUNT_AUTHORITY): DiscountAuthority {
  if (actor.kind === 'system') return { offer: 100, approve: 100 };
  return table[actor.role] ?? { offer: 0, approve: 0 };
}

/** One issue per line whose manual discount is above what this person may offer. */
export function discountsAboveAuthority(priced: Pick<PricedQuote, 'lines'>, authority: DiscountAuthority, linePath = (i: number) => `body/lines/${i}/manualDiscountPercent`): FieldIssue[] {
  return priced.lines.flatMap((l, i) =>
    l.manualDiscountPercent > authority.offer ? [{ path: linePath(i), message: `a discount of ${l.manualDiscountPercent}% is above your authority of ${authority.offer}%` }] : [],
  );
}
