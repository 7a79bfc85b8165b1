import type { Column, Comparison, ComparisonPatterns, PersonTable } from './comparisons.js';
import type { FellegiSunterModel } from './em.js';

/** Why a pair scored what it did: the weight each comparison level contributed. Stored on links, shown to users. */
export interface MatchExplanation {
  /** Total match weight in bits (log2 odds), prior included. */
  weight: number;
  probability: number;
  /** log2 prior odds that two random comparable records are one person. */
  prior: number;
  fields: FieldContribution[];
}

export interface FieldContribution {
  comparison: string;
  /** Level label, or 'null' when either value is missing (contributes 0). */
  level: string;
  /** log2(m/u) of the level, term-frequency adjustment included. */
  weight: number;
  /** The part of `weight` due to how rare the agreed value is (exact levels only). */
  tfAdjustment?: number;
  values?: [string | null, string | null];
}

export const probabilityOf = (weight: number) => (weight === Infinity ? 1 : 1 / (1 + Math.pow(2, -weight)));
export const weightOf = (probability: number) => Math.log2(probability / (1 - probability));

/**
 * Scores pairs under a trained model. Weights are log2 Bayes factors summed with the prior (Fellegi-Sunter);
 * an exact agreement on a `tf` level is re-weighted by the agreed value's frequency, as Splink does:
 * log2(u_exact / frequency(value)), so that "Smith" = "Smith" says less than "Sondergeld" = "Sondergeld".
 */
export class Scorer {
  readonly levelWeights: Float64Array[];
  readonly priorWeight: number;
  private readonly tfLevel: Int32Array;
  private readonly tfColumns: (Column | null)[];

  constructor(
    readonly model: FellegiSunterModel,
    readonly comparisons: Comparison[],
    readonly table: PersonTable,
  ) {
    this.levelWeights = model.m.map((m, c) => Float64Array.from(m.map((mv, l) => Math.log2(mv / model.u[c][l]))));
    this.priorWeight = weightOf(model.lambda);
    this.tfLevel = Int32Array.from(comparisons.map((c) => (c.tfColumn ? c.levels.findIndex((l) => l.tf) : -1)));
    this.tfColumns = comparisons.map((c) => (c.tfColumn ? table.columns[c.tfColumn] : null));
  }

  /** Term-frequency adjustment for an exact agreement on comparison c between rows i and j. */
  tfAdjustment(c: number, i: number): number {
    const col = this.tfColumns[c];
    if (!col) return 0;
    const code = col.codes.data[i];
    if (code < 0) return 0;
    const freq = Math.max(col.frequency(code), 1 / Math.max(col.nonNull, 1));
    return Math.log2(this.model.u[c][this.tfLevel[c]] / freq);
  }

  /** Weight of each pattern, prior included, before term-frequency adjustments. */
  patternWeights(p: ComparisonPatterns): Float64Array {
    const C = p.nComparisons;
    const out = new Float64Array(p.nPatterns);
    for (let k = 0; k < p.nPatterns; k++) {
      let w = this.priorWeight;
      for (let c = 0; c < C; c++) {
        const l = p.levels[k * C + c];
        if (l >= 0) w += this.levelWeights[c][l];
      }
      out[k] = w;
    }
    return out;
  }

  /** Match weight of every pair. */
  pairWeights(p: ComparisonPatterns, a: Int32Array): Float64Array {
    const base = this.patternWeights(p);
    const C = p.nComparisons;
    const tfComparisons: number[] = [];
    for (let c = 0; c < C; c++) if (this.tfLevel[c] >= 0) tfComparisons.push(c);
    const out = new Float64Array(a.length);
    for (let q = 0; q < a.length; q++) {
      const k = p.patternOf[q];
      let w = base[k];
      for (const c of tfComparisons) if (p.levels[k * C + c] === this.tfLevel[c]) w += this.tfAdjustment(c, a[q]);
      out[q] = w;
    }
    return out;
  }

  level(c: number, i: number, j: number): number {
    return this.comparisons[c].compare(this.table, i, j);
  }

  /** Match weight of one pair of rows, computed from scratch. */
  weight(i: number, j: number): number {
    let w = this.priorWeight;
    for (let c = 0; c < this.comparisons.length; c++) {
      const l = this.comparisons[c].compare(this.table, i, j);
      if (l < 0) continue;
      w += this.levelWeights[c][l];
      if (l === this.tfLevel[c]) w += this.tfAdjustment(c, i);
    }
    return w;
  }

  explain(i: number, j: number): MatchExplanation {
    const fields: FieldContribution[] = [];
    let w = this.priorWeight;
    for (let c = 0; c < this.comparisons.length; c++) {
      const comparison = this.comparisons[c];
      const l = comparison.compare(this.table, i, j);
      const column = comparison.tfColumn;
      const values: [string | null, string | null] | undefined = column ? [this.table.value(column, i), this.table.value(column, j)] : undefined;
      if (l < 0) {
        fields.push({ comparison: comparison.name, level: 'null', weight: 0 });
        continue;
      }
      let fw = this.levelWeights[c][l];
      const entry: FieldContribution = { comparison: comparison.name, level: comparison.levels[l].label, weight: 0 };
      if (l === this.tfLevel[c]) {
        const adj = this.tfAdjustment(c, i);
        fw += adj;
        entry.tfAdjustment = round(adj);
      }
      entry.weight = round(fw);
      if (values) entry.values = values;
      fields.push(entry);
      w += fw;
    }
    return { weight: round(w), probability: probabilityOf(w), prior: round(this.priorWeight), fields };
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
