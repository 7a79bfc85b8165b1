import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { assignTiers, decideDisposition, decideDispositions, DEFAULT_DISPOSITION_CONFIG, parseDispositionConfig } from './tiers.js';

describe('value tiers', () => {
  it('ranks by CLV into top 1 %, top 5 %, top 20 % and the rest', () => {
    const clv = Array.from({ length: 200 }, (_, i) => 200 - i); // customer 0 is the best
    const tiers = assignTiers(clv);
    expect(tiers.filter((t) => t === 'top1')).toHaveLength(2);
    expect(tiers.filter((t) => t === 'top5')).toHaveLength(8);
    expect(tiers.filter((t) => t === 'top20')).toHaveLength(30);
    expect(tiers.filter((t) => t === 'rest')).toHaveLength(160);
    expect(tiers.slice(0, 3)).toEqual(['top1', 'top1', 'top5']);
  });

  it('never splits tied customers across tiers', () => {
    const clv = [10, 10, 10, 10, 1, 1, 1, 1, 1, 1];
    // rank of every 10 is 1 (top 10 %), of every 1 is 5 (top 50 %)
    expect(assignTiers(clv, { tiers: [{ id: 'top10', share: 0.1 }, { id: 'top50', share: 0.5 }], restTier: 'rest' })).toEqual([
      'top10', 'top10', 'top10', 'top10', 'top50', 'top50', 'top50', 'top50', 'top50', 'top50',
    ]);
  });
});

describe('dispositions', () => {
  const facts = { clv: 41_200, probabilityAlive: 0.9, expectedPurchases: 3 };

  it('a live top-1 % customer is strategic, with the reasons spelled out', () => {
    const d = decideDisposition({ ...facts, tier: 'top1' });
    expect(d).toEqual({ disposition: 'strategic', rule: 0, reasons: ['CLV $41,200 is in the top 1 %', 'P(alive) 0.9 >= 0.5'] });
  });

  it('a valuable customer slipping away is one to keep', () => {
    const d = decideDisposition({ ...facts, tier: 'top20', probabilityAlive: 0.31 });
    expect(d.disposition).toBe('keep');
    expect(d.reasons).toEqual(['CLV $41,200 is in the top 20 %', 'P(alive) 0.31 < 0.5']);
  });

  it('the loyal top 5 % are the profile to acquire more of; active smaller buyers are to grow', () => {
    expect(decideDisposition({ ...facts, tier: 'top5' }).disposition).toBe('acquire-lookalike');
    const grow = decideDisposition({ clv: 300, tier: 'rest', probabilityAlive: 0.8, expectedPurchases: 0.2, walletGap: 25_000 });
    expect(grow.disposition).toBe('grow');
    expect(grow.reasons).toEqual(['P(alive) 0.8 >= 0.6', 'untapped wallet $25,000 >= $1,000']);
  });

  it('profitable when alive and positive, let go when probably gone', () => {
    expect(decideDisposition({ clv: 120, tier: 'rest', probabilityAlive: 0.5, expectedPurchases: 0.3 }).disposition).toBe('profitable');
    const gone = decideDisposition({ clv: 100, tier: 'rest', probabilityAlive: 0.12 });
    expect(gone).toEqual({ disposition: 'let-go', rule: 5, reasons: ['P(alive) 0.12 < 0.4'] });
  });

  it('rules are data: a tenant config reorders and rethresholds them, and bad configs are rejected with paths', () => {
    const config = parseDispositionConfig({
      currency: 'EUR',
      tiers: [{ id: 'vip', share: 0.1 }],
      rules: [{ disposition: 'strategic', all: [{ kind: 'tier', in: ['vip'] }] }],
      fallback: 'profitable',
    });
    const out = decideDispositions([{ clv: 5000, probabilityAlive: 0.2 }, ...Array.from({ length: 9 }, () => ({ clv: 10, probabilityAlive: 0.9 }))], config);
    expect(out[0]).toEqual({ tier: 'vip', disposition: 'strategic', rule: 0, reasons: ['CLV €5,000 is in the top 10 %'] });
    expect(out[1]).toMatchObject({ tier: 'rest', disposition: 'profitable', rule: -1 });

    try {
      parseDispositionConfig({ ...DEFAULT_DISPOSITION_CONFIG, tiers: [{ id: 'a', share: 0.2 }, { id: 'b', share: 0.1 }], rules: [{ disposition: 'keep', all: [{ kind: 'tier', in: ['gold'] }] }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const paths = (e as ValidationError).issues.map((i) => i.path);
      expect(paths).toContain('config/tiers/1/share');
      expect(paths).toContain('config/rules/0');
    }
  });
});
