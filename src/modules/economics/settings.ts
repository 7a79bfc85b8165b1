/**
 * A tenant's economics settings: what serving a customer costs, what each product earns, and how CLV is
 * projected. Stored as one jsonb document per tenant and checked with zod on the way in and out, so a stored
 * document written by an older version still parses (every key has a default).
 */
import { z } from 'zod';
import { TOUCH_POINTS } from '../interactions/schema.js';
import { dispositionConfigSchema, type DispositionConfig, DEFAULT_DISPOSITION_CONFIG } from './tiers.js';

const share = z.number().min(0).max(1);
const money = z.number().min(0).max(1e9);

export const economicsSettingsSchema = z.strictObject({
  /** The models' time unit; every time parameter of a fit is in it. */
  period: z.enum(['day', 'week', 'month']).default('week'),
  purchaseModel: z.enum(['bgnbd', 'pareto-nbd']).default('bgnbd'),
  /** CLV horizon and the annual rate future margin is discounted at. */
  horizonMonths: z.number().int().min(1).max(600).default(36),
  annualDiscountRate: z.number().min(0).max(1).default(0.1),
  /** Margin earned on a `purchase` (and lost on a `refund`) of a product not listed in productMargins. Fees and interest margin are margin already. */
  defaultMargin: share.default(0.3),
  productMargins: z.record(z.string().min(1).max(200), share).default({}),
  /** Handling cost per interaction by touch point; a touch point left out costs what each interaction recorded. */
  touchPointCosts: z.partialRecord(z.enum(TOUCH_POINTS), money).default({}),
  /** Handling cost of one service case. */
  caseCost: money.default(0),
  /** Revenue, cost to serve and profit are summed over this many days up to the calibration end. */
  profitWindowDays: z.number().int().min(1).max(3660).default(365),
  /** Spend and P(alive) now against one window earlier: the trend the service alarms watch. */
  trendDays: z.number().int().min(7).max(730).default(91),
  /** Which transaction kinds count as purchase occasions for the models (refunds never do). */
  eventKinds: z.array(z.enum(['purchase', 'fee', 'interest_margin'])).min(1).default(['purchase', 'fee', 'interest_margin']),
  currency: z.string().regex(/^[A-Z]{3}$/).default('USD'),
  /** Share of wallet: a product family counts as untapped for a customer when at least this share of their tier holds it. */
  walletPeerAdoption: z.number().gt(0).max(1).default(0.25),
  /** Tiers and disposition rules; absent = the built-in defaults (tiers.ts). */
  dispositions: dispositionConfigSchema.optional(),
});

export type EconomicsSettings = z.output<typeof economicsSettingsSchema>;
export type EconomicsSettingsInput = z.input<typeof economicsSettingsSchema>;

export const DEFAULT_SETTINGS: EconomicsSettings = economicsSettingsSchema.parse({});

export function dispositionsOf(s: EconomicsSettings): DispositionConfig {
  return s.dispositions ?? { ...DEFAULT_DISPOSITION_CONFIG, currency: s.currency };
}
