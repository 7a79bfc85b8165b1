/**
 * The six stages of a customer relationship and the rules that move a customer between them. The graph of
 * allowed moves is fixed (nobody goes from recruitment straight to account management, or from dissociation
 * into intensive care); which events move whom along it is configurable per tenant as rules.
 */
import { ConflictError, UnprocessableError, ValidationError, type FieldIssue } from '../../../core/errors.js';

export const STAGES = ['recruitment', 'welcoming', 'getting_to_know', 'account_management', 'intensive_care', 'dissociation'] as const;
export type Stage = (typeof STAGES)[number];

export const LIFECYCLE_EVENTS = [
  'first_product_opened',
  'onboarding_elapsed',
  'getting_to_know_elapsed',
  'complaint_opened',
  'complaint_resolved',
  'customer_lost',
  'p_alive_fell',
  'all_products_closed',
  'win_back_due',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

const ALLOWED: Record<Stage, readonly Stage[]> = {
  recruitment: ['welcoming'],
  welcoming: ['getting_to_know', 'intensive_care', 'dissociation'],
  getting_to_know: ['account_management', 'intensive_care', 'dissociation'],
  account_management: ['getting_to_know', 'intensive_care', 'dissociation'],
  // Recovered customers go back to where they were; lost ones leave.
  intensive_care: ['welcoming', 'getting_to_know', 'account_management', 'dissociation'],
  // The door stays open: a win-back campaign targets them again, or they simply come back.
  dissociation: ['recruitment', 'welcoming'],
};

export const allowedMoves = (from: Stage): readonly Stage[] => ALLOWED[from];

const label = (s: Stage) => s.replace(/_/g, ' ');

export function checkMove(from: Stage, to: Stage): void {
  if (from === to) throw new ConflictError(`the customer is already in ${label(from)}`, [{ path: 'body/stage', message: 'already there' }]);
  if (!ALLOWED[from].includes(to)) {
    throw new UnprocessableError(`a customer in ${label(from)} cannot move to ${label(to)}: allowed are ${ALLOWED[from].map(label).join(', ')}`, [
      { path: 'body/stage', message: `not allowed from ${label(from)}` },
    ]);
  }
}

export interface LifecycleRule {
  /** Stable name, recorded as the cause of every move the rule makes. */
  name: string;
  event: LifecycleEvent;
  from: Stage[];
  /** 'previous' = the stage the customer was in before the current one (leaving intensive care). */
  to: Stage | 'previous';
  enabled: boolean;
  /** Days after entering the `from` stage for the timed events (onboarding_elapsed, getting_to_know_elapsed). */
  afterDays?: number;
  /** P(alive) below which p_alive_fell fires. */
  threshold?: number;
  /** For moves into dissociation: when to try to win the customer back. */
  winBackDays?: number;
}

export const DEFAULT_RULES: LifecycleRule[] = [
  { name: 'first-product', event: 'first_product_opened', from: ['recruitment', 'dissociation'], to: 'welcoming', enabled: true },
  { name: 'onboarding-done', event: 'onboarding_elapsed', from: ['welcoming'], to: 'getting_to_know', enabled: true, afterDays: 90 },
  { name: 'needs-known', event: 'getting_to_know_elapsed', from: ['getting_to_know'], to: 'account_management', enabled: true, afterDays: 180 },
  { name: 'complaint', event: 'complaint_opened', from: ['welcoming', 'getting_to_know', 'account_management'], to: 'intensive_care', enabled: true },
  { name: 'recovered', event: 'complaint_resolved', from: ['intensive_care'], to: 'previous', enabled: true },
  { name: 'lost', event: 'customer_lost', from: ['intensive_care'], to: 'dissociation', enabled: true, winBackDays: 180 },
  { name: 'at-risk', event: 'p_alive_fell', from: ['welcoming', 'getting_to_know', 'account_management'], to: 'intensive_care', enabled: true, threshold: 0.3 },
  { name: 'all-closed', event: 'all_products_closed', from: ['welcoming', 'getting_to_know', 'account_management', 'intensive_care'], to: 'dissociation', enabled: true, winBackDays: 180 },
  { name: 'win-back', event: 'win_back_due', from: ['dissociation'], to: 'recruitment', enabled: true },
];

/** Rules are data a tenant edits: each must describe a move the graph allows. */
export function ruleIssues(rules: readonly LifecycleRule[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const names = new Set<string>();
  rules.forEach((r, i) => {
    if (names.has(r.name)) issues.push({ path: `body/rules/${i}/name`, message: 'duplicate rule name' });
    names.add(r.name);
    if (!r.from.length) issues.push({ path: `body/rules/${i}/from`, message: 'name at least one stage' });
    if (r.to !== 'previous') {
      for (const f of r.from) if (!ALLOWED[f].includes(r.to)) issues.push({ path: `body/rules/${i}/to`, message: `${label(f)} → ${label(r.to)} is not an allowed move` });
    }
    if ((r.event === 'onboarding_elapsed' || r.event === 'getting_to_know_elapsed') && !(r.afterDays && r.afterDays > 0)) {
      issues.push({ path: `body/rules/${i}/afterDays`, message: 'timed rules need afterDays > 0' });
    }
    if (r.event === 'p_alive_fell' && !(r.threshold !== undefined && r.threshold > 0 && r.threshold < 1)) {
      issues.push({ path: `body/rules/${i}/threshold`, message: 'p_alive_fell needs a threshold in (0, 1)' });
    }
  });
  return issues;
}

export function checkRules(rules: readonly LifecycleRule[]): void {
  const issues = ruleIssues(rules);
  if (issues.length) throw new ValidationError('the lifecycle rules are not valid', issues);
}

export interface StagePosition {
  stage: Stage;
  previousStage: Stage | null;
  since: Date;
}

export interface Move {
  to: Stage;
  rule: LifecycleRule;
  winBackOn: string | null;
}

/**
 * The move an event causes, or null when no enabled rule applies. A rule whose target is 'previous' only
 * fires when the previous stage is itself an allowed move (a customer who entered intensive care from
 * welcoming goes back to welcoming).
 */
export function decideMove(position: StagePosition, event: LifecycleEvent, rules: readonly LifecycleRule[], at: Date, facts: { pAlive?: number } = {}): Move | null {
  for (const rule of rules) {
    if (!rule.enabled || rule.event !== event || !rule.from.includes(position.stage)) continue;
    if (event === 'p_alive_fell' && !(facts.pAlive !== undefined && rule.threshold !== undefined && facts.pAlive < rule.threshold)) continue;
    if ((event === 'onboarding_elapsed' || event === 'getting_to_know_elapsed') && rule.afterDays && at.getTime() - position.since.getTime() < rule.afterDays * 86_400_000) continue;
    const to = rule.to === 'previous' ? (position.previousStage && ALLOWED[position.stage].includes(position.previousStage) ? position.previousStage : 'account_management') : rule.to;
    if (to === position.stage || !ALLOWED[position.stage].includes(to)) continue;
    const winBackOn = to === 'dissociation' ? addDays(at, rule.winBackDays ?? 180) : null;
    return { to, rule, winBackOn };
  }
  return null;
}

/** The timed events due for a customer at `at` (the sweep raises them; decideMove then checks the rule). */
export function dueTimedEvents(position: StagePosition & { winBackOn: string | null }, rules: readonly LifecycleRule[], at: Date): LifecycleEvent[] {
  const out: LifecycleEvent[] = [];
  for (const r of rules) {
    if (!r.enabled || !r.from.includes(position.stage)) continue;
    if ((r.event === 'onboarding_elapsed' || r.event === 'getting_to_know_elapsed') && r.afterDays && at.getTime() - position.since.getTime() >= r.afterDays * 86_400_000) out.push(r.event);
  }
  if (position.stage === 'dissociation' && position.winBackOn && position.winBackOn <= at.toISOString().slice(0, 10)) out.push('win_back_due');
  return [...new Set(out)];
}

function addDays(at: Date, days: number): string {
  return new Date(at.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

export interface TransitionCount {
  from: Stage | null;
  to: Stage;
  count: number;
}

export interface StageMeasures {
  /** Of the customers who left each stage in the period, the share that went to each next stage. */
  conversion: Record<Stage, Partial<Record<Stage, number>>>;
  /** Share of customers in a live stage at the start of the period who did not dissociate during it. */
  retentionRate: number | null;
  /** Of the customers who left intensive care in the period, the share who were recovered rather than lost. */
  recoveryRate: number | null;
}

export function measuresFrom(transitions: readonly TransitionCount[], liveAtStart: number, dissociatedFromLive: number): StageMeasures {
  const conversion = Object.fromEntries(STAGES.map((s) => [s, {}])) as StageMeasures['conversion'];
  const exits = new Map<Stage, number>();
  for (const t of transitions) if (t.from) exits.set(t.from, (exits.get(t.from) ?? 0) + t.count);
  for (const t of transitions) {
    if (!t.from) continue;
    conversion[t.from][t.to] = round((conversion[t.from][t.to] ?? 0) + t.count / (exits.get(t.from) ?? 1));
  }
  const careExits = exits.get('intensive_care') ?? 0;
  const lost = transitions.filter((t) => t.from === 'intensive_care' && t.to === 'dissociation').reduce((s, t) => s + t.count, 0);
  return {
    conversion,
    retentionRate: liveAtStart ? round(1 - dissociatedFromLive / liveAtStart) : null,
    recoveryRate: careExits ? round((careExits - lost) / careExits) : null,
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export interface HoldingFacts {
  /** Products ever held (open or closed; offers do not count). */
  held: number;
  open: number;
  firstOpenedOn: string | null;
  lastOpenedOn: string | null;
  lastClosedOn: string | null;
}

/**
 * Where a customer stands when Rapport first meets them (an import of years of history): inferred from
 * their holdings and the timed rules, and recorded with cause 'initial' so nobody mistakes it for an event.
 */
export function initialPosition(h: HoldingFacts, rules: readonly LifecycleRule[], at: Date): StagePosition & { winBackOn: string | null } {
  const day = (s: string) => new Date(`${s}T00:00:00Z`);
  const days = (name: LifecycleEvent, fallback: number) => rules.find((r) => r.event === name && r.enabled)?.afterDays ?? fallback;
  if (!h.held) return { stage: 'recruitment', previousStage: null, since: at, winBackOn: null };
  if (!h.open) {
    const since = h.lastClosedOn ? day(h.lastClosedOn) : at;
    const winBack = rules.find((r) => r.event === 'all_products_closed')?.winBackDays ?? 180;
    return { stage: 'dissociation', previousStage: null, since, winBackOn: addDays(since, winBack) };
  }
  const first = h.firstOpenedOn ? day(h.firstOpenedOn) : at;
  const onboarding = days('onboarding_elapsed', 90) * 86_400_000;
  const knowing = days('getting_to_know_elapsed', 180) * 86_400_000;
  const age = at.getTime() - first.getTime();
  if (age < onboarding) return { stage: 'welcoming', previousStage: null, since: first, winBackOn: null };
  if (age < onboarding + knowing) return { stage: 'getting_to_know', previousStage: null, since: new Date(first.getTime() + onboarding), winBackOn: null };
  return { stage: 'account_management', previousStage: null, since: new Date(first.getTime() + onboarding + knowing), winBackOn: null };
}
