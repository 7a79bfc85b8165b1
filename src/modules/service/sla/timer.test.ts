import { describe, expect, it } from 'vitest';
import { BusinessClock } from './clock.js';
import { earliest, readTimer } from './timer.js';

const clock = new BusinessClock({
  timeZone: 'Europe/London',
  week: { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] },
});
const Z = (s: string) => new Date(s);
const timer = { startedAt: Z('2025-03-03T09:00:00Z'), targetMinutes: 240, warnAtFraction: 0.75, pauses: [], stoppedAt: null };

describe('readTimer', () => {
  it('runs, warns at the threshold, then breaches at the due time', () => {
    const early = readTimer(clock, timer, Z('2025-03-03T10:00:00Z'));
    expect(early).toMatchObject({ state: 'running', elapsedMinutes: 60, remainingMinutes: 180 });
    expect(early.warnAt?.toISOString()).toBe('2025-03-03T12:00:00.000Z');
    expect(early.dueAt?.toISOString()).toBe('2025-03-03T13:00:00.000Z');
    expect(early.nextChangeAt?.toISOString()).toBe('2025-03-03T12:00:00.000Z');

    const warn = readTimer(clock, timer, Z('2025-03-03T12:30:00Z'));
    expect(warn.state).toBe('warning');
    expect(warn.nextChangeAt?.toISOString()).toBe('2025-03-03T13:00:00.000Z');

    const late = readTimer(clock, timer, Z('2025-03-04T10:00:00Z'));
    expect(late).toMatchObject({ state: 'breached', elapsedMinutes: 540, remainingMinutes: -300, nextChangeAt: null });
    expect(readTimer(clock, timer, Z('2025-03-03T13:00:00Z')).state).toBe('breached');
  });

  it('does not move overnight: a case opened at 16:00 is not breached by the next morning', () => {
    const t = { ...timer, startedAt: Z('2025-03-03T16:00:00Z') };
    expect(readTimer(clock, t, Z('2025-03-04T08:59:00Z'))).toMatchObject({ state: 'running', elapsedMinutes: 60 });
  });

  it('is met or missed once stopped, whatever the time now', () => {
    expect(readTimer(clock, { ...timer, stoppedAt: Z('2025-03-03T13:00:00Z') }, Z('2026-01-01T00:00:00Z')).state).toBe('met');
    expect(readTimer(clock, { ...timer, stoppedAt: Z('2025-03-03T13:01:00Z') }, Z('2026-01-01T00:00:00Z')).state).toBe('missed');
  });

  it('is paused while waiting on the customer, with no due time, unless it had already breached', () => {
    const waiting = { ...timer, pauses: [{ from: Z('2025-03-03T10:00:00Z'), to: null }] };
    expect(readTimer(clock, waiting, Z('2025-03-10T10:00:00Z'))).toMatchObject({ state: 'paused', elapsedMinutes: 60, dueAt: null, nextChangeAt: null });
    const tooLate = { ...timer, pauses: [{ from: Z('2025-03-04T10:00:00Z'), to: null }] };
    expect(readTimer(clock, tooLate, Z('2025-03-10T10:00:00Z')).state).toBe('breached');
  });

  it('moves the due time out by the paused business time once the customer answers', () => {
    const resumed = { ...timer, pauses: [{ from: Z('2025-03-03T10:00:00Z'), to: Z('2025-03-04T10:00:00Z') }] };
    const r = readTimer(clock, resumed, Z('2025-03-04T10:30:00Z'));
    expect(r).toMatchObject({ state: 'running', elapsedMinutes: 90 });
    expect(r.dueAt?.toISOString()).toBe('2025-03-04T13:00:00.000Z');
  });

  it('never warns when the threshold is 1', () => {
    const r = readTimer(clock, { ...timer, warnAtFraction: 1 }, Z('2025-03-03T12:59:00Z'));
    expect(r.state).toBe('running');
    expect(r.nextChangeAt?.toISOString()).toBe('2025-03-03T13:00:00.000Z');
  });

  it('earliest picks the first present instant', () => {
    expect(earliest(null, null)).toBeNull();
    expect(earliest(Z('2025-01-02T00:00:00Z'), null)?.toISOString()).toBe('2025-01-02T00:00:00.000Z');
    expect(earliest(Z('2025-01-02T00:00:00Z'), Z('2025-01-01T00:00:00Z'))?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });
});
