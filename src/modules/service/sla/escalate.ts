/**
 * What to do when a case's timers change state: the planner is pure (the SLA check feeds it a chunk of
 * cases and the lookups it needs, then writes all plans in a few batched statements; a single status
 * change uses the same planner for one case).
 */
import { raisePriority, type Priority } from '../cases/status.js';
import type { TimerState } from './timer.js';
import { escalationsFor, type EscalationRule, type TimerName } from './policy.js';

export interface EscalationCase {
  id: string;
  customerId: string;
  subject: string;
  divisionId: string;
  priority: Priority;
  ownerUserId: string | null;
  queueTeamId: string | null;
  queueDivisionId: string | null;
  escalationLevel: number;
  escalation: EscalationRule[];
}

export interface EscalationLookups {
  /** Managers of the case's division, least loaded first. */
  managersOf(divisionId: string): string[];
  relationshipManagerOf(customerId: string): string | null;
}

export interface PlannedEvent {
  caseId: string;
  kind: 'sla_warning' | 'sla_breached' | 'escalated' | 'priority' | 'reassigned' | 'queued';
  fromValue: string | null;
  toValue: string | null;
  note: string;
  detail: Record<string, unknown> | null;
}

export interface PlannedNotification {
  userId: string | null;
  divisionId: string | null;
  caseId: string;
  customerId: string;
  kind: 'sla_warning' | 'sla_breach' | 'escalation';
  message: string;
}

export interface EscalationPlan {
  set: { priority?: Priority; ownerUserId?: string | null; queueTeamId?: string | null; queueDivisionId?: string | null; escalationLevel?: number };
  events: PlannedEvent[];
  notifications: PlannedNotification[];
}

export interface TimerTransition {
  timer: TimerName;
  from: TimerState | null;
  to: TimerState;
}

const LABEL: Record<TimerName, string> = { first_response: 'first response', resolution: 'resolution' };

export function planEscalation(c: EscalationCase, transitions: readonly TimerTransition[], lookups: EscalationLookups): EscalationPlan {
  const plan: EscalationPlan = { set: {}, events: [], notifications: [] };
  let priority = c.priority;
  let owner = c.ownerUserId;
  let level = c.escalationLevel;
  for (const t of transitions) {
    if (t.from === t.to || (t.to !== 'warning' && t.to !== 'breached')) continue;
    const what = `${LABEL[t.timer]} SLA ${t.to === 'warning' ? 'is about to be missed' : 'was missed'}`;
    plan.events.push({ caseId: c.id, kind: t.to === 'warning' ? 'sla_warning' : 'sla_breached', fromValue: t.from, toValue: t.to, note: `${what}: ${c.subject}`, detail: { timer: t.timer } });
    const rules = escalationsFor(c, t);
    if (t.to === 'breached' && rules.length) level += 1;
    for (const rule of rules) {
      const kind = t.to === 'warning' ? 'sla_warning' : rule.action === 'notify' ? 'sla_breach' : 'escalation';
      if (rule.action === 'notify') {
        const target = rule.target ?? 'owner';
        const recipients =
          target === 'owner' ? (owner ? [owner] : []) : target === 'manager' ? lookups.managersOf(c.divisionId).slice(0, 1) : target === 'relationship_manager' ? [lookups.relationshipManagerOf(c.customerId)].filter((x): x is string => !!x) : [];
        // Nobody to tell by name (an unowned case, no manager): the division hears about it.
        if (!recipients.length) plan.notifications.push({ userId: null, divisionId: c.divisionId, caseId: c.id, customerId: c.customerId, kind, message: `${what}: ${c.subject}` });
        for (const userId of recipients) plan.notifications.push({ userId, divisionId: c.divisionId, caseId: c.id, customerId: c.customerId, kind, message: `${what}: ${c.subject}` });
      } else if (rule.action === 'raise_priority') {
        const next = raisePriority(priority);
        if (next !== priority) {
          plan.events.push({ caseId: c.id, kind: 'priority', fromValue: priority, toValue: next, note: `priority raised because the ${LABEL[t.timer]} SLA was missed`, detail: { rule } });
          priority = next;
          plan.set.priority = next;
        }
      } else if (rule.action === 'reassign') {
        const target = rule.target ?? 'manager';
        const to = target === 'manager' ? (lookups.managersOf(c.divisionId)[0] ?? null) : target === 'relationship_manager' ? lookups.relationshipManagerOf(c.customerId) : null;
        if (target === 'queue' || !to) {
          if (owner !== null || c.queueDivisionId === null) {
            plan.events.push({ caseId: c.id, kind: 'queued', fromValue: owner, toValue: null, note: `moved to the division queue because the ${LABEL[t.timer]} SLA was missed`, detail: { rule } });
            plan.set.ownerUserId = null;
            plan.set.queueDivisionId = c.queueDivisionId ?? c.divisionId;
            owner = null;
          }
        } else if (to !== owner) {
          plan.events.push({ caseId: c.id, kind: 'reassigned', fromValue: owner, toValue: to, note: `reassigned to the ${target.replace('_', ' ')} because the ${LABEL[t.timer]} SLA was missed`, detail: { rule } });
          plan.notifications.push({ userId: to, divisionId: c.divisionId, caseId: c.id, customerId: c.customerId, kind: 'escalation', message: `Escalated to you: ${c.subject}` });
          plan.set.ownerUserId = to;
          plan.set.queueTeamId = null;
          plan.set.queueDivisionId = null;
          owner = to;
        }
      }
    }
  }
  // The level is kept on the case; the sla_breached event already records each step.
  if (level !== c.escalationLevel) plan.set.escalationLevel = level;
  return plan;
}
