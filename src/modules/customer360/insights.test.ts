import { describe, expect, it } from 'vitest';
import { crossDivisionInsights, type HoldingFact } from './insights.js';

const holding = (over: Partial<HoldingFact>): HoldingFact => ({
  accountId: 'a',
  divisionId: 'd-cards',
  divisionName: 'Cards',
  productName: 'Platinum Card',
  productCategory: 'card',
  status: 'open',
  openedOn: null,
  balance: null,
  ...over,
});

describe('cross-division insights', () => {
  it('flags an offer for a product category the customer already holds', () => {
    const out = crossDivisionInsights(
      [holding({ accountId: 'held' }), holding({ accountId: 'offer', status: 'offered', productName: 'Gold Card' })],
      [],
    );
    expect(out).toHaveLength(1);
    expect(out[0].kind).toBe('offer-conflict');
    expect(out[0].message).toContain('Gold Card');
    expect(out[0].message).toContain('Platinum Card (Cards)');
  });

  it('does not flag offers for categories not held, nor closed holdings', () => {
    const out = crossDivisionInsights(
      [holding({ status: 'closed' }), holding({ status: 'offered', productName: 'Gold Card' }), holding({ productCategory: 'mortgage', productName: 'Home Loan', divisionName: 'Mortgages' })],
      [],
    );
    expect(out.filter((i) => i.kind === 'offer-conflict')).toHaveLength(0);
  });

  it('says when several divisions know the customer and sums balances across them', () => {
    const out = crossDivisionInsights(
      [
        holding({ divisionId: 'd-m', divisionName: 'Mortgages', productCategory: 'mortgage', balance: -350000 }),
        holding({ balance: 1200 }),
      ],
      [
        { divisionId: 'd-m', divisionName: 'Mortgages', createdAt: new Date() },
        { divisionId: 'd-cards', divisionName: 'Cards', createdAt: new Date() },
      ],
    );
    expect(out.map((i) => i.kind).sort()).toEqual(['multi-division', 'relationship-value']);
    expect(out.find((i) => i.kind === 'relationship-value')!.message).toContain('351,200');
    expect(out.find((i) => i.kind === 'multi-division')!.message).toContain('Cards, Mortgages');
  });
});
