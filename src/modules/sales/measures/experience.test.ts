import { describe, expect, it } from 'vitest';
import { experienceMeasures, periodOf, type OrderFact } from './experience.js';

const d = (s: string) => new Date(s);

describe('experienceMeasures', () => {
  it('measures request-to-quote hours by the month of the request', () => {
    const m = experienceMeasures(
      [
        { divisionId: 'x', requestedAt: d('2026-11-02T09:00:00Z'), issuedAt: d('2026-11-02T13:00:00Z') },
        { divisionId: 'x', requestedAt: d('2026-11-03T09:00:00Z'), issuedAt: d('2026-11-04T09:00:00Z') },
        { divisionId: 'x', requestedAt: d('2026-11-05T09:00:00Z'), issuedAt: null },
        { divisionId: 'x', requestedAt: d('2026-12-01T09:00:00Z'), issuedAt: d('2026-12-01T10:00:00Z') },
      ],
      [],
      'month',
    );
    expect(m.map((p) => p.period)).toEqual(['2026-11', '2026-12']);
    expect(m[0].quotes).toEqual({ requested: 3, issued: 2, requestToQuoteHours: { count: 2, median: 14, p90: 22 } });
  });

  it('measures orders: delivery turnaround, on-time, mishandled and custom shares', () => {
    const base: OrderFact = {
      divisionId: 'x',
      requestedAt: d('2026-11-02T09:00:00Z'),
      quotedAt: d('2026-11-02T15:00:00Z'),
      acceptedAt: d('2026-11-03T09:00:00Z'),
      promisedDate: '2026-11-13',
      deliveredAt: d('2026-11-12T12:00:00Z'),
      custom: true,
      mishandlings: [],
    };
    const m = experienceMeasures(
      [],
      [
        base,
        { ...base, deliveredAt: d('2026-11-17T12:00:00Z'), mishandlings: [{ kind: 'late' }] },
        { ...base, custom: false, deliveredAt: null, mishandlings: [{ kind: 'wrong' }, { kind: 'returned' }] },
        { ...base, custom: false, deliveredAt: null },
      ],
      'all',
    );
    expect(m).toHaveLength(1);
    const o = m[0].orders;
    expect(o.accepted).toBe(4);
    expect(o.delivered).toBe(2);
    expect(o.onTimeRate).toBe(0.5);
    expect(o.mishandledRate).toBe(0.5);
    expect(o.mishandledByKind).toEqual({ late: 1, wrong: 1, returned: 1 });
    expect(o.customShare).toBe(0.5);
    expect(o.quoteToDeliveryDays.median).toBe(12.38);
  });

  it('labels ISO weeks and quarters', () => {
    expect(periodOf(d('2026-01-01T00:00:00Z'), 'week')).toBe('2026-W01');
    expect(periodOf(d('2027-01-01T00:00:00Z'), 'week')).toBe('2026-W53');
    expect(periodOf(d('2026-11-24T00:00:00Z'), 'quarter')).toBe('2026-Q4');
  });
});

describe('experienceMeasures with a window', () => {
  it('counts an order accepted before the window but delivered inside it only as a delivery', () => {
    const m = experienceMeasures(
      [],
      [{ divisionId: 'x', requestedAt: d('2026-10-01T09:00:00Z'), quotedAt: d('2026-10-01T12:00:00Z'), acceptedAt: d('2026-10-20T09:00:00Z'), promisedDate: '2026-11-05', deliveredAt: d('2026-11-04T09:00:00Z'), custom: true, mishandlings: [] }],
      'month',
      { from: d('2026-11-01T00:00:00Z'), to: d('2026-12-01T00:00:00Z') },
    );
    expect(m.map((p) => [p.period, p.orders.accepted, p.orders.delivered, p.orders.onTimeRate])).toEqual([['2026-11', 0, 1, 1]]);
  });
});

describe('experienceMeasures by division', () => {
  it('splits each period by division', () => {
    const q = (divisionId: string, at: string) => ({ divisionId, requestedAt: d(at), issuedAt: d(at) });
    const m = experienceMeasures([q('a', '2026-11-02T09:00:00Z'), q('b', '2026-11-03T09:00:00Z'), q('a', '2026-12-01T09:00:00Z')], [], 'month', undefined, true);
    expect(m.map((p) => [p.period, p.divisionId, p.quotes.requested])).toEqual([['2026-11', 'a', 1], ['2026-11', 'b', 1], ['2026-12', 'a', 1]]);
  });
});
