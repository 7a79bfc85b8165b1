/**
 * One SLA timer (first response or resolution) evaluated at an instant: how much business time has run,
 * when it falls due, whether it has passed the warning threshold or breached, and when its state will next
 * change on its own (so the scheduled check only revisits cases whose state can have moved).
 */
import type { BusinessClock, Pause } from './clock.js';

export type TimerState = 'running' | 'warning' | 'breached' | 'paused' | 'met' | 'missed';

export interface SlaTimer {
  startedAt: Date;
  targetMinutes: number;
  /** Fraction of the target after which the timer warns, e.g. 0.8. */
  warnAtFraction: number;
  pauses: readonly Pause[];
  /** When the obligation was fulfilled (first response sent, case resolved); null while it is still open. */
  stoppedAt: Date | null;
}

export interface TimerReading {
  state: TimerState;
  elapsedMinutes: number;
  /** Negative once breached. */
  remainingMinutes: number;
  /** When it falls due if no further pause happens; null while paused or once stopped. */
  dueAt: Date | null;
  warnAt: Date | null;
  /** The next instant at which `state` changes by the passing of time alone. */
  nextChangeAt: Date | null;
}

export function readTimer(clock: BusinessClock, timer: SlaTimer, now: Date): TimerReading {
  const end = timer.stoppedAt ?? now;
  const elapsed = clock.elapsedMinutes(timer.startedAt, end, timer.pauses);
  const remaining = timer.targetMinutes - elapsed;
  if (timer.stoppedAt) {
    return { state: elapsed <= timer.targetMinutes ? 'met' : 'missed', elapsedMinutes: elapsed, remainingMinutes: remaining, dueAt: null, warnAt: null, nextChangeAt: null };
  }
  const paused = timer.pauses.some((p) => p.to === null && p.from <= now);
  if (paused) {
    // A breach is not undone by waiting on the customer afterwards.
    return { state: remaining <= 0 ? 'breached' : 'paused', elapsedMinutes: elapsed, remainingMinutes: remaining, dueAt: null, warnAt: null, nextChangeAt: null };
  }
  const dueAt = clock.addMinutes(timer.startedAt, timer.targetMinutes, timer.pauses);
  const warnAt = clock.addMinutes(timer.startedAt, timer.targetMinutes * timer.warnAtFraction, timer.pauses);
  if (remaining <= 0) return { state: 'breached', elapsedMinutes: elapsed, remainingMinutes: remaining, dueAt, warnAt, nextChangeAt: null };
  const warning = warnAt !== null && now >= warnAt && timer.warnAtFraction < 1;
  return {
    state: warning ? 'warning' : 'running',
    elapsedMinutes: elapsed,
    remainingMinutes: remaining,
    dueAt,
    warnAt,
    nextChangeAt: warning || timer.warnAtFraction >= 1 ? dueAt : warnAt,
  };
}

/** The earlier of two optional instants. */
export function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a <= b ? a : b;
}
