/**
 * A case's life as a small state machine. The clocks follow from the status: leaving `open` is the first
 * response, `waiting_on_customer` stops both clocks, `resolved` stops the resolution clock (and a reopen
 * resumes it without charging the time it spent resolved), `closed` is final.
 */
import { ConflictError, UnprocessableError } from '../../../core/errors.js';
import type { Pause } from '../sla/clock.js';

export const CASE_KINDS = ['complaint', 'request', 'incident', 'question'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_STATUSES = ['open', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const ROOT_CAUSES = ['product', 'process', 'people', 'system', 'communication', 'pricing', 'third_party', 'customer', 'other'] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

const NEXT: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ['in_progress', 'waiting_on_customer', 'resolved'],
  in_progress: ['waiting_on_customer', 'resolved'],
  waiting_on_customer: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
};

export const allowedNext = (from: CaseStatus): readonly CaseStatus[] => NEXT[from];

const label = (s: CaseStatus) => s.replace(/_/g, ' ');

/** Throws a clear error for a move the lifecycle forbids: repeating the current status is a conflict. */
export function checkTransition(from: CaseStatus, to: CaseStatus): void {
  if (from === to) {
    throw new ConflictError(from === 'closed' ? 'the case is already closed' : `the case is already ${label(from)}`, [{ path: 'body/status', message: `already ${label(from)}` }]);
  }
  if (!NEXT[from].includes(to)) {
    const options = NEXT[from].length ? `it can move to ${NEXT[from].map(label).join(', ')}` : 'a closed case cannot change';
    throw new UnprocessableError(`a case that is ${label(from)} cannot become ${label(to)}: ${options}`, [{ path: 'body/status', message: `not allowed from ${label(from)}` }]);
  }
}

/** The clock-relevant facts of a case, kept on its row so the SLA check reads one row per case. */
export interface CaseClockFacts {
  status: CaseStatus;
  openedAt: Date;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  /** Waiting on the customer: stops both clocks. */
  waitingPauses: Pause[];
  /** Time spent resolved before a reopen: stops the resolution clock only. */
  resolvedPauses: Pause[];
}

/** Applies a status change to the clock facts (pure; the caller has checked the transition). */
export function applyTransition(facts: CaseClockFacts, to: CaseStatus, at: Date): CaseClockFacts {
  const next: CaseClockFacts = { ...facts, status: to, waitingPauses: [...facts.waitingPauses], resolvedPauses: [...facts.resolvedPauses] };
  const closeOpen = (list: Pause[]) => {
    const i = list.findIndex((p) => p.to === null);
    if (i >= 0) list[i] = { from: list[i].from, to: at };
  };
  if (facts.status === 'waiting_on_customer') closeOpen(next.waitingPauses);
  if (facts.status === 'resolved' && to === 'in_progress') {
    closeOpen(next.resolvedPauses);
    next.resolvedAt = null;
  }
  if (!next.firstRespondedAt && facts.status === 'open') next.firstRespondedAt = at;
  if (to === 'waiting_on_customer') next.waitingPauses.push({ from: at, to: null });
  if (to === 'resolved') {
    next.resolvedAt = at;
    next.resolvedPauses.push({ from: at, to: null });
  }
  if (to === 'closed') next.closedAt = at;
  return next;
}

export function raisePriority(p: Priority): Priority {
  return PRIORITIES[Math.min(PRIORITIES.length - 1, PRIORITIES.indexOf(p) + 1)];
}

export const isOpenStatus = (s: CaseStatus) => s !== 'resolved' && s !== 'closed';
