/**
 * Reading a match explanation as stored by the server (review_pairs.explanation, customer_links.explanation):
 * the weight, in bits, each comparison contributed, the prior, and why the pair was held for review.
 * The API types it as `unknown`, so it is parsed defensively: a malformed one shows as "no explanation".
 */

export interface FieldWeight {
  comparison: string;
  level: string;
  weight: number;
  tfAdjustment?: number;
  values?: [string | null, string | null];
}

export interface Explanation {
  /** Total weight in bits (log2 odds), prior included. */
  weight: number;
  probability: number;
  prior: number;
  fields: FieldWeight[];
  refused: 'unique-source' | 'incoherent' | string | null;
  /** The blocking or deterministic rule that brought the two records together. */
  rule: string | null;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseExplanation(value: unknown): Explanation | null {
  if (!value || typeof value !== 'object') return null;
  const e = value as Record<string, unknown>;
  if (!isNumber(e.weight) || !isNumber(e.prior) || !Array.isArray(e.fields)) return null;
  const fields: FieldWeight[] = [];
  for (const f of e.fields as unknown[]) {
    if (!f || typeof f !== 'object') continue;
    const x = f as Record<string, unknown>;
    if (typeof x.comparison !== 'string' || typeof x.level !== 'string' || !isNumber(x.weight)) continue;
    fields.push({
      comparison: x.comparison,
      level: x.level,
      weight: x.weight,
      tfAdjustment: isNumber(x.tfAdjustment) ? x.tfAdjustment : undefined,
      values: Array.isArray(x.values) && x.values.length === 2 ? (x.values as [string | null, string | null]) : undefined,
    });
  }
  return {
    weight: e.weight,
    probability: isNumber(e.probability) ? e.probability : probabilityOf(e.weight),
    prior: e.prior,
    fields,
    refused: typeof e.refused === 'string' ? e.refused : null,
    rule: typeof e.rule === 'string' ? e.rule : null,
  };
}

export const probabilityOf = (weight: number) => 1 / (1 + Math.pow(2, -weight));

const COMPARISONS: Record<string, string> = {
  given_name: 'Given name',
  family_name: 'Family name',
  date_of_birth: 'Date of birth',
  national_id: 'National id',
  email: 'Email',
  phone: 'Phone',
  address: 'Address',
};

export function comparisonLabel(name: string): string {
  return COMPARISONS[name] ?? name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** Level labels as a reviewer reads them ("else" is "disagree"; the similarity thresholds in words). */
export function levelLabel(level: string): string {
  switch (level) {
    case 'null':
      return 'missing on one side';
    case 'else':
      return 'disagree';
    case 'exact':
      return 'agree exactly';
    case 'jaro-winkler >= 0.92':
      return 'spelt almost the same';
    case 'jaro-winkler >= 0.8':
      return 'spelt similarly';
    default:
      return level;
  }
}

/** "+15.90" / "−3.61" (a real minus sign, so the columns line up and screen readers say "minus"). */
export function formatWeight(weight: number): string {
  const abs = Math.abs(weight).toFixed(2);
  if (abs === '0.00') return '0.00';
  return `${weight < 0 ? '−' : '+'}${abs}`;
}

/** Probabilities near 0 or 1 keep two decimals: 99.98% and 100% are different statements. */
export function formatProbability(p: number): string {
  if (p >= 1) return '100%';
  if (p <= 0) return '0%';
  const pct = p * 100;
  // Rounded, 0.99999 would read as "100.00%": certain, which the model never is.
  if (pct >= 99.995) return '>99.99%';
  if (pct < 0.005) return '<0.01%';
  if (pct >= 99.5 || pct < 0.5) return `${pct.toFixed(2)}%`;
  return `${Math.round(pct)}%`;
}

/**
 * Why the matcher did not decide the pair by itself. `matchWeight` is the weight the pair was held at, which is
 * below the model's own total when the household safeguard capped it.
 */
export function holdReason(e: Explanation | null, matchWeight: number | null, probability: number): string {
  if (e?.refused === 'unique-source') {
    return 'Not linked automatically: each side already holds a record from a system that keeps one record per person, so linking them would give one person two records there.';
  }
  if (e?.refused === 'incoherent') {
    return 'Not linked automatically: these two records agree, but the other records of the two customers do not agree well enough with each other.';
  }
  if (e && matchWeight !== null && e.weight - matchWeight > 0.01) {
    return 'Held for review: the birth dates clearly differ, and the agreement rests on household evidence (a shared phone or address), which family members share too.';
  }
  if (probability >= 0.5) return 'Likely the same person, but not certain enough to link without a person’s look.';
  return 'The evidence is inconclusive: not a clear match, yet too close to dismiss.';
}

/** The widest absolute weight among the fields and the prior: the scale of the diverging bars. */
export function weightScale(e: Explanation): number {
  return Math.max(1, Math.abs(e.prior), ...e.fields.map((f) => Math.abs(f.weight)));
}
