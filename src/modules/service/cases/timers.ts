/**
 * A case's two SLA timers read from its row: first response (stopped by the first response, paused while
 * waiting on the customer) and resolution (also paused while the case sat resolved before a reopen).
 */
import type { BusinessClock, Pause } from '../sla/clock.js';
import { earliest, readTimer, type TimerReading } from '../sla/timer.js';
import type { PolicySnapshot, StoredPause } from '../schema.js';
import { isOpenStatus, type CaseClockFacts, type CaseStatus } from './status.js';

export interface CaseTimerRow {
  status: CaseStatus;
  sla: PolicySnapshot;
  openedAt: Date;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  waitingPauses: StoredPause[];
  resolvedPauses: StoredPause[];
}

export interface CaseTimers {
  firstResponse: TimerReading;
  resolution: TimerReading;
}

export const revivePauses = (ps: readonly StoredPause[]): Pause[] => ps.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null }));
export const storePauses = (ps: readonly Pause[]): StoredPause[] => ps.map((p) => ({ from: p.from.toISOString(), to: p.to ? p.to.toISOString() : null }));

export function clockFacts(row: CaseTimerRow): CaseClockFacts {
  return {
    status: row.status,
    openedAt: row.openedAt,
    firstRespondedAt: row.firstRespondedAt,
    resolvedAt: row.resolvedAt,
    closedAt: row.closedAt,
    waitingPauses: revivePauses(row.waitingPauses),
    resolvedPauses: revivePauses(row.resolvedPauses),
  };
}

export function readCaseTimers(clock: BusinessClock, sla: PolicySnapshot, f: CaseClockFacts, now: Date): CaseTimers {
  const firstResponse = readTimer(clock, { startedAt: f.openedAt, targetMinutes: sla.firstResponseMinutes, warnAtFraction: sla.warnAtFraction, pauses: f.waitingPauses, stoppedAt: f.firstRespondedAt }, now);
  const resolution = readTimer(
    clock,
    {
      startedAt: f.openedAt,
      targetMinutes: sla.resolutionMinutes,
      warnAtFraction: sla.warnAtFraction,
      pauses: [...f.waitingPauses, ...f.resolvedPauses.filter((p) => p.to !== null)],
      stoppedAt: isOpenStatus(f.status) ? null : f.resolvedAt,
    },
    now,
  );
  return { firstResponse, resolution };
}

/** The timer columns stored on the case row. */
export function timerColumns(t: CaseTimers) {
  return {
    firstResponseState: t.firstResponse.state,
    resolutionState: t.resolution.state,
    firstResponseDueAt: t.firstResponse.dueAt,
    resolutionDueAt: t.resolution.dueAt,
    slaNextCheckAt: earliest(t.firstResponse.nextChangeAt, t.resolution.nextChangeAt),
  };
}
