import { describe, expect, it } from 'vitest';
import { estimateWallets } from './wallet.js';

const tiers = new Map([
  ['a', 'top5'],
  ['b', 'top5'],
  ['c', 'top5'],
  ['d', 'top5'],
  ['e', 'rest'],
]);

describe('estimateWallets', () => {
  const holdings = [
    { customerId: 'a', category: 'mortgage', revenue: 20_000 },
    { customerId: 'a', category: 'card', revenue: 300 },
    { customerId: 'b', category: 'mortgage', revenue: 16_000 },
    { customerId: 'b', category: 'card', revenue: 500 },
    { customerId: 'c', category: 'card', revenue: 400 },
    { customerId: 'c', category: 'insurance', revenue: 0 },
    { customerId: 'e', category: 'card', revenue: 100 },
  ];
  const w = estimateWallets(tiers, holdings, { minPeerAdoption: 0.5 });

  it('counts as untapped the families most peers hold and the customer does not, at their median revenue', () => {
    // Peers in top5: mortgage 2/4, card 3/4, insurance 1/4 (below 0.5: not a gap).
    expect(w.get('c')!.untapped).toEqual([{ category: 'mortgage', typicalRevenue: 18_000, peerAdoption: 0.5 }]);
    expect(w.get('c')!.walletGap).toBe(18_000);
    expect(w.get('c')!.shareOfWallet).toBeCloseTo(400 / 18_400, 3);
    expect(w.get('c')!.held).toEqual(['card', 'insurance']);
  });

  it('gives a customer holding everything their peers hold a full share', () => {
    expect(w.get('a')).toMatchObject({ walletGap: 0, shareOfWallet: 1, untapped: [] });
  });

  it('judges a customer against their own tier, and a customer with nothing and no gap has no share', () => {
    // d holds nothing: the top-5 % gap is a mortgage and a card (median card revenue over every earner: 350).
    expect(w.get('d')!.untapped.map((u) => u.category)).toEqual(['mortgage', 'card']);
    expect(w.get('d')!.shareOfWallet).toBe(0);
    // e is the only "rest" customer and holds the only family its tier holds.
    expect(w.get('e')).toMatchObject({ walletGap: 0, shareOfWallet: 1 });
    const lone = estimateWallets(new Map([['z', 'rest']]), [], { minPeerAdoption: 0.25 });
    expect(lone.get('z')).toEqual({ shareOfWallet: null, walletGap: 0, held: [], untapped: [] });
  });
});
