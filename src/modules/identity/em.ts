import { comparePairs, type Comparison, type ComparisonPatterns, type PersonTable } from './comparisons.js';

/**
 * Fellegi-Sunter parameters, estimated without labels.
 * m[c][l] = P(level l on comparison c | same person), u[c][l] = P(level l | different people).
 */
export interface FellegiSunterModel {
  comparisons: { name: string; levels: string[] }[];
  m: number[][];
  u: number[][];
  /** Prior probability that two comparable records (a random pair) are the same person. */
  lambda: number;
  /** Share of matches among the blocked pairs EM was trained on. */
  blockedLambda: number;
  iterations: number;
  converged: boolean;
  uSamplePairs: number;
}

export interface TrainingOptions {
  /** Random pairs sampled to estimate u. */
  uSamplePairs: number;
  maxIterations: number;
  tolerance: number;
  seed: number;
  /** Never let a probability fall below this (a level seen once must not carry infinite weight). */
  minProbability: number;
  /** Blocked pairs looked at when counting per-comparison training sessions (evenly spread). */
  maxTrainingPairs: number;
}

/** mulberry32: small, fast, seeded; the same data always trains the same model. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random comparable pairs (i != j, and never two records of one unique-per-person source). For small tables the
 * sample covers every pair exactly once instead.
 */
export function sampleRandomPairs(t: PersonTable, count: number, seed: number, uniqueSource?: Uint8Array): { a: Int32Array; b: Int32Array } {
  const n = t.size;
  const all = (n * (n - 1)) / 2;
  const src = t.source.data;
  const excluded = (i: number, j: number) => uniqueSource !== undefined && src[i] === src[j] && uniqueSource[src[i]] === 1;
  if (all <= count) {
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (!excluded(i, j)) { a.push(i); b.push(j); }
    return { a: Int32Array.from(a), b: Int32Array.from(b) };
  }
  const random = rng(seed);
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  let k = 0;
  let attempts = 0;
  while (k < count && attempts < count * 50) {
    attempts++;
    const i = Math.floor(random() * n);
    const j = Math.floor(random() * n);
    if (i === j || excluded(i, j)) continue;
    a[k] = i;
    b[k] = j;
    k++;
  }
  return { a: a.subarray(0, k), b: b.subarray(0, k) };
}

/** Number of comparable pairs: all pairs less those within one unique-per-person source. */
export function comparablePairs(t: PersonTable, uniqueSource?: Uint8Array): number {
  const n = t.size;
  let total = (n * (n - 1)) / 2;
  if (uniqueSource) {
    const per = new Map<number, number>();
    for (let r = 0; r < n; r++) per.set(t.source.data[r], (per.get(t.source.data[r]) ?? 0) + 1);
    for (const [s, k] of per) if (uniqueSource[s] === 1) total -= (k * (k - 1)) / 2;
  }
  return total;
}

/** Level frequencies per comparison over patterns, each pattern weighted (nulls skipped), with a floor. */
function levelDistribution(p: ComparisonPatterns, comparisons: Comparison[], weight: (k: number) => number, floor: number): number[][] {
  const C = comparisons.length;
  const sums = comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
  for (let k = 0; k < p.nPatterns; k++) {
    const w = weight(k);
    if (w === 0) continue;
    for (let c = 0; c < C; c++) {
      const l = p.levels[k * C + c];
      if (l >= 0) sums[c][l] += w;
    }
  }
  return sums.map((s) => normalise(s, floor));
}

function normalise(s: number[], floor: number): number[] {
  const total = s.reduce((x, y) => x + y, 0);
  if (total <= 0) return s.map(() => 1 / s.length);
  const out = s.map((x) => Math.max(x / total, floor));
  const t2 = out.reduce((x, y) => x + y, 0);
  return out.map((x) => x / t2);
}

/** log2 Bayes factor of each pattern under (m, u). */
function patternLogBf(p: ComparisonPatterns, m: number[][], u: number[][]): Float64Array {
  const C = p.nComparisons;
  const out = new Float64Array(p.nPatterns);
  for (let k = 0; k < p.nPatterns; k++) {
    let s = 0;
    for (let c = 0; c < C; c++) {
      const l = p.levels[k * C + c];
      if (l >= 0) s += Math.log2(m[c][l] / u[c][l]);
    }
    out[k] = s;
  }
  return out;
}

const posterior = (logBf: number, prior: number) => {
  const w = logBf + Math.log2(prior / (1 - prior));
  return 1 / (1 + Math.pow(2, -w));
};

/** Starting m: most matches agree exactly, a few fall one level down, almost none land on "else". */
function initialM(comparisons: Comparison[]): number[][] {
  return comparisons.map((c) => {
    const L = c.levels.length;
    if (L === 1) return [1];
    const m = new Array<number>(L).fill(0);
    m[0] = 0.8;
    m[L - 1] = 0.02;
    for (let l = 1; l < L - 1; l++) m[l] = 0.18 / (L - 2);
    if (L === 2) m[0] = 0.98;
    return m;
  });
}

interface EmResult {
  m: number[][];
  uBlocked: number[][];
  lambda: number;
  iterations: number;
  converged: boolean;
}

interface EmOptions {
  /** Hold m still (estimate u and lambda). */
  fixedM?: boolean;
  /** Hold u still at the given u (estimate m and lambda), as Splink does. */
  fixedU?: boolean;
  /** Comparisons in the likelihood (default all): a session leaves out the comparisons its rule blocked on. */
  active?: boolean[];
}

/** log2 Bayes factor of each pattern under (m, u), over the active comparisons. */
function activeLogBf(p: ComparisonPatterns, m: number[][], u: number[][], active: boolean[]): Float64Array {
  const C = p.nComparisons;
  const out = new Float64Array(p.nPatterns);
  for (let k = 0; k < p.nPatterns; k++) {
    let s = 0;
    for (let c = 0; c < C; c++) {
      if (!active[c]) continue;
      const l = p.levels[k * C + c];
      if (l >= 0) s += Math.log2(m[c][l] / u[c][l]);
    }
    out[k] = s;
  }
  return out;
}

/** The patterns with a non-zero count: a session's pairs hold a fraction of all patterns. */
function onlyPresent(p: ComparisonPatterns, counts: Float64Array): ComparisonPatterns {
  const C = p.nComparisons;
  const keep: number[] = [];
  for (let k = 0; k < p.nPatterns; k++) if (counts[k] > 0) keep.push(k);
  if (keep.length === p.nPatterns) return { ...p, counts };
  const levels = new Int8Array(keep.length * C);
  keep.forEach((k, i) => levels.set(p.levels.subarray(k * C, k * C + C), i * C));
  return { patternOf: p.patternOf, levels, counts: Float64Array.from(keep, (k) => counts[k]), nPatterns: keep.length, nComparisons: C };
}

/** Two-class EM over pattern counts. */
function runEm(p: ComparisonPatterns, counts: Float64Array, comparisons: Comparison[], m0: number[][], u0: number[][], opts: TrainingOptions, em: EmOptions = {}): EmResult {
  const floor = opts.minProbability;
  const C = comparisons.length;
  const active = em.active ?? comparisons.map(() => true);
  let m = m0.map((row) => row.slice());
  let uBlocked = u0.map((row) => row.slice());
  let lambda = 0.3;
  let iterations = 0;
  let converged = false;
  const view = onlyPresent(p, counts);
  counts = view.counts;
  const match = new Float64Array(view.nPatterns);
  for (; iterations < opts.maxIterations && !converged; iterations++) {
    const bf = activeLogBf(view, m, uBlocked, active);
    let matched = 0;
    let total = 0;
    for (let k = 0; k < view.nPatterns; k++) {
      match[k] = counts[k] * posterior(bf[k], lambda);
      matched += match[k];
      total += counts[k];
    }
    if (total === 0) break;
    const nextM = em.fixedM ? m : levelDistribution(view, comparisons, (k) => match[k], floor);
    const nextU = em.fixedU ? uBlocked : levelDistribution(view, comparisons, (k) => counts[k] - match[k], floor);
    const nextLambda = Math.min(Math.max(matched / total, 1e-9), 1 - 1e-9);
    let delta = Math.abs(nextLambda - lambda);
    for (let c = 0; c < C; c++) {
      if (!active[c]) continue;
      for (let l = 0; l < m[c].length; l++) delta = Math.max(delta, Math.abs(nextM[c][l] - m[c][l]), Math.abs(nextU[c][l] - uBlocked[c][l]));
    }
    m = nextM;
    uBlocked = nextU;
    lambda = nextLambda;
    converged = delta < opts.tolerance;
  }
  return { m, uBlocked, lambda, iterations, converged };
}

/** Blocked pairs found by one blocking rule, as pattern counts, and the comparisons that rule blocked on. */
export interface TrainingSession {
  counts: Float64Array;
  /** Per comparison: true when the rule's key uses its fields (left out of this session's likelihood). */
  excluded: boolean[];
}

/**
 * Train the model without labels, as Splink does:
 * - u from random comparable pairs, then corrected for the few true matches such a sample holds;
 * - m by EM sessions, one per blocking rule, each over the pairs that rule found, with u held at the random-pair
 *   u and the rule's own comparisons left out of the likelihood (those pairs agree there by construction). A
 *   comparison's m is the average over the sessions that did not block on it, weighted by their matches. EM over
 *   all blocked pairs at once learns "same name" instead of "same person" once namesakes outnumber duplicates
 *   (measured on the synthetic population: pairwise precision 0.82 at 300,000 records);
 * - lambda by a last EM over all blocked pairs with m held (non-matches get their own u: inside blocks they agree
 *   far more than random pairs do); the prior over all comparable pairs follows from it.
 */
export function trainModel(
  t: PersonTable,
  comparisons: Comparison[],
  blocked: ComparisonPatterns,
  blockedPairs: number,
  opts: TrainingOptions,
  uniqueSource?: Uint8Array,
  sessions?: TrainingSession[],
): FellegiSunterModel {
  const floor = opts.minProbability;
  const C = comparisons.length;
  const sample = sampleRandomPairs(t, opts.uSamplePairs, opts.seed, uniqueSource);
  const random = comparePairs(t, comparisons, sample.a, sample.b);
  let u = levelDistribution(random, comparisons, (k) => random.counts[k], floor);
  const all = runEm(blocked, blocked.counts, comparisons, initialM(comparisons), u, opts);
  let m = all.m.map((row) => row.slice());
  let iterations = all.iterations;
  let converged = all.converged;
  if (sessions?.length) {
    const sums = comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
    const weights = new Array<number>(C).fill(0);
    for (const session of sessions) {
      let total = 0;
      for (let k = 0; k < session.counts.length; k++) total += session.counts[k];
      if (total < 200) continue;
      const active = session.excluded.map((x) => !x);
      const run = runEm(blocked, session.counts, comparisons, initialM(comparisons), u, opts, { fixedU: true, active });
      iterations = Math.max(iterations, run.iterations);
      converged &&= run.converged;
      const matched = run.lambda * total;
      for (let c = 0; c < C; c++) {
        if (!active[c]) continue;
        weights[c] += matched;
        for (let l = 0; l < sums[c].length; l++) sums[c][l] += matched * run.m[c][l];
      }
    }
    m = m.map((row, c) => (weights[c] > 0 ? sums[c].map((x) => x / weights[c]) : row));
  }
  const final = sessions?.length ? runEm(blocked, blocked.counts, comparisons, m, all.uBlocked, opts, { fixedM: true }) : all;
  const lambda = final.lambda;
  const comparable = comparablePairs(t, uniqueSource);
  const prior = Math.min(Math.max((lambda * blockedPairs) / comparable, 1e-12), 0.5);
  // The random sample holds ~prior x sample true matches; weight each sampled pattern by P(non-match).
  for (let pass = 0; pass < 2; pass++) {
    const bf = patternLogBf(random, m, u);
    u = levelDistribution(random, comparisons, (k) => random.counts[k] * (1 - posterior(bf[k], prior)), floor);
  }
  return {
    comparisons: comparisons.map((c) => ({ name: c.name, levels: c.levels.map((l) => l.label) })),
    m,
    u,
    lambda: prior,
    blockedLambda: lambda,
    iterations,
    converged,
    uSamplePairs: sample.a.length,
  };
}
