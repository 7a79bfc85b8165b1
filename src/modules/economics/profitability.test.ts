import { describe, expect, it } from 'vitest';
import { bookProfitability, whaleCurve, type ContactSums, type TransactionSums } from './profitability.js';

const tx = (customerId: string, divisionId: string, kind: TransactionSums['kind'], product: string | null, window: number, lifetime = window, recent = 0, previous = 0): TransactionSums => ({
  customerId, divisionId, kind, product, window, recent, previous, lifetime,
});
const contact = (customerId: string, divisionId: string, touchPoint: string, count: number, recordedCost = 0): ContactSums => ({ customerId, divisionId, touchPoint, count, recordedCost });
const settings = { touchPointCosts: { branch: 20 }, caseCost: 30, productMargins: { CARD: 0.5 }, defaultMargin: 0.3 };

describe('bookProfitability', () => {
  it('applies product margins to purchases and refunds, counts fees and interest margin whole, and subtracts the cost to serve', () => {
    const book = bookProfitability(
      [
        tx('c1', 'cards', 'purchase', 'CARD', 1000, 1200, 300, 200),
        tx('c1', 'cards', 'refund', 'CARD', 100, 100),
        tx('c1', 'mtg', 'interest_margin', null, 2000, 5000, 500, 500),
        tx('c1', 'mtg', 'purchase', 'OTHER', 100, 100),
      ],
      [contact('c1', 'mtg', 'branch', 2, 999), contact('c1', 'cards', 'web', 10, 1.5), contact('c2', 'cards', 'call_centre', 1, 6.5)],
      [contact('c1', 'mtg', 'call_centre', 1)],
      settings,
    );
    const c1 = book.customers.get('c1')!;
    expect(c1.byDivision.cards).toEqual({ revenue: 900, grossMargin: 450, costToServe: 1.5, profit: 448.5 });
    // Branch visits at the configured 20 each (not the 999 recorded), one case at 30.
    expect(c1.byDivision.mtg).toEqual({ revenue: 2100, grossMargin: 2030, costToServe: 70, profit: 1960 });
    expect(c1).toMatchObject({ revenue: 3000, grossMargin: 2480, costToServe: 71.5, profit: 2408.5, spendRecent: 800, spendPrevious: 700 });
    expect(c1.marginRatio).toBeCloseTo((600 - 50 + 5000 + 30) / (1200 - 100 + 5000 + 100), 12);
    // A customer with costs and no revenue loses money and has no margin ratio.
    expect(book.customers.get('c2')).toMatchObject({ revenue: 0, profit: -6.5, marginRatio: null });
    expect(book.costByDivisionTouchPoint.mtg).toEqual({ branch: { interactions: 2, cases: 0, cost: 40 }, call_centre: { interactions: 0, cases: 1, cost: 30 } });
  });
});

describe('whaleCurve', () => {
  it('accumulates profit from the most profitable customers down, above 100 % before the loss makers', () => {
    const curve = whaleCurve([
      { customers: 1, profit: 150 },
      { customers: 2, profit: 0 },
      { customers: 1, profit: -50 },
    ]);
    expect(curve).toEqual([
      { customerShare: 0.25, profitShare: 1.5 },
      { customerShare: 0.75, profitShare: 1.5 },
      { customerShare: 1, profitShare: 1 },
    ]);
  });
});
