/**
 * A case's SLA timer read at an instant in the browser. The server decides the due and warning instants (business
 * time, holidays, pauses) and each timer's state when it answered; between answers the page only needs to count
 * down in real time to those instants, so a running timer becomes "warning" at warnAt and "breached" at dueAt
 * without another request. Paused, met and missed timers are final for the page and never tick.
 */
export type TimerState = 'running' | 'warning' | 'breached' | 'paused' | 'met' | 'missed';

export interface ServerTimer {
  state: TimerState;
  dueAt: string | null;
  warnAt: string | null;
  /** Business minutes left when the server answered (what a paused timer still has). */
  remainingMinutes?: number;
}

export interface LiveTimer {
  state: TimerState;
  /** Milliseconds until due (negative once breached); null when the timer does not tick. */
  msLeft: number | null;
  ticking: boolean;
}

export function liveTimer(t: ServerTimer, now: number): LiveTimer {
  if (t.state === 'paused' || t.state === 'met' || t.state === 'missed' || !t.dueAt) return { state: t.state, msLeft: null, ticking: false };
  const due = Date.parse(t.dueAt);
  const warn = t.warnAt ? Date.parse(t.warnAt) : Number.POSITIVE_INFINITY;
  const msLeft = due - now;
  // The server's state wins when it is further along (a warning it stored stays a warning).
  const byClock: TimerState = msLeft <= 0 ? 'breached' : now >= warn ? 'warning' : 'running';
  const order: TimerState[] = ['running', 'warning', 'breached'];
  const state = order.indexOf(t.state) > order.indexOf(byClock) ? t.state : byClock;
  return { state, msLeft, ticking: true };
}

/** "2 h 05 m 09 s", "3 d 04 h 00 m 10 s", "45 s": always to the second, so the countdown visibly moves. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d} d ${pad(h)} h ${pad(m)} m ${pad(s)} s`;
  if (h > 0) return `${h} h ${pad(m)} m ${pad(s)} s`;
  if (m > 0) return `${m} m ${pad(s)} s`;
  return `${s} s`;
}

/** Business minutes as words: "1 h 30 min of business time". */
export function formatBusinessMinutes(min: number): string {
  const m = Math.max(0, Math.round(min));
  const h = Math.floor(m / 60);
  return h > 0 ? `${h} h ${m % 60} min` : `${m} min`;
}

export function describeTimer(t: ServerTimer, now: number): string {
  const live = liveTimer(t, now);
  switch (live.state) {
    case 'paused':
      return t.remainingMinutes === undefined ? 'Paused, waiting on the customer' : `Paused, waiting on the customer (${formatBusinessMinutes(t.remainingMinutes)} of business time left)`;
    case 'met':
      return 'Met';
    case 'missed':
      return 'Missed';
    case 'breached':
      return `Breached ${formatDuration(live.msLeft ?? 0)} ago`;
    default:
      return `${formatDuration(live.msLeft ?? 0)} left`;
  }
}

export const TIMER_COLOUR: Record<TimerState, string> = {
  running: 'blue',
  warning: 'orange',
  breached: 'red',
  paused: 'gray',
  met: 'green',
  missed: 'red',
};

/** The list rows carry due times and states but not the warning instants; the detail carries full timers. */
export function listTimers(c: { firstResponseState: TimerState; firstResponseDueAt: string | null; resolutionState: TimerState; resolutionDueAt: string | null }) {
  return {
    firstResponse: { state: c.firstResponseState, dueAt: c.firstResponseDueAt, warnAt: null } satisfies ServerTimer,
    resolution: { state: c.resolutionState, dueAt: c.resolutionDueAt, warnAt: null } satisfies ServerTimer,
  };
}
