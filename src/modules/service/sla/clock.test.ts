import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../../../core/errors.js';
import { BusinessClock, parseClock, type BusinessCalendar, type Weekday, WEEKDAYS } from './clock.js';

const office = (timeZone: string, holidays: string[] = []): BusinessCalendar => ({
  timeZone,
  week: { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] },
  holidays,
});
const allDay = (timeZone: string): BusinessCalendar => ({
  timeZone,
  week: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start: '00:00', end: '24:00' }]])) as BusinessCalendar['week'],
});
const Z = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString();

describe('BusinessClock: working week in London', () => {
  const clock = new BusinessClock(office('Europe/London', ['2025-12-25', '2025-12-26']));

  it('adds within a day and stops at closing time exactly', () => {
    expect(iso(clock.addMinutes(Z('2025-03-03T10:00:00Z'), 60))).toBe('2025-03-03T11:00:00.000Z');
    expect(iso(clock.addMinutes(Z('2025-03-07T16:00:00Z'), 60))).toBe('2025-03-07T17:00:00.000Z');
  });

  it('carries over the weekend', () => {
    expect(iso(clock.addMinutes(Z('2025-03-07T16:30:00Z'), 60))).toBe('2025-03-10T09:30:00.000Z');
    expect(clock.elapsedMinutes(Z('2025-03-07T16:30:00Z'), Z('2025-03-10T09:30:00Z'))).toBe(60);
  });

  it('starts counting at opening time when work arrives out of hours', () => {
    expect(iso(clock.addMinutes(Z('2025-03-08T10:00:00Z'), 30))).toBe('2025-03-10T09:30:00.000Z');
    expect(iso(clock.addMinutes(Z('2025-03-10T06:00:00Z'), 30))).toBe('2025-03-10T09:30:00.000Z');
    expect(clock.elapsedMinutes(Z('2025-03-08T00:00:00Z'), Z('2025-03-09T23:59:00Z'))).toBe(0);
  });

  it('skips public holidays and the weekend after them', () => {
    // Wed 24 Dec 16:00 + 2h: one hour on Wednesday, Christmas and Boxing Day off, weekend, then Monday.
    expect(iso(clock.addMinutes(Z('2025-12-24T16:00:00Z'), 120))).toBe('2025-12-29T10:00:00.000Z');
    expect(clock.isWorking(Z('2025-12-25T12:00:00Z'))).toBe(false);
    expect(clock.isWorking(Z('2025-12-24T12:00:00Z'))).toBe(true);
  });

  it('counts the same business hours across the spring-forward weekend (GMT to BST)', () => {
    // Fri 28 Mar 16:00 GMT + 2h = Mon 31 Mar 10:00 BST = 09:00 UTC; the wall clock says 65 h, business time 2 h.
    expect(iso(clock.addMinutes(Z('2025-03-28T16:00:00Z'), 120))).toBe('2025-03-31T09:00:00.000Z');
    expect(clock.elapsedMinutes(Z('2025-03-28T16:00:00Z'), Z('2025-03-31T09:00:00Z'))).toBe(120);
    // Monday opens at 09:00 BST, i.e. 08:00 UTC.
    expect(iso(clock.nextWorkingInstant(Z('2025-03-29T12:00:00Z')))).toBe('2025-03-31T08:00:00.000Z');
  });

  it('counts the same business hours across the fall-back weekend (BST to GMT)', () => {
    // Fri 24 Oct 16:00 BST (15:00 UTC) + 2h = Mon 27 Oct 10:00 GMT.
    expect(iso(clock.addMinutes(Z('2025-10-24T15:00:00Z'), 120))).toBe('2025-10-27T10:00:00.000Z');
    expect(clock.elapsedMinutes(Z('2025-10-24T15:00:00Z'), Z('2025-10-27T10:00:00Z'))).toBe(120);
  });

  it('is negative when the end is before the start', () => {
    expect(clock.elapsedMinutes(Z('2025-03-03T11:00:00Z'), Z('2025-03-03T10:00:00Z'))).toBe(-60);
  });

  it('adds across years, filling the table on demand', () => {
    // 250 working days a year minus 2 holidays in 2025: a full working year later lands in 2026.
    const end = clock.addMinutes(Z('2025-01-02T09:00:00Z'), 260 * 8 * 60)!;
    expect(end.getUTCFullYear()).toBe(2026);
    expect(clock.elapsedMinutes(Z('2025-01-02T09:00:00Z'), end)).toBe(260 * 8 * 60);
  });
});

describe('BusinessClock: New York daylight saving', () => {
  it('a 24-hour desk has 23 hours on the spring-forward Sunday and 25 on the fall-back Sunday', () => {
    const clock = new BusinessClock(allDay('America/New_York'));
    // Local midnight to midnight: 05:00Z → 04:00Z (EST to EDT) and 04:00Z → 05:00Z (EDT to EST).
    expect(clock.elapsedMinutes(Z('2025-03-09T05:00:00Z'), Z('2025-03-10T04:00:00Z'))).toBe(23 * 60);
    expect(clock.elapsedMinutes(Z('2025-11-02T04:00:00Z'), Z('2025-11-03T05:00:00Z'))).toBe(25 * 60);
    expect(clock.workingIntervalsOn('2025-03-09').reduce((s, i) => s + (i.to.getTime() - i.from.getTime()), 0)).toBe(23 * 3600_000);
  });

  it('a shift inside the skipped hour has no time; one across it has only the real time', () => {
    const sunday = (start: string, end: string): BusinessCalendar => ({ timeZone: 'America/New_York', week: { sun: [{ start, end }] } });
    expect(new BusinessClock(sunday('02:00', '03:00')).workingIntervalsOn('2025-03-09')).toEqual([]);
    expect(new BusinessClock(sunday('02:00', '03:00')).workingIntervalsOn('2025-03-16')).toHaveLength(1);
    // 01:00 EST → 03:30 EDT is 90 real minutes (02:00–03:00 does not exist).
    const [span] = new BusinessClock(sunday('01:00', '03:30')).workingIntervalsOn('2025-03-09');
    expect(iso(span.from)).toBe('2025-03-09T06:00:00.000Z');
    expect(iso(span.to)).toBe('2025-03-09T07:30:00.000Z');
  });

  it('a shift across the repeated hour lasts from the first 01:00 to 03:00', () => {
    const [span] = new BusinessClock({ timeZone: 'America/New_York', week: { sun: [{ start: '01:00', end: '03:00' }] } }).workingIntervalsOn('2025-11-02');
    expect(iso(span.from)).toBe('2025-11-02T05:00:00.000Z'); // 01:00 EDT
    expect(iso(span.to)).toBe('2025-11-02T08:00:00.000Z'); // 03:00 EST: three real hours
  });

  it('office hours stay 09:00–17:00 local on both sides of each change', () => {
    const clock = new BusinessClock(office('America/New_York'));
    expect(iso(clock.addMinutes(Z('2025-03-07T21:30:00Z'), 60))).toBe('2025-03-10T13:30:00.000Z'); // Fri 16:30 EST → Mon 09:30 EDT
    expect(iso(clock.addMinutes(Z('2025-10-31T20:30:00Z'), 60))).toBe('2025-11-03T14:30:00.000Z'); // Fri 16:30 EDT → Mon 09:30 EST
  });
});

describe('BusinessClock: pauses (waiting on the customer)', () => {
  const clock = new BusinessClock(office('Europe/London'));
  const mon9 = Z('2025-03-03T09:00:00Z');

  it('stops the clock while paused and pushes the due time out by the paused business time', () => {
    const pauses = [{ from: Z('2025-03-03T10:00:00Z'), to: Z('2025-03-04T10:00:00Z') }];
    // 60 min before the pause, 60 after it: due Tue 11:00.
    expect(iso(clock.addMinutes(mon9, 120, pauses))).toBe('2025-03-04T11:00:00.000Z');
    expect(clock.elapsedMinutes(mon9, Z('2025-03-04T12:00:00Z'), pauses)).toBe(180);
  });

  it('treats overlapping pauses once and ignores pauses that end before the start', () => {
    const pauses = [
      { from: Z('2025-03-03T10:00:00Z'), to: Z('2025-03-03T12:00:00Z') },
      { from: Z('2025-03-03T11:00:00Z'), to: Z('2025-03-03T13:00:00Z') },
      { from: Z('2025-03-01T10:00:00Z'), to: Z('2025-03-02T10:00:00Z') },
    ];
    expect(clock.elapsedMinutes(mon9, Z('2025-03-03T14:00:00Z'), pauses)).toBe(120);
    expect(iso(clock.addMinutes(mon9, 120, pauses))).toBe('2025-03-03T14:00:00.000Z');
  });

  it('counts only the part of a pause inside the measured range', () => {
    const pauses = [{ from: Z('2025-03-03T08:00:00Z'), to: Z('2025-03-03T10:00:00Z') }];
    expect(clock.elapsedMinutes(mon9, Z('2025-03-03T11:00:00Z'), pauses)).toBe(60);
    expect(iso(clock.addMinutes(mon9, 60, pauses))).toBe('2025-03-03T11:00:00.000Z');
  });

  it('has no due time while a pause is still open, and stops elapsed time at its start', () => {
    const open = [{ from: Z('2025-03-03T10:00:00Z'), to: null }];
    expect(clock.addMinutes(mon9, 120, open)).toBeNull();
    expect(clock.elapsedMinutes(mon9, Z('2025-03-05T12:00:00Z'), open)).toBe(60);
    // An open pause that starts after the due time does not matter.
    expect(iso(clock.addMinutes(mon9, 30, open))).toBe('2025-03-03T09:30:00.000Z');
  });
});

describe('BusinessClock: calendars', () => {
  it('supports split shifts (a lunch break)', () => {
    const clock = new BusinessClock({ timeZone: 'Europe/Paris', week: { mon: [{ start: '13:00', end: '17:00' }, { start: '09:00', end: '12:00' }] } });
    // Mon 3 Mar 2025, Paris is UTC+1: 11:00 local + 2h = 14:00 local = 13:00Z.
    expect(iso(clock.addMinutes(Z('2025-03-03T10:00:00Z'), 120))).toBe('2025-03-03T13:00:00.000Z');
  });

  it('rejects unknown zones, malformed or overlapping hours and calendars without working time', () => {
    const bad = (cal: BusinessCalendar) => {
      try {
        new BusinessClock(cal);
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as ValidationError).issues.map((i) => i.path);
      }
      throw new Error('expected a ValidationError');
    };
    expect(bad({ timeZone: 'Mars/Olympus', week: { mon: [{ start: '09:00', end: '17:00' }] } })).toEqual(['timeZone']);
    expect(bad({ timeZone: 'UTC', week: { mon: [{ start: '9:00', end: '17:00' }] } })).toEqual(['week/mon/0']);
    expect(bad({ timeZone: 'UTC', week: { mon: [{ start: '17:00', end: '09:00' }] } })).toEqual(['week/mon/0']);
    expect(bad({ timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] } })).toEqual(['week/mon/1']);
    expect(bad({ timeZone: 'UTC', week: {} })).toEqual(['week']);
    expect(bad({ timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '17:00' }] }, holidays: ['25/12/2025'] })).toEqual(['holidays/0']);
    expect(parseClock('24:00')).toBe(1440);
    expect(parseClock('24:01')).toBeNaN();
  });

  it('rejects negative durations', () => {
    expect(() => new BusinessClock(office('UTC')).addMinutes(new Date(), -5)).toThrow(ValidationError);
  });
});

/**
 * An independent oracle: walk the timeline minute by minute, read the local clock through Intl, and say a
 * minute is working when, on its local date, the clock has already shown a span's start but not yet its end.
 */
function oracleMinutes(cal: BusinessCalendar, from: number, to: number): number {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: cal.timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' });
  const local = (t: number) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return { date: `${p.year}-${p.month}-${p.day}`, weekday: p.weekday.toLowerCase().slice(0, 3) as Weekday, minute: Number(p.hour) * 60 + Number(p.minute) };
  };
  // Per (date, span): whether the start has been seen and whether the end has been seen, scanning from a day before.
  const seen = new Map<string, { started: boolean; ended: boolean }>();
  let count = 0;
  for (let t = from - 86_400_000; t < to; t += 60_000) {
    const l = local(t);
    const spans = cal.holidays?.includes(l.date) ? [] : (cal.week[l.weekday] ?? []);
    let working = false;
    for (const [k, s] of spans.entries()) {
      const key = `${l.date}#${k}`;
      const state = seen.get(key) ?? { started: false, ended: false };
      if (l.minute >= parseClock(s.start)) state.started = true;
      if (l.minute >= parseClock(s.end)) state.ended = true;
      seen.set(key, state);
      if (state.started && !state.ended) working = true;
    }
    if (t >= from && working) count++;
  }
  return count;
}

describe('BusinessClock against a minute-by-minute oracle', () => {
  const zones = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];
  // Windows of a few days around each zone's 2025 clock changes, and a plain week.
  const anchors = ['2025-03-08T00:00:00Z', '2025-03-29T00:00:00Z', '2025-10-25T00:00:00Z', '2025-11-01T00:00:00Z', '2025-04-05T00:00:00Z', '2025-10-04T00:00:00Z', '2025-06-10T00:00:00Z'].map((s) => Date.parse(s));
  const calendarArb = fc.record({
    timeZone: fc.constantFrom(...zones),
    start: fc.integer({ min: 0, max: 22 * 60 }).map((m) => m - (m % 30)),
    length: fc.integer({ min: 30, max: 14 * 60 }).map((m) => m - (m % 30) || 30),
    days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
  }).map(({ timeZone, start, length, days }): BusinessCalendar => {
    const end = Math.min(1440, start + length);
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return { timeZone, week: Object.fromEntries(days.map((d) => [d, [{ start: hhmm(start), end: hhmm(end) }]])), holidays: ['2025-03-10', '2025-10-27'] };
  });

  it('elapsed business minutes match the oracle around daylight-saving changes', () => {
    fc.assert(
      fc.property(calendarArb, fc.constantFrom(...anchors), fc.integer({ min: 0, max: 2 * 1440 }), fc.integer({ min: 1, max: 3 * 1440 }), (cal, anchor, offset, span) => {
        const from = anchor + offset * 60_000;
        const to = from + span * 60_000;
        expect(new BusinessClock(cal).elapsedMinutes(new Date(from), new Date(to))).toBe(oracleMinutes(cal, from, to));
      }),
      { numRuns: 40 },
    );
  });

  it('adding then measuring gives back the minutes added, and elapsed time is additive', () => {
    fc.assert(
      fc.property(calendarArb, fc.constantFrom(...anchors), fc.integer({ min: 0, max: 7 * 1440 }), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 10 * 1440 }), (cal, anchor, offset, minutes, mid) => {
        const clock = new BusinessClock(cal);
        const start = new Date(anchor + offset * 60_000);
        const due = clock.addMinutes(start, minutes)!;
        expect(clock.elapsedMinutes(start, due)).toBe(minutes);
        // The due instant is the first one reaching the target: one minute earlier is short of it.
        expect(clock.elapsedMinutes(start, new Date(due.getTime() - 60_000))).toBeLessThan(minutes);
        const m = new Date(start.getTime() + mid * 60_000);
        expect(clock.elapsedMinutes(start, m) + clock.elapsedMinutes(m, due)).toBe(minutes);
      }),
      { numRuns: 60 },
    );
  });
});
