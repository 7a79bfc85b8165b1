/**
 * Who should serve this customer, and why. Candidates are first filtered (division, product skill,
 * language, availability, capacity, the seniority a customer's value calls for), then ranked by three
 * scores in [0, 1]: how well their seniority matches the customer's value (the $2 million customer goes to
 * the best broker, a small customer does not take up the best broker's day), continuity (the customer's
 * relationship manager, then whoever handled them last), and workload. Every candidate carries its
 * reasons and scores, so the decision can be read, argued with and overridden. When nobody qualifies the
 * work goes to a queue, never nowhere.
 */
import type { CaseKind, Priority } from '../cases/status.js';
import { TIER_LABEL, type ValueTier } from '../value.js';

export interface StaffMember {
  userId: string;
  displayName: string;
  teamId: string | null;
  divisionIds: string[];
  /** 1 (junior) … 5 (most senior). */
  seniority: number;
  /** Free-form, compared case-insensitively: product skills ("mortgages", "cards"), languages as "lang:es". */
  skills: string[];
  available: boolean;
  awayUntil: Date | null;
  openCases: number;
  capacity: number;
}

export interface AssignmentSubject {
  /** What is being assigned: a case, a lead, a task, or a customer needing a relationship manager. */
  kind: 'case' | 'lead' | 'task' | 'relationship';
  caseKind?: CaseKind;
  priority?: Priority;
  tier: ValueTier;
  /** The candidate must serve at least one of these divisions. */
  divisionIds: string[];
  /** Any one of these skills qualifies (e.g. the product's code, category and plural); empty = no product filter. */
  productSkills: string[];
  /** ISO 639-1 code the customer needs served in; null = any. */
  language: string | null;
  relationshipManagerId: string | null;
  lastHandlerId: string | null;
  /** Escalations can demand more seniority than the tier alone. */
  minSeniority?: number;
}

export interface Queue {
  teamId: string | null;
  divisionId: string | null;
  name: string;
}

export interface RoutingPolicy {
  weights: { seniority: number; continuity: number; workload: number };
  /** The seniority each value tier is best served by. */
  idealSeniority: Record<ValueTier, number>;
  /** Below this seniority nobody serves the tier (the relationship manager excepted). */
  minSeniority: Record<ValueTier, number>;
  /** Routine work that goes straight to the general queue. */
  queueFirst: { caseKinds: CaseKind[]; tiers: ValueTier[]; priorities: Priority[] }[];
  /** Tiers whose customers get a named relationship manager. */
  relationshipTiers: ValueTier[];
  /**
   * The skills that qualify for a product, by product code or category ("MTG_HELOC": ["home_equity"]); without
   * an entry, a product asks for its code, its category or the category's plural.
   */
  productSkills?: Record<string, string[]>;
}

export const DEFAULT_ROUTING: RoutingPolicy = {
  weights: { seniority: 0.45, continuity: 0.35, workload: 0.2 },
  idealSeniority: { top1: 5, top5: 4, top20: 3, rest: 2 },
  minSeniority: { top1: 4, top5: 3, top20: 1, rest: 1 },
  queueFirst: [{ caseKinds: ['question'], tiers: ['rest'], priorities: ['low', 'normal'] }],
  relationshipTiers: ['top1', 'top5'],
};

export interface CandidateScore {
  userId: string;
  displayName: string;
  eligible: boolean;
  /** Weighted total; null when not eligible. */
  score: number | null;
  parts: { seniority: number; continuity: number; workload: number } | null;
  reasons: string[];
}

export interface AssignmentDecision {
  outcome: 'assigned' | 'queued';
  userId: string | null;
  queue: Queue | null;
  /** Why this outcome, in words. */
  reasons: string[];
  /** Every staff member considered, best first: eligible ones by score, then the excluded ones. */
  candidates: CandidateScore[];
}

const norm = (s: string) => s.trim().toLowerCase();
const r2 = (x: number) => Math.round(x * 100) / 100;

export function decideAssignment(subject: AssignmentSubject, staff: readonly StaffMember[], queue: Queue, now: Date, policy: RoutingPolicy = DEFAULT_ROUTING): AssignmentDecision {
  const wantedSkills = subject.productSkills.map(norm);
  const minSeniority = Math.max(policy.minSeniority[subject.tier], subject.minSeniority ?? 1);
  const ideal = Math.max(policy.idealSeniority[subject.tier], subject.minSeniority ?? 1);
  const candidates: CandidateScore[] = staff.map((s) => {
    const skills = new Set(s.skills.map(norm));
    const isRm = subject.relationshipManagerId === s.userId;
    const excluded: string[] = [];
    if (!s.divisionIds.some((d) => subject.divisionIds.includes(d))) excluded.push('does not serve this division');
    if (wantedSkills.length && !wantedSkills.some((w) => skills.has(w))) excluded.push(`no skill for the product (needs one of ${wantedSkills.join(', ')})`);
    if (subject.language && !skills.has(`lang:${norm(subject.language)}`)) excluded.push(`does not speak ${subject.language}`);
    if (!s.available) excluded.push('not available');
    else if (s.awayUntil && s.awayUntil > now) excluded.push(`away until ${s.awayUntil.toISOString()}`);
    if (s.openCases >= s.capacity) excluded.push(`at capacity (${s.openCases} of ${s.capacity} open)`);
    if (s.seniority < minSeniority && !isRm) excluded.push(`seniority ${s.seniority} is below the ${minSeniority} needed for a ${TIER_LABEL[subject.tier]} customer`);
    if (excluded.length) return { userId: s.userId, displayName: s.displayName, eligible: false, score: null, parts: null, reasons: excluded };

    const seniority = 1 - Math.abs(s.seniority - ideal) / 4;
    const continuity = isRm ? 1 : subject.lastHandlerId === s.userId ? 0.6 : 0;
    const workload = 1 - s.openCases / s.capacity;
    const w = policy.weights;
    const score = r2((w.seniority * seniority + w.continuity * continuity + w.workload * workload) / (w.seniority + w.continuity + w.workload));
    const reasons = [
      `seniority ${s.seniority} for a ${TIER_LABEL[subject.tier]} customer (best served at ${ideal}): ${r2(seniority)}`,
      isRm ? 'the customer’s relationship manager: 1' : subject.lastHandlerId === s.userId ? 'handled this customer last: 0.6' : 'no previous relationship: 0',
      `${s.openCases} of ${s.capacity} cases open: ${r2(workload)}`,
    ];
    return { userId: s.userId, displayName: s.displayName, eligible: true, score, parts: { seniority: r2(seniority), continuity, workload: r2(workload) }, reasons };
  });
  const load = new Map(staff.map((s) => [s.userId, s.openCases]));
  candidates.sort((a, b) => {
    if (a.eligible !== b.eligible) return a.eligible ? -1 : 1;
    if (a.eligible && b.eligible && a.score !== b.score) return (b.score ?? 0) - (a.score ?? 0);
    const byLoad = (load.get(a.userId) ?? 0) - (load.get(b.userId) ?? 0);
    return byLoad || a.userId.localeCompare(b.userId);
  });

  const routine = subject.kind === 'case' && policy.queueFirst.some((q) => subject.caseKind && q.caseKinds.includes(subject.caseKind) && q.tiers.includes(subject.tier) && subject.priority && q.priorities.includes(subject.priority));
  if (routine && subject.relationshipManagerId === null) {
    return { outcome: 'queued', userId: null, queue, reasons: [`a routine ${subject.caseKind} (${subject.priority}) from a ${TIER_LABEL[subject.tier]} customer goes to ${queue.name}`], candidates };
  }
  const best = candidates[0];
  if (!best?.eligible) {
    const why = staff.length ? 'nobody qualifies (see each candidate’s reasons)' : 'no staff to choose from';
    return { outcome: 'queued', userId: null, queue, reasons: [`${why}: the work waits in ${queue.name}`], candidates };
  }
  const runnerUp = candidates[1]?.eligible ? candidates[1] : null;
  return {
    outcome: 'assigned',
    userId: best.userId,
    queue: null,
    reasons: [`${best.displayName} scores ${best.score}${runnerUp ? `, ahead of ${runnerUp.displayName} (${runnerUp.score})` : ', the only one who qualifies'}`, ...best.reasons],
    candidates,
  };
}
