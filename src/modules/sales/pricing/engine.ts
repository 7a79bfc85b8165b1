import { UnprocessableError, ValidationError, type FieldIssue } from '../../../core/errors.js';
import { allHold, type Configuration } from '../catalogue/model.js';
import { roundMoney, roundPercent } from './money.js';
import type { CustomerProfile, PriceListForPricing, PriceRule, RuleCondition } from './model.js';

/**
 * The pricing engine: list price from the price list (base + option components), then the ordered policy
 * rules (customer value, volume, bundle), the floor, and the rep's own discount. Pure and synchronous, so
 * a 50-line quote prices in well under a millisecond and every step is written to an explanation trail.
 */

export interface PricingLine {
  lineNo: number;
  product: string;
  configuration: Configuration;
  quantity: number;
  /** Set when the line was added as part of a catalogue bundle. */
  bundle?: string;
  /** The rep's own discount on top of policy, in percent of the price after policy rules. */
  manualDiscountPercent?: number;
}

export interface PricingInput {
  /** The pricing date (YYYY-MM-DD): price list and rule validity are checked against it. */
  at: string;
  priceList: PriceListForPricing;
  rules: readonly PriceRule[];
  /** null when economics knows nothing of the customer (or it is a prospect): priced as tier `rest`. */
  customer: CustomerProfile | null;
  lines: readonly PricingLine[];
}

export type TrailStep =
  | { kind: 'base' | 'option'; code: string; label: string; amount: number; unitPrice: number }
  | { kind: 'rule'; code: string; label: string; reason: string; percentOff?: number; amountOff?: number; amount: number; unitPrice: number }
  | { kind: 'floor'; code: 'floor'; label: string; amount: number; unitPrice: number }
  | { kind: 'manual'; code: 'manual'; label: string; percentOff: number; amount: number; unitPrice: number };

export interface PricedLine {
  lineNo: number;
  product: string;
  quantity: number;
  listUnitPrice: number;
  /** After policy rules and floor, before the rep's discount. */
  policyUnitPrice: number;
  unitPrice: number;
  listAmount: number;
  netAmount: number;
  policyDiscountPercent: number;
  manualDiscountPercent: number;
  discountPercent: number;
  floorPrice: number | null;
  /** The rep's discount would take the price below the floor: the quote cannot be issued. */
  belowFloor: boolean;
  trail: TrailStep[];
}

export interface PricedQuote {
  at: string;
  currency: string;
  priceList: string;
  customer: CustomerProfile & { known: boolean };
  lines: PricedLine[];
  totals: { list: number; net: number; discount: number; discountPercent: number };
  approval: { required: boolean; thresholdPercent: number; maxManualDiscountPercent: number; reasons: string[] };
}

export function priceQuote(input: PricingInput): PricedQuote {
  const { priceList, at } = input;
  const currency = priceList.currency;
  if (at < priceList.validFrom) throw new UnprocessableError(`price list ${priceList.code} is valid only from ${priceList.validFrom}`);
  if (priceList.validTo !== null && at > priceList.validTo) throw new UnprocessableError(`price list ${priceList.code} expired on ${priceList.validTo}`);

  const missing: FieldIssue[] = [];
  input.lines.forEach((l, i) => {
    if (!priceList.items.has(l.product)) missing.push({ path: `body/lines/${i}/product`, message: `${l.product} is not on price list ${priceList.code}` });
  });
  if (missing.length) throw new ValidationError(`some products have no price on ${priceList.code}`, missing);

  const customer: CustomerProfile & { known: boolean } = input.customer ? { ...input.customer, known: true } : { tier: 'rest', known: false };
  const rules = input.rules
    .filter((r) => (r.validFrom === undefined || r.validFrom <= at) && (r.validTo === undefined || r.validTo >= at))
    .slice()
    .sort((a, b) => a.priority - b.priority || (a.code < b.code ? -1 : 1));
  const quantityOf = new Map<string, number>();
  for (const l of input.lines) quantityOf.set(l.product, (quantityOf.get(l.product) ?? 0) + l.quantity);
  const round = (x: number) => roundMoney(Math.max(0, x), currency);

  const lines = input.lines.map((line): PricedLine => {
    const item = priceList.items.get(line.product)!;
    const trail: TrailStep[] = [];
    let price = round(item.basePrice);
    trail.push({ kind: 'base', code: 'base', label: `${line.product} base price`, amount: price, unitPrice: price });
    for (const c of item.components) {
      if (!allHold(c.when, line.configuration)) continue;
      const factor = c.per === undefined ? 1 : Number(line.configuration[c.per] ?? 0);
      const amount = roundMoney(c.amount * factor, currency);
      if (amount === 0) continue;
      price = round(price + amount);
      const label = c.per === undefined ? c.label : `${c.label} (${c.amount} × ${factor} ${c.per})`;
      trail.push({ kind: 'option', code: c.code, label, amount, unitPrice: price });
    }
    const listUnitPrice = price;

    for (const rule of rules) {
      const reason = ruleApplies(rule.when, line, customer, quantityOf);
      if (reason === null) continue;
      let next = price;
      if (rule.percentOff !== undefined) next = next * (1 - rule.percentOff / 100);
      if (rule.amountOff !== undefined) next = next - rule.amountOff;
      next = round(next);
      trail.push({ kind: 'rule', code: rule.code, label: rule.name, reason, percentOff: rule.percentOff, amountOff: rule.amountOff, amount: roundMoney(next - price, currency), unitPrice: next });
      price = next;
      if (rule.exclusive) break;
    }
    const floors = [item.floorPrice, item.floorPercentOfList === undefined ? undefined : (listUnitPrice * item.floorPercentOfList) / 100].filter((x): x is number => x !== undefined);
    const floorPrice = floors.length ? round(Math.max(...floors)) : null;
    if (floorPrice !== null && price < floorPrice && listUnitPrice >= floorPrice) {
      trail.push({ kind: 'floor', code: 'floor', label: `Floor price of ${line.product}`, amount: roundMoney(floorPrice - price, currency), unitPrice: floorPrice });
      price = floorPrice;
    }
    const policyUnitPrice = price;

    const manual = line.manualDiscountPercent ?? 0;
    let belowFloor = false;
    if (manual > 0) {
      const next = round(price * (1 - manual / 100));
      belowFloor = floorPrice !== null && next < floorPrice;
      trail.push({ kind: 'manual', code: 'manual', label: 'Discount given by the account manager', percentOff: manual, amount: roundMoney(next - price, currency), unitPrice: next });
      price = next;
    }
    const listAmount = round(listUnitPrice * line.quantity);
    const netAmount = round(price * line.quantity);
    const pct = (from: number, to: number) => (from > 0 ? roundPercent(((from - to) / from) * 100) : 0);
    return {
      lineNo: line.lineNo,
      product: line.product,
      quantity: line.quantity,
      listUnitPrice,
      policyUnitPrice,
      unitPrice: price,
      listAmount,
      netAmount,
      policyDiscountPercent: pct(listUnitPrice, policyUnitPrice),
      manualDiscountPercent: manual,
      discountPercent: pct(listUnitPrice, price),
      floorPrice,
      belowFloor,
      trail,
    };
  });

  const list = round(lines.reduce((s, l) => s + l.listAmount, 0));
  const net = round(lines.reduce((s, l) => s + l.netAmount, 0));
  const maxManual = lines.reduce((m, l) => Math.max(m, l.manualDiscountPercent), 0);
  const reasons = lines
    .filter((l) => l.manualDiscountPercent > priceList.approvalThresholdPercent)
    .map((l) => `line ${l.lineNo}: discount of ${l.manualDiscountPercent}% is above the ${priceList.approvalThresholdPercent}% approval threshold`);
  return {
    at,
    currency,
    priceList: priceList.code,
    customer,
    lines,
    totals: { list, net, discount: round(list - net), discountPercent: list > 0 ? roundPercent(((list - net) / list) * 100) : 0 },
    approval: { required: reasons.length > 0, thresholdPercent: priceList.approvalThresholdPercent, maxManualDiscountPercent: maxManual, reasons },
  };
}

/** Why the rule applies to this line ("tier top5; 120 units ≥ 100"), or null when it does not. */
function ruleApplies(when: RuleCondition, line: PricingLine, customer: CustomerProfile, quantityOf: ReadonlyMap<string, number>): string | null {
  const why: string[] = [];
  if (when.tiers) {
    if (!when.tiers.includes(customer.tier)) return null;
    why.push(`customer tier ${customer.tier}`);
  }
  if (when.minProfitability !== undefined || when.maxProfitability !== undefined) {
    const p = customer.profitability;
    if (p === undefined) return null;
    if (when.minProfitability !== undefined && p < when.minProfitability) return null;
    if (when.maxProfitability !== undefined && p > when.maxProfitability) return null;
    why.push(`customer profitability ${p}`);
  }
  if (when.products) {
    if (!when.products.includes(line.product)) return null;
  }
  if (when.minQuantity !== undefined) {
    const q = quantityOf.get(line.product) ?? 0;
    if (q < when.minQuantity) return null;
    why.push(`${q} ordered ≥ ${when.minQuantity}`);
  }
  if (when.bundle !== undefined) {
    if (line.bundle !== when.bundle) return null;
    why.push(`sold in bundle ${when.bundle}`);
  }
  if (when.withProducts) {
    if (!when.withProducts.includes(line.product) || !when.withProducts.every((p) => quantityOf.has(p))) return null;
    why.push(`bought together with ${when.withProducts.filter((p) => p !== line.product).join(', ')}`);
  }
  return why.length ? why.join('; ') : 'applies to every line';
}
