import { describe, expect, it } from 'vitest';
import { describeTimer, formatDuration, liveTimer } from './sla';

const due = '2026-01-05T15:00:00.000Z';
const warn = '2026-01-05T14:00:00.000Z';
const at = (iso: string) => Date.parse(iso);

describe('liveTimer', () => {
  it('counts down to the server’s due time and turns warning, then breached, by the clock alone', () => {
    const t = { state: 'running' as const, dueAt: due, warnAt: warn, remainingMinutes: 120 };
    expect(liveTimer(t, at('2026-01-05T13:00:00Z'))).toEqual({ state: 'running', msLeft: 2 * 3_600_000, ticking: true });
    expect(liveTimer(t, at('2026-01-05T14:30:00Z')).state).toBe('warning');
    const late = liveTimer(t, at('2026-01-05T15:00:01Z'));
    expect(late.state).toBe('breached');
    expect(late.msLeft).toBe(-1000);
  });
  it('keeps a state the server has already moved further', () => {
    expect(liveTimer({ state: 'warning', dueAt: due, warnAt: null, remainingMinutes: 5 }, at('2026-01-05T10:00:00Z')).state).toBe('warning');
  });
  it('does not tick while paused, met or missed', () => {
    for (const state of ['paused', 'met', 'missed'] as const) {
      expect(liveTimer({ state, dueAt: due, warnAt: warn, remainingMinutes: 30 }, at('2026-01-06T00:00:00Z'))).toEqual({ state, msLeft: null, ticking: false });
    }
    expect(describeTimer({ state: 'paused', dueAt: null, warnAt: null, remainingMinutes: 90 }, 0)).toBe('Paused, waiting on the customer (1 h 30 min of business time left)');
  });
});

describe('formatDuration', () => {
  it('counts to the second, with days when due beyond a day', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(((2 * 60 + 5) * 60 + 9) * 1000)).toBe('2 h 05 m 09 s');
    expect(formatDuration(-(3 * 86_400_000 + 4 * 3_600_000))).toBe('3 d 04 h 00 m 00 s');
  });
});
