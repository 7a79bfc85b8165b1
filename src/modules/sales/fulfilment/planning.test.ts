import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addBusinessDays, businessDaysBetween, isBusinessDay } from './calendar.js';
import { planDelivery, type FulfillerOffer, type PlanInput } from './planning.js';

describe('business-day calendar', () => {
  it('skips weekends and holidays', () => {
    // 2026-11-27 is a Friday
    expect(addBusinessDays('2026-11-27', 1)).toBe('2026-11-30');
    expect(addBusinessDays('2026-11-27', 5)).toBe('2026-12-04');
    expect(addBusinessDays('2026-11-27', 1, new Set(['2026-11-30']))).toBe('2026-12-01');
    expect(addBusinessDays('2026-11-30', -1)).toBe('2026-11-27');
  });

  it('treats zero days as the same business day, or the next one', () => {
    expect(addBusinessDays('2026-11-27', 0)).toBe('2026-11-27');
    expect(addBusinessDays('2026-11-28', 0)).toBe('2026-11-30');
  });

  it('counts business days between two dates', () => {
    expect(businessDaysBetween('2026-11-27', '2026-12-04')).toBe(5);
    expect(businessDaysBetween('2026-12-04', '2026-11-27')).toBe(-5);
    expect(businessDaysBetween('2026-11-27', '2026-11-27')).toBe(0);
    expect(isBusinessDay('2026-11-28')).toBe(false);
  });

  it('skips whole weeks at once without holidays, to the same day as stepping (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: -300, max: 300 }), (offset, n) => {
        const start = new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        const end = addBusinessDays(start, n);
        const stepped = n === 0 ? addBusinessDays(start, 0, new Set(['1900-01-01'])) : addBusinessDays(start, n, new Set(['1900-01-01']));
        return end === stepped && (n <= 0 || businessDaysBetween(start, end) === n);
      }),
    );
  });

  it('round-trips: n business days forward are n business days apart (property)', () => {
    const holidays = new Set(['2026-12-24', '2026-12-25', '2027-01-01']);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 80 }), (offset, n) => {
        const start = addBusinessDays('2026-06-01', offset, holidays);
        return businessDaysBetween(start, addBusinessDays(start, n, holidays), holidays) === n;
      }),
    );
  });
});

const offer = (o: Partial<FulfillerOffer> & Pick<FulfillerOffer, 'fulfillerId' | 'component'>): FulfillerOffer => ({
  fulfiller: o.fulfillerId.toUpperCase(),
  fulfillerName: o.fulfillerId,
  kind: 'subcontractor',
  leadTimeDays: 2,
  capacityPerDay: null,
  stockOnHand: null,
  unitCost: 1,
  holidays: [],
  ...o,
});

// Monday 2026-11-30
const base = (over: Partial<PlanInput>): PlanInput => ({ start: '2026-11-30', lines: [{ lineNo: 1, assemblyDays: 1 }], demands: [], offers: [], shippingDays: 2, ...over });

describe('planDelivery', () => {
  it('dates a line by its latest component, plus assembly and shipping', () => {
    const p = planDelivery(
      base({
        demands: [
          { lineNo: 1, component: 'A', quantity: 10 },
          { lineNo: 1, component: 'B', quantity: 10 },
        ],
        offers: [offer({ fulfillerId: 'a', component: 'A', leadTimeDays: 2 }), offer({ fulfillerId: 'b', component: 'B', leadTimeDays: 6 })],
      }),
    );
    expect(p.allocations.map((a) => [a.component, a.readyOn])).toEqual([['A', '2026-12-02'], ['B', '2026-12-08']]);
    expect(p.lines[0]).toEqual({ lineNo: 1, componentsReadyOn: '2026-12-08', deliveryDate: '2026-12-11', critical: { component: 'B', fulfiller: 'B' } });
    expect(p.deliveryDate).toBe('2026-12-11');
    expect(p.critical).toEqual({ lineNo: 1, component: 'B', fulfiller: 'B', readyOn: '2026-12-08' });
  });

  it('ships from stock when there is enough on the shelf, and makes to order when there is not', () => {
    const shelf = offer({ fulfillerId: 'own', kind: 'own', component: 'A', leadTimeDays: 1, stockOnHand: 15, capacityPerDay: 5 });
    const p = planDelivery(
      base({
        lines: [{ lineNo: 1, assemblyDays: 0 }, { lineNo: 2, assemblyDays: 0 }],
        demands: [
          { lineNo: 1, component: 'A', quantity: 10 },
          { lineNo: 2, component: 'A', quantity: 10 },
        ],
        offers: [shelf],
      }),
    );
    expect(p.allocations.map((a) => [a.basis, a.readyOn])).toEqual([
      ['stock', '2026-12-01'],
      // only 5 left on the shelf: make 10 at 5 a day after a 1-day lead
      ['make', '2026-12-03'],
    ]);
  });

  it('queues work behind a fulfiller’s backlog at its daily capacity', () => {
    const sub = offer({ fulfillerId: 's', component: 'A', leadTimeDays: 1, capacityPerDay: 100 });
    const empty = planDelivery(base({ demands: [{ lineNo: 1, component: 'A', quantity: 100 }], offers: [sub] }));
    const busy = planDelivery(base({ demands: [{ lineNo: 1, component: 'A', quantity: 100 }], offers: [sub], backlog: new Map([['s|A', 300]]) }));
    expect(empty.allocations[0].readyOn).toBe('2026-12-02');
    expect(busy.allocations[0].readyOn).toBe('2026-12-07');
  });

  it('gives work to the cheaper fulfiller only when that does not make the line later', () => {
    const fastDear = offer({ fulfillerId: 'fast', component: 'A', leadTimeDays: 2, unitCost: 3 });
    const slowCheap = offer({ fulfillerId: 'slow', component: 'A', leadTimeDays: 5, unitCost: 1 });
    const longPole = offer({ fulfillerId: 'pole', component: 'B', leadTimeDays: 6 });
    const alone = planDelivery(base({ demands: [{ lineNo: 1, component: 'A', quantity: 1 }], offers: [fastDear, slowCheap] }));
    expect(alone.allocations[0]).toMatchObject({ fulfiller: 'FAST', reason: 'fastest, and cheapest of the fastest', candidates: 2 });
    const withPole = planDelivery(
      base({ demands: [{ lineNo: 1, component: 'A', quantity: 1 }, { lineNo: 1, component: 'B', quantity: 1 }], offers: [fastDear, slowCheap, longPole] }),
    );
    expect(withPole.allocations[0]).toMatchObject({ fulfiller: 'SLOW', reason: 'cheapest ready by 2026-12-08' });
    expect(withPole.deliveryDate).toBe(addBusinessDays('2026-12-08', 3));
  });

  it('lets a customer need-by date move work to a slower, cheaper fulfiller', () => {
    const fastDear = offer({ fulfillerId: 'fast', component: 'A', leadTimeDays: 2, unitCost: 3 });
    const slowCheap = offer({ fulfillerId: 'slow', component: 'A', leadTimeDays: 8, unitCost: 1 });
    const p = planDelivery(base({ demands: [{ lineNo: 1, component: 'A', quantity: 1 }], offers: [fastDear, slowCheap], needBy: '2026-12-31' }));
    expect(p.allocations[0].fulfiller).toBe('SLOW');
    expect(p.allocations[0].reason).toMatch(/customer need-by date/);
    expect(p.meetsNeedBy).toBe(true);
    const tight = planDelivery(base({ demands: [{ lineNo: 1, component: 'A', quantity: 1 }], offers: [fastDear, slowCheap], needBy: '2026-12-03' }));
    expect(tight.allocations[0].fulfiller).toBe('FAST');
    expect(tight.meetsNeedBy).toBe(false);
  });

  it('uses each fulfiller’s own holidays', () => {
    const sub = offer({ fulfillerId: 's', component: 'A', leadTimeDays: 2, holidays: ['2026-12-01'] });
    const p = planDelivery(base({ demands: [{ lineNo: 1, component: 'A', quantity: 1 }], offers: [sub] }));
    expect(p.allocations[0].readyOn).toBe('2026-12-03');
  });

  it('consolidates lines into one delivery date and one work package per fulfiller', () => {
    const p = planDelivery(
      base({
        lines: [{ lineNo: 1, assemblyDays: 1 }, { lineNo: 2, assemblyDays: 3 }],
        demands: [
          { lineNo: 1, component: 'A', quantity: 2 },
          { lineNo: 1, component: 'B', quantity: 1 },
          { lineNo: 2, component: 'A', quantity: 5 },
        ],
        offers: [offer({ fulfillerId: 'x', component: 'A', unitCost: 2 }), offer({ fulfillerId: 'y', component: 'B', leadTimeDays: 4, unitCost: 10 })],
      }),
    );
    expect(p.routes.map((r) => [r.fulfiller, r.items.length, r.cost, r.readyOn])).toEqual([
      ['X', 2, 14, '2026-12-02'],
      ['Y', 1, 10, '2026-12-04'],
    ]);
    expect(p.lines.map((l) => l.deliveryDate)).toEqual(['2026-12-09', '2026-12-09']);
    expect(p.deliveryDate).toBe('2026-12-09');
    expect(p.cost).toBe(24);
  });

  it('reports components nobody offers', () => {
    const p = planDelivery(base({ demands: [{ lineNo: 1, component: 'UNOBTAINIUM', quantity: 1 }] }));
    expect(p.unavailable).toEqual([{ lineNo: 1, component: 'UNOBTAINIUM', quantity: 1 }]);
  });

  it('dates a line without components from the start (a service line)', () => {
    const p = planDelivery(base({ start: '2026-11-28' }));
    expect(p.lines[0]).toMatchObject({ componentsReadyOn: '2026-11-30', deliveryDate: '2026-12-03', critical: null });
  });
});
