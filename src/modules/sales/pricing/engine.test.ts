import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UnprocessableError, ValidationError } from '../../../core/errors.js';
import { validateConfiguration } from '../catalogue/configuration.js';
import { customCable, demoPriceItems, demoPriceRules } from '../fixtures.js';
import { priceQuote, type PricingInput, type PricingLine } from './engine.js';
import { authorityOf, discountsAboveAuthority } from './authority.js';
import { currencyDigits, roundMoney } from './money.js';
import { priceRuleSchema, type PriceListForPricing } from './model.js';

const priceList = (over: Partial<PriceListForPricing> = {}): PriceListForPricing => ({
  code: 'EQ-2026',
  currency: 'USD',
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
  approvalThresholdPercent: 10,
  items: new Map(demoPriceItems.map((i) => [i.product, i])),
  ...over,
});

const cableConfig = (c: Record<string, unknown>) => {
  const r = validateConfiguration(customCable.definition, c);
  if (!r.ok) throw new Error(JSON.stringify(r.violations));
  return r.configuration;
};

const input = (lines: PricingLine[], over: Partial<PricingInput> = {}): PricingInput => ({
  at: '2026-06-15',
  priceList: priceList(),
  rules: demoPriceRules,
  customer: null,
  lines,
  ...over,
});

const cable25 = cableConfig({ length: 25, gauge: '12', jacket: 'LSZH', connectorA: 'N', connectorB: 'N' });

describe('list price', () => {
  it('adds the base price and the option components that match, per metre where priced per metre', () => {
    const q = priceQuote(input([{ lineNo: 1, product: 'CAB-CUSTOM', configuration: cable25, quantity: 10 }]));
    const line = q.lines[0];
    // 12 base + 25 m × (1.20 conductor + 0.35 LSZH) + 2 × 9.50 connectors
    expect(line.listUnitPrice).toBe(12 + 25 * 1.2 + 25 * 0.35 + 19);
    expect(line.trail.map((s) => s.code)).toEqual(['base', 'cu-12', 'jkt-lszh', 'conn-a-N', 'conn-b-N']);
    expect(line.trail[1]).toMatchObject({ kind: 'option', label: '12 AWG conductor per metre (1.2 × 25 length)', amount: 30, unitPrice: 42 });
    expect(line.unitPrice).toBe(line.listUnitPrice);
    expect(line.netAmount).toBe(roundMoney(line.listUnitPrice * 10, 'USD'));
    expect(q.customer).toEqual({ tier: 'rest', known: false });
  });
});

describe('policy rules', () => {
  it('prices by customer value tier and says so in the trail', () => {
    const rest = priceQuote(input([{ lineNo: 1, product: 'COMMISSIONING', configuration: {}, quantity: 1 }]));
    const top5 = priceQuote(input([{ lineNo: 1, product: 'COMMISSIONING', configuration: {}, quantity: 1 }], { customer: { tier: 'top5' } }));
    expect(rest.lines[0].unitPrice).toBe(950);
    expect(top5.lines[0].unitPrice).toBe(874);
    expect(top5.lines[0].trail.at(-1)).toMatchObject({ kind: 'rule', code: 'key-account-top5', reason: 'customer tier top5', percentOff: 8, amount: -76, unitPrice: 874 });
    expect(top5.customer).toEqual({ tier: 'top5', known: true });
  });

  it('applies rules in priority order, each on the price the previous left (tier, profitability, volume)', () => {
    const q = priceQuote(
      input([{ lineNo: 1, product: 'CAB-CUSTOM', configuration: cable25, quantity: 600 }], { customer: { tier: 'top1', profitability: 250_000 } }),
    );
    const steps = q.lines[0].trail.filter((s) => s.kind === 'rule');
    expect(steps.map((s) => s.code)).toEqual(['key-account-top1', 'profitable-account', 'cable-volume-100', 'cable-volume-500']);
    expect(steps[2]).toMatchObject({ reason: '600 ordered ≥ 100' });
    const list = q.lines[0].listUnitPrice;
    let expected = list;
    for (const pct of [12, 3, 5, 4]) expected = roundMoney(expected * (1 - pct / 100), 'USD');
    expect(q.lines[0].policyUnitPrice).toBe(expected);
    expect(q.lines[0].policyDiscountPercent).toBeCloseTo(((list - expected) / list) * 100, 2);
  });

  it('counts volume across every line of the same product', () => {
    const other = cableConfig({ length: 10, gauge: '10' });
    const q = priceQuote(input([
      { lineNo: 1, product: 'CAB-CUSTOM', configuration: cable25, quantity: 60 },
      { lineNo: 2, product: 'CAB-CUSTOM', configuration: other, quantity: 40 },
    ]));
    expect(q.lines.every((l) => l.trail.some((s) => s.code === 'cable-volume-100'))).toBe(true);
  });

  it('applies bundle rules to the lines of the bundle and to products bought together', () => {
    const pump = { motor: '11', pumps: 'single', control: 'vfd', frame: 'galv', cableLength: 10 };
    const q = priceQuote(input([
      { lineNo: 1, product: 'PUMP-STATION', configuration: pump, quantity: 1, bundle: 'PUMP-STARTER-KIT' },
      { lineNo: 2, product: 'COMMISSIONING', configuration: {}, quantity: 1, bundle: 'PUMP-STARTER-KIT' },
      { lineNo: 3, product: 'CAB-CUSTOM', configuration: cable25, quantity: 1 },
    ]));
    expect(q.lines[0].trail.filter((s) => s.kind === 'rule').map((s) => s.code)).toEqual(['starter-kit', 'pump-and-commissioning']);
    expect(q.lines[1].trail.filter((s) => s.kind === 'rule').map((s) => s.code)).toEqual(['starter-kit', 'pump-and-commissioning']);
    expect(q.lines[2].trail.some((s) => s.kind === 'rule')).toBe(false);
    // 8400 + 2100 + 1850 + 65 = 12415 list; -5 % -3 %
    expect(q.lines[0].listUnitPrice).toBe(12415);
    expect(q.lines[0].unitPrice).toBe(roundMoney(roundMoney(12415 * 0.95, 'USD') * 0.97, 'USD'));
  });

  it('stops after an exclusive rule and ignores rules outside their validity', () => {
    const rules = [
      priceRuleSchema.parse({ code: 'negotiated', name: 'Negotiated price', priority: 1, when: { tiers: ['top1'] }, percentOff: 20, exclusive: true }),
      priceRuleSchema.parse({ code: 'expired-promo', name: 'Spring promotion', priority: 0, percentOff: 50, validTo: '2026-04-30' }),
      ...demoPriceRules,
    ];
    const q = priceQuote(input([{ lineNo: 1, product: 'COMMISSIONING', configuration: {}, quantity: 1 }], { rules, customer: { tier: 'top1', profitability: 1e6 } }));
    expect(q.lines[0].trail.filter((s) => s.kind === 'rule').map((s) => s.code)).toEqual(['negotiated']);
    expect(q.lines[0].unitPrice).toBe(800); // 760 clamps at the floor of 800
  });

  it('clamps policy discounts at the floor and shows the floor in the trail', () => {
    const rules = [priceRuleSchema.parse({ code: 'deep', name: 'Deep cut', priority: 1, percentOff: 40 })];
    const q = priceQuote(input([{ lineNo: 1, product: 'CAB-CUSTOM', configuration: cable25, quantity: 1 }], { rules }));
    const l = q.lines[0];
    expect(l.floorPrice).toBe(roundMoney(l.listUnitPrice * 0.7, 'USD'));
    expect(l.unitPrice).toBe(l.floorPrice);
    expect(l.trail.at(-1)).toMatchObject({ kind: 'floor', unitPrice: l.floorPrice });
  });

  it('uses amount-off rules in the price list currency', () => {
    const rules = [priceRuleSchema.parse({ code: 'fifty-off', name: 'Fifty off', priority: 1, amountOff: 50 })];
    const q = priceQuote(input([{ lineNo: 1, product: 'COMMISSIONING', configuration: {}, quantity: 2 }], { rules }));
    expect(q.lines[0].unitPrice).toBe(900);
    expect(q.totals).toEqual({ list: 1900, net: 1800, discount: 100, discountPercent: 5.26 });
  });
});

describe('manual discounts, approval and authority', () => {
  it('applies the rep discount after policy and asks for approval above the threshold', () => {
    const q = priceQuote(input([
      { lineNo: 1, product: 'COMMISSIONING', configuration: {}, quantity: 1, manualDiscountPercent: 5 },
      { lineNo: 2, product: 'CAB-CUSTOM', configuration: cable25, quantity: 1, manualDiscountPercent: 12 },
    ]));
    expect(q.lines[0].unitPrice).toBe(902.5);
    expect(q.lines[0].trail.at(-1)).toMatchObject({ kind: 'manual', percentOff: 5, amount: -47.5 });
    expect(q.approval).toEqual({
      required: true,
      thresholdPercent: 10,
      maxManualDiscountPercent: 12,
      reasons: ['line 2: discount of 12% is above the 10% approval threshold'],
    });
    const small = priceQuote(input([{ lineNo: 1, product: 'COMMISSIONING', configuration: {}, quantity: 1, manualDiscountPercent: 10 }]));
    expect(small.approval.required).toBe(false);
  });

  it('flags a rep discount that goes below the floor instead of clamping it', () => {
    const q = priceQuote(input([{ lineNo: 1, product: 'COMMISSIONING', configuration: {}, quantity: 1, manualDiscountPercent: 20 }]));
    expect(q.lines[0].belowFloor).toBe(true);
    expect(q.lines[0].unitPrice).toBe(760);
  });

  it('rejects discounts above a person’s authority, line by line', () => {
    const q = priceQuote(input([
      { lineNo: 1, product: 'COMMISSIONING', configuration: {}, quantity: 1, manualDiscountPercent: 5 },
      { lineNo: 2, product: 'COMMISSIONING', configuration: {}, quantity: 1, manualDiscountPercent: 16 },
    ]));
    expect(discountsAboveAuthority(q, authorityOf({ kind: 'user', role: 'agent' }))).toEqual([
      { path: 'body/lines/1/manualDiscountPercent', message: 'a discount of 16% is above your authority of 15%' },
    ]);
    expect(discountsAboveAuthority(q, authorityOf({ kind: 'user', role: 'manager' }))).toEqual([]);
    expect(discountsAboveAuthority(q, authorityOf({ kind: 'api-key', role: 'integration' }))).toHaveLength(2);
    expect(authorityOf({ kind: 'system', role: 'admin' }).offer).toBe(100);
  });
});

describe('bad input', () => {
  it('refuses an expired or not yet valid price list', () => {
    const line = { lineNo: 1, product: 'COMMISSIONING', configuration: {}, quantity: 1 };
    expect(() => priceQuote(input([line], { at: '2027-01-01' }))).toThrow(new UnprocessableError('price list EQ-2026 expired on 2026-12-31'));
    expect(() => priceQuote(input([line], { at: '2025-12-31' }))).toThrow(UnprocessableError);
    expect(() => priceQuote(input([line], { at: '2099-01-01', priceList: priceList({ validTo: null }) }))).not.toThrow();
  });

  it('names every product missing from the price list', () => {
    try {
      priceQuote(input([{ lineNo: 1, product: 'COMMISSIONING', configuration: {}, quantity: 1 }, { lineNo: 2, product: 'GHOST', configuration: {}, quantity: 1 }]));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues).toEqual([{ path: 'body/lines/1/product', message: 'GHOST is not on price list EQ-2026' }]);
    }
  });
});

describe('money', () => {
  it('rounds to the currency’s minor unit', () => {
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('KWD')).toBe(3);
    expect(roundMoney(1.005, 'USD')).toBe(1.01);
    expect(roundMoney(-1.005, 'USD')).toBe(-1.01);
    expect(roundMoney(1234.5, 'JPY')).toBe(1235);
  });

  it('prices in JPY without fractions', () => {
    const q = priceQuote(input([{ lineNo: 1, product: 'COMMISSIONING', configuration: {}, quantity: 3, manualDiscountPercent: 3.3 }], { priceList: priceList({ currency: 'JPY' }) }));
    expect(Number.isInteger(q.lines[0].unitPrice)).toBe(true);
    expect(Number.isInteger(q.totals.net)).toBe(true);
  });
});

describe('invariants (property)', () => {
  it('never prices above list, never below zero, and the trail adds up to the unit price', () => {
    const arb = fc.record({
      length: fc.integer({ min: 2, max: 398 }).map((x) => x / 2),
      gauge: fc.constantFrom('10', '12', '14'),
      quantity: fc.integer({ min: 1, max: 1000 }),
      tier: fc.constantFrom('top1', 'top5', 'top20', 'rest') as fc.Arbitrary<'top1' | 'top5' | 'top20' | 'rest'>,
      profitability: fc.option(fc.integer({ min: -50_000, max: 500_000 }), { nil: undefined }),
      manual: fc.integer({ min: 0, max: 25 }),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const configuration = cableConfig({ length: a.length, gauge: a.gauge });
        const q = priceQuote(input([{ lineNo: 1, product: 'CAB-CUSTOM', configuration, quantity: a.quantity, manualDiscountPercent: a.manual }], { customer: { tier: a.tier, profitability: a.profitability } }));
        const l = q.lines[0];
        const sum = roundMoney(l.trail.reduce((s, t) => s + t.amount, 0), 'USD');
        return l.unitPrice <= l.listUnitPrice && l.unitPrice >= 0 && sum === l.unitPrice && l.policyUnitPrice >= (l.floorPrice ?? 0);
      }),
      { numRuns: 300 },
    );
  });
});
