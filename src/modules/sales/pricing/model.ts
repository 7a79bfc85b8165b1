import { z } from 'zod';
import { conditionSchema } from '../catalogue/model.js';

export const TIERS = ['top1', 'top5', 'top20', 'rest'] as const;
export type Tier = (typeof TIERS)[number];

const itemCode = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');
const isoDate = z.iso.date();
const money = z.number().min(0).max(1e12);

/** Adds `amount` to the list unit price when the configuration matches `when`, times the numeric option `per` if given (price per metre, say). */
export const priceComponentSchema = z.strictObject({
  code: itemCode,
  label: z.string().trim().min(1).max(200),
  when: z.array(conditionSchema).max(20).optional(),
  amount: z.number().min(-1e9).max(1e9),
  per: z.string().max(64).optional(),
});
export type PriceComponent = z.infer<typeof priceComponentSchema>;

export const priceListItemSchema = z.strictObject({
  product: itemCode,
  basePrice: money,
  components: z.array(priceComponentSchema).max(500).default([]),
  /** The lowest unit price policy rules may reach; a manual discount below it is refused. */
  floorPrice: money.optional(),
  /** The same as a share of the configured list price (70 = never below 70 % of list): fits products whose price varies with the configuration. The higher floor wins. */
  floorPercentOfList: z.number().min(0).max(100).optional(),
});
export type PriceListItem = z.infer<typeof priceListItemSchema>;

/** Every given test must hold for the rule to apply to a line. */
export const ruleConditionSchema = z.strictObject({
  tiers: z.array(z.enum(TIERS)).min(1).optional().describe('Customer value tiers (from economics; unknown customers count as rest)'),
  minProfitability: z.number().optional().describe('Customer profitability as economics reports it (e.g. yearly contribution)'),
  maxProfitability: z.number().optional(),
  minQuantity: z.number().positive().optional().describe('Volume: quantity of this product across the whole quote'),
  products: z.array(itemCode).min(1).optional().describe('Only lines for these products'),
  bundle: itemCode.optional().describe('Only lines sold as part of this catalogue bundle'),
  withProducts: z.array(itemCode).min(2).optional().describe('Only when the quote holds all of these products; applies to their lines'),
});
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

export const priceRuleSchema = z
  .strictObject({
    code: itemCode,
    name: z.string().trim().min(1).max(200),
    /** Lower runs first; each rule applies to the price the previous ones left. */
    priority: z.number().int().min(0).max(1_000_000),
    when: ruleConditionSchema.default({}),
    percentOff: z.number().min(0).max(100).optional(),
    amountOff: z.number().min(0).max(1e9).optional().describe('Per unit, in the price list currency'),
    /** When it applies, later rules are skipped for that line (a negotiated price that nothing stacks on). */
    exclusive: z.boolean().default(false),
    validFrom: isoDate.optional(),
    validTo: isoDate.optional(),
  })
  .refine((r) => r.percentOff !== undefined || r.amountOff !== undefined, 'give percentOff or amountOff');
export type PriceRule = z.infer<typeof priceRuleSchema>;

export interface CustomerProfile {
  tier: Tier;
  profitability?: number;
}

export interface PriceListForPricing {
  code: string;
  currency: string;
  validFrom: string;
  validTo: string | null;
  /** A manual discount above this percentage needs someone else's approval. */
  approvalThresholdPercent: number;
  items: ReadonlyMap<string, PriceListItem>;
}
