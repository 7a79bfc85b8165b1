/**
 * Value tiers by CLV rank and the disposition engine: whom to acquire more of, keep, grow, treat
 * as strategic, serve as profitable, or let go (serve at lower cost). Rules are data, validated
 * by zod, so a tenant can later carry its own; the first rule whose conditions hold decides, and
 * the conditions that held become the decision's reasons, in words a relationship manager reads.
 */
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';

export const DISPOSITIONS = ['acquire-lookalike', 'keep', 'grow', 'strategic', 'profitable', 'let-go'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

const numericMetric = z.enum(['clv', 'probabilityAlive', 'expectedPurchases', 'expectedSpend', 'frequency', 'recencyDays', 'tenureDays', 'walletGap']);
export type NumericMetric = z.infer<typeof numericMetric>;

export const conditionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('number'), metric: numericMetric, op: z.enum(['<', '<=', '>', '>=']), value: z.number().finite() }),
  z.object({ kind: z.literal('tier'), in: z.array(z.string().min(1)).min(1) }),
  z.object({ kind: z.literal('segment'), in: z.array(z.string().min(1)).min(1) }),
]);
export type Condition = z.infer<typeof conditionSchema>;

export const ruleSchema = z
  .object({
    disposition: z.enum(DISPOSITIONS),
    /** Every condition must hold ... */
    all: z.array(conditionSchema).default([]),
    /** ... and, when present, at least one of these. */
    any: z.array(conditionSchema).default([]),
  })
  .refine((r) => r.all.length + r.any.length > 0, { message: 'a rule needs at least one condition' });
export type Rule = z.infer<typeof ruleSchema>;

export const tierSchema = z.object({
  id: z.string().min(1),
  /** Share of customers, ranked by CLV, in this tier or a better one (0.01 = top 1 %). */
  share: z.number().gt(0).lte(1),
});

export const dispositionConfigSchema = z
  .object({
    currency: z.string().length(3).default('USD'),
    /** Best first, shares increasing; customers beyond the last share fall in `restTier`. */
    tiers: z.array(tierSchema).min(1),
    restTier: z.string().min(1).default('rest'),
    rules: z.array(ruleSchema).min(1),
    fallback: z.enum(DISPOSITIONS),
  })
  .superRefine((c, ctx) => {
    for (let i = 1; i < c.tiers.length; i++) {
      if (!(c.tiers[i].share > c.tiers[i - 1].share)) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'share'], message: 'tier shares must increase from the best tier down' });
    }
    const ids = new Set([...c.tiers.map((t) => t.id), c.restTier]);
    if (ids.size !== c.tiers.length + 1) ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'tier ids must be distinct' });
    c.rules.forEach((r, i) =>
      [...r.all, ...r.any].forEach((cond) => {
        if (cond.kind === 'tier') for (const t of cond.in) if (!ids.has(t)) ctx.addIssue({ code: 'custom', path: ['rules', i], message: `unknown tier ${t}` });
      }),
    );
  });
export type DispositionConfig = z.output<typeof dispositionConfigSchema>;
export type DispositionConfigInput = z.input<typeof dispositionConfigSchema>;

/**
 * Default rules, in order. Thresholds are starting points, not findings: P(alive) 0.5 splits
 * "probably still buying" from "probably gone"; a top-1 % customer still alive gets bespoke service
 * (the $2 million customer goes to the best broker), a valuable customer slipping away gets a
 * retention effort before anything else, the loyal top 5 % are the profile to acquire more of.
 */
export const DEFAULT_DISPOSITION_CONFIG: DispositionConfig = dispositionConfigSchema.parse({
  currency: 'USD',
  tiers: [
    { id: 'top1', share: 0.01 },
    { id: 'top5', share: 0.05 },
    { id: 'top20', share: 0.2 },
  ],
  restTier: 'rest',
  rules: [
    { disposition: 'strategic', all: [{ kind: 'tier', in: ['top1'] }, { kind: 'number', metric: 'probabilityAlive', op: '>=', value: 0.5 }] },
    { disposition: 'keep', all: [{ kind: 'tier', in: ['top1', 'top5', 'top20'] }, { kind: 'number', metric: 'probabilityAlive', op: '<', value: 0.5 }] },
    { disposition: 'acquire-lookalike', all: [{ kind: 'tier', in: ['top5'] }, { kind: 'number', metric: 'probabilityAlive', op: '>=', value: 0.7 }] },
    {
      disposition: 'grow',
      all: [{ kind: 'number', metric: 'probabilityAlive', op: '>=', value: 0.6 }],
      any: [
        { kind: 'number', metric: 'walletGap', op: '>=', value: 1000 },
        { kind: 'number', metric: 'expectedPurchases', op: '>=', value: 1 },
      ],
    },
    { disposition: 'profitable', all: [{ kind: 'number', metric: 'clv', op: '>', value: 0 }, { kind: 'number', metric: 'probabilityAlive', op: '>=', value: 0.4 }] },
    {
      disposition: 'let-go',
      any: [
        { kind: 'number', metric: 'probabilityAlive', op: '<', value: 0.4 },
        { kind: 'number', metric: 'clv', op: '<=', value: 0 },
      ],
    },
  ],
  fallback: 'profitable',
});

export function parseDispositionConfig(input: unknown): DispositionConfig {
  const r = dispositionConfigSchema.safeParse(input);
  if (!r.success) {
    throw new ValidationError(
      'invalid disposition config',
      r.error.issues.map((i) => ({ path: ['config', ...i.path.map(String)].join('/'), message: i.message })),
    );
  }
  return r.data;
}

/**
 * Tier of each customer by CLV rank. A customer whose CLV is beaten by k others has rank k + 1
 * and is in a tier of share p when rank <= p · n; tied customers share the best rank, so equal
 * CLVs never land in different tiers.
 */
export function assignTiers(clv: ArrayLike<number>, config: Pick<DispositionConfig, 'tiers' | 'restTier'> = DEFAULT_DISPOSITION_CONFIG): string[] {
  const n = clv.length;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(clv[i])) throw new ValidationError('CLV must be a number', [{ path: `customers/${i}/clv`, message: 'is NaN' }]);
    sorted[i] = -clv[i];
  }
  sorted.sort();
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = -clv[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    const rank = lo + 1;
    let tier = config.restTier;
    for (const t of config.tiers) {
      if (rank <= t.share * n + 1e-9) {
        tier = t.id;
        break;
      }
    }
    out[i] = tier;
  }
  return out;
}

export interface CustomerFacts {
  clv: number;
  tier: string;
  probabilityAlive: number;
  expectedPurchases?: number;
  expectedSpend?: number;
  frequency?: number;
  recencyDays?: number;
  tenureDays?: number;
  /** Potential minus current share of wallet, in currency; from holdings when known. */
  walletGap?: number;
  segment?: string;
}

export interface DispositionDecision {
  disposition: Disposition;
  /** Index of the rule that decided, or -1 for the fallback. */
  rule: number;
  reasons: string[];
}

const formats = new Map<string, Intl.NumberFormat>();
function money(v: number, currency: string): string {
  let f = formats.get(currency);
  if (!f) formats.set(currency, (f = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 })));
  return f.format(v);
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
}

const METRIC_WORDS: Record<NumericMetric, { label: string; money?: boolean; unit?: string }> = {
  clv: { label: 'CLV', money: true },
  probabilityAlive: { label: 'P(alive)' },
  expectedPurchases: { label: 'expected purchases' },
  expectedSpend: { label: 'expected spend per purchase', money: true },
  frequency: { label: 'repeat purchases' },
  recencyDays: { label: 'days since last purchase' },
  tenureDays: { label: 'days as a customer' },
  walletGap: { label: 'untapped wallet', money: true },
};

function tierWords(tier: string, config: DispositionConfig): string {
  const t = config.tiers.find((x) => x.id === tier);
  if (t) return `in the top ${num(t.share * 100)} %`;
  const last = config.tiers[config.tiers.length - 1];
  return `outside the top ${num(last.share * 100)} %`;
}

/** The reason text when the condition holds, or null when it does not (or the fact is unknown). */
function check(cond: Condition, c: CustomerFacts, config: DispositionConfig): string | null {
  if (cond.kind === 'tier') return cond.in.includes(c.tier) ? `CLV ${money(c.clv, config.currency)} is ${tierWords(c.tier, config)}` : null;
  if (cond.kind === 'segment') return c.segment !== undefined && cond.in.includes(c.segment) ? `RFM segment is ${c.segment}` : null;
  const v = c[cond.metric];
  if (v === undefined || Number.isNaN(v)) return null;
  const ok = cond.op === '<' ? v < cond.value : cond.op === '<=' ? v <= cond.value : cond.op === '>' ? v > cond.value : v >= cond.value;
  if (!ok) return null;
  const w = METRIC_WORDS[cond.metric];
  const fmt = (x: number) => (w.money ? money(x, config.currency) : num(x));
  return `${w.label} ${fmt(v)} ${cond.op} ${fmt(cond.value)}`;
}

export function decideDisposition(customer: CustomerFacts, config: DispositionConfig = DEFAULT_DISPOSITION_CONFIG): DispositionDecision {
  for (let i = 0; i < config.rules.length; i++) {
    const rule = config.rules[i];
    const reasons: string[] = [];
    let ok = true;
    for (const cond of rule.all) {
      const why = check(cond, customer, config);
      if (why === null) {
        ok = false;
        break;
      }
      reasons.push(why);
    }
    if (!ok) continue;
    if (rule.any.length) {
      const anyReasons = rule.any.map((cond) => check(cond, customer, config)).filter((r): r is string => r !== null);
      if (anyReasons.length === 0) continue;
      reasons.push(...anyReasons);
    }
    return { disposition: rule.disposition, rule: i, reasons };
  }
  return { disposition: config.fallback, rule: -1, reasons: [`no rule matched; CLV ${money(customer.clv, config.currency)}, P(alive) ${num(customer.probabilityAlive)}`] };
}

/** Tiers and dispositions for a whole customer base; `facts` omit the tier, which is ranked here. */
export function decideDispositions(facts: readonly Omit<CustomerFacts, 'tier'>[], config: DispositionConfig = DEFAULT_DISPOSITION_CONFIG): (DispositionDecision & { tier: string })[] {
  const tiers = assignTiers(facts.map((f) => f.clv), config);
  return facts.map((f, i) => ({ tier: tiers[i], ...decideDisposition({ ...f, tier: tiers[i] }, config) }));
}
