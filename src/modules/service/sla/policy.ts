/**
 * Which service level applies to a case, and what happens when it is missed. A policy may name a case
 * kind, a priority and a customer value tier; the most specific matching policy wins (tier first, because
 * what the customer is worth decides how fast the company answers, then priority, then kind). When a
 * tenant has configured nothing, built-in defaults apply, so no case is ever without a clock.
 */
import type { CaseKind, Priority } from '../cases/status.js';
import type { ValueTier } from '../value.js';
import type { BusinessCalendar } from './clock.js';
import type { TimerReading } from './timer.js';

export type TimerName = 'first_response' | 'resolution';

export interface EscalationRule {
  /** Which timer's breach (or warning) triggers the rule. */
  on: TimerName;
  when: 'warning' | 'breached';
  action: 'notify' | 'raise_priority' | 'reassign';
  /** For notify and reassign: the case owner, the division's managers, the customer's relationship manager, or the team queue. */
  target?: 'owner' | 'manager' | 'relationship_manager' | 'queue';
}

export interface SlaPolicy {
  id: string | null;
  name: string;
  kind: CaseKind | null;
  priority: Priority | null;
  tier: ValueTier | null;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  warnAtFraction: number;
  escalation: EscalationRule[];
}

export interface PolicyKey {
  kind: CaseKind;
  priority: Priority;
  tier: ValueTier;
}

const SPECIFICITY = { tier: 4, priority: 2, kind: 1 };

export function selectPolicy(policies: readonly SlaPolicy[], key: PolicyKey): SlaPolicy {
  let best: SlaPolicy | null = null;
  let bestScore = -1;
  for (const p of policies) {
    if ((p.kind && p.kind !== key.kind) || (p.priority && p.priority !== key.priority) || (p.tier && p.tier !== key.tier)) continue;
    const score = (p.tier ? SPECIFICITY.tier : 0) + (p.priority ? SPECIFICITY.priority : 0) + (p.kind ? SPECIFICITY.kind : 0);
    // Ties go to the stricter promise.
    if (score > bestScore || (score === bestScore && best && p.resolutionMinutes < best.resolutionMinutes)) {
      best = p;
      bestScore = score;
    }
  }
  return best ?? defaultPolicy(key);
}

/** Business minutes: a working day is 8 hours. */
const BASE: Record<Priority, { firstResponse: number; resolution: number }> = {
  urgent: { firstResponse: 30, resolution: 8 * 60 },
  high: { firstResponse: 2 * 60, resolution: 3 * 8 * 60 },
  normal: { firstResponse: 4 * 60, resolution: 5 * 8 * 60 },
  low: { firstResponse: 8 * 60, resolution: 10 * 8 * 60 },
};
/** The most valuable customers are answered four times faster. */
const TIER_FACTOR: Record<ValueTier, number> = { top1: 0.25, top5: 0.5, top20: 0.75, rest: 1 };

export const DEFAULT_ESCALATION: EscalationRule[] = [
  { on: 'first_response', when: 'warning', action: 'notify', target: 'owner' },
  { on: 'first_response', when: 'breached', action: 'notify', target: 'manager' },
  { on: 'resolution', when: 'warning', action: 'notify', target: 'owner' },
  { on: 'resolution', when: 'breached', action: 'raise_priority' },
  { on: 'resolution', when: 'breached', action: 'notify', target: 'manager' },
];

export function defaultPolicy(key: PolicyKey): SlaPolicy {
  const base = BASE[key.priority];
  const f = TIER_FACTOR[key.tier];
  // Complaints are answered at least one priority level faster: a badly handled complaint loses the customer.
  const kindFactor = key.kind === 'complaint' ? 0.5 : 1;
  return {
    id: null,
    name: `default ${key.priority} / ${key.tier}${key.kind === 'complaint' ? ' / complaint' : ''}`,
    kind: null,
    priority: key.priority,
    tier: key.tier,
    firstResponseMinutes: Math.max(15, Math.round(base.firstResponse * f * kindFactor)),
    resolutionMinutes: Math.max(60, Math.round(base.resolution * f * kindFactor)),
    warnAtFraction: 0.75,
    escalation: DEFAULT_ESCALATION,
  };
}

/** Monday to Friday, 09:00–17:00 UTC: the calendar a tenant starts with until it configures its own. */
export const DEFAULT_CALENDAR: BusinessCalendar = {
  timeZone: 'UTC',
  week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
  holidays: [],
};

export interface TimerChange {
  timer: TimerName;
  from: TimerReading['state'] | null;
  to: TimerReading['state'];
}

/** The rules to fire for a timer's state change: only on entering warning or breached, never twice. */
export function escalationsFor(policy: Pick<SlaPolicy, 'escalation'>, change: TimerChange): EscalationRule[] {
  if (change.from === change.to) return [];
  if (change.to !== 'warning' && change.to !== 'breached') return [];
  // Jumping straight from running to breached (the check ran late) fires the breach rules only.
  return policy.escalation.filter((r) => r.on === change.timer && r.when === change.to);
}

