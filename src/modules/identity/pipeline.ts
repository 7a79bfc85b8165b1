import { randomUUID } from 'node:crypto';
import { BlockIndex, blockingRecall, type CandidatePairs, type SkippedBlock } from './blocking.js';
import { assignClusterIds, clusterRecords, type ClusterEdges } from './cluster.js';
import { comparePairs, PersonTable, type ComparisonPatterns, type ResolveRecord } from './comparisons.js';
import { deterministicLinks, dobClearlyDiffers, type DeterministicLinks } from './deterministic.js';
import { trainModel, type FellegiSunterModel, type TrainingSession } from './em.js';
import { probabilityOf, Scorer, weightOf, type MatchExplanation } from './score.js';
import { defaultSettings, type ResolutionSettings } from './settings.js';

export type { ResolveRecord } from './comparisons.js';

/** Manual decisions by record id: they always win over the model. */
export interface ManualDecisions {
  mustLink?: [string, string][];
  cannotLink?: [string, string][];
}

export interface ResolveOptions {
  settings?: ResolutionSettings;
  /** Previous assignment record id -> cluster id: surviving clusters keep their ids. */
  previous?: ReadonlyMap<string, string>;
  decisions?: ManualDecisions;
  /** Sources holding at most one record per person (a customer master, a national register). */
  uniqueSources?: string[];
  /** A trained model to reuse instead of training (m, u and prior are kept); ignored unless it fits the settings' comparisons. */
  model?: FellegiSunterModel;
  /** Truth labels, only to report blocking recall. Never used for training. */
  truth?: (record: ResolveRecord) => string | null;
  newClusterId?: () => string;
  /** Attach a per-field explanation to each link and review pair (default true). */
  explain?: boolean;
}

export interface ResolvedLink {
  a: string;
  b: string;
  method: 'deterministic' | 'probabilistic' | 'manual';
  rule?: string;
  weight: number;
  probability: number;
  explanation?: MatchExplanation;
  /** Why an auto-link-strength pair went to review instead. */
  refused?: string;
}

export interface ResolveStats {
  records: number;
  /** Candidate pairs scored (blocked) plus deterministic pairs not among them. */
  pairsCompared: number;
  blockedPairs: number;
  perBlockingRule: Record<string, number>;
  deterministicPairs: number;
  perDeterministicRule: Record<string, number>;
  sharedIdentifiersSkipped: Record<string, number>;
  skippedBlocks: SkippedBlock[];
  blockingRecall?: { truePairs: number; found: number; recall: number };
  clusters: number;
  autoLinks: number;
  reviewPairs: number;
  refusedMerges: Record<string, number>;
  model: { lambda: number; blockedLambda: number; iterations: number; converged: boolean; uSamplePairs: number };
  /** Wall-clock time per stage. */
  timingsMs: Record<string, number>;
  /** CPU time (user + system) per stage: what to compare on a shared machine. */
  cpuMs?: Record<string, number>;
}

export interface ResolvedCluster {
  id: string;
  records: string[];
}

export interface ResolveResult {
  clusters: ResolvedCluster[];
  /** Record id -> cluster id, for every record of the run (incremental: of the touched clusters). */
  clusterOf: Map<string, string>;
  autoLinks: ResolvedLink[];
  reviewPairs: ResolvedLink[];
  /** Cluster ids of `previous` no record holds any more. */
  retiredClusterIds: string[];
  model: FellegiSunterModel;
  stats: ResolveStats;
  /** Everything an incremental run needs; pass it to resolveIncremental. */
  state: ResolverState;
}

/** The in-memory index of a resolved population: the table, its blocks, the model and the current clusters. */
export interface ResolverState {
  settings: ResolutionSettings;
  table: PersonTable;
  index: BlockIndex;
  model: FellegiSunterModel;
  scorer: Scorer;
  uniqueSources: string[];
  /** Cluster id per row (undefined until a run has placed the row). */
  clusterIdOf: (string | undefined)[];
  /** Rows per cluster id. */
  rowsOf: Map<string, number[]>;
}

/**
 * One EM session per blocking rule (the first 32): pattern counts of the blocked pairs that rule holds (at most
 * `maxTrainingPairs` pairs looked at, evenly spread), and the comparisons the rule blocked on.
 */
function trainingSessions(index: BlockIndex, settings: ResolutionSettings, pairs: CandidatePairs, patterns: ComparisonPatterns): TrainingSession[] {
  const rules = index.rules.slice(0, 32);
  const counts = rules.map(() => new Float64Array(patterns.nPatterns));
  const n = pairs.a.length;
  const step = Math.max(1, Math.ceil(n / settings.training.maxTrainingPairs));
  for (let p = 0; p < n; p += step) {
    let mask = index.ruleMask(pairs.a[p], pairs.b[p]);
    const k = patterns.patternOf[p];
    while (mask) {
      const r = 31 - Math.clz32(mask);
      counts[r][k]++;
      mask &= ~(1 << r);
    }
  }
  return rules.map((rule, r) => ({ counts: counts[r], excluded: settings.comparisons.map((c) => rule.uses.includes(c.name)) }));
}

/** Whether a trained model's comparisons and levels are exactly those of the settings. */
export function modelFits(model: FellegiSunterModel, settings: ResolutionSettings): boolean {
  const want = settings.comparisons.map((c) => `${c.name}:${c.levels.map((l) => l.label).join('|')}`).join(';');
  const have = model.comparisons.map((c) => `${c.name}:${c.levels.join('|')}`).join(';');
  return want === have;
}

function uniqueFlags(t: PersonTable, settings: ResolutionSettings, uniqueSources: string[]): Uint8Array {
  const flags = new Uint8Array(t.sources.length + uniqueSources.length + 1);
  if (!settings.enforceUniqueSources) return flags;
  for (const s of uniqueSources) flags[t.sourceCode(s)] = 1;
  return flags;
}

function rowPairs(t: PersonTable, pairs: [string, string][] | undefined): [number, number][] {
  const out: [number, number][] = [];
  for (const [x, y] of pairs ?? []) {
    const a = t.rowById.get(x);
    const b = t.rowById.get(y);
    if (a !== undefined && b !== undefined) out.push([a, b]);
  }
  return out;
}

interface ScoredRun {
  pairs: CandidatePairs;
  det: DeterministicLinks;
  edges: ClusterEdges;
  edgeRule: string[];
}

/** Combine blocked pairs (weighted) and deterministic pairs (weight Infinity) into one edge list. */
function buildEdges(pairs: CandidatePairs, weights: Float64Array, det: DeterministicLinks, settings: ResolutionSettings, index: BlockIndex, table: PersonTable): ScoredRun {
  const nb = pairs.a.length;
  const nd = det.a.length;
  const a = new Int32Array(nb + nd);
  const b = new Int32Array(nb + nd);
  const weight = new Float64Array(nb + nd);
  a.set(pairs.a);
  b.set(pairs.b);
  weight.set(weights);
  a.set(det.a, nb);
  b.set(det.b, nb);
  weight.fill(Infinity, nb);
  const ruleNames = index.rules.map((r) => r.name);
  const detNames = settings.deterministicRules.map((r) => r.name);
  const edgeRule = new Array<string>(nb + nd);
  for (let e = 0; e < nb; e++) edgeRule[e] = ruleNames[pairs.rule[e]];
  capHouseholdConflicts(table, a, b, weight, nb, settings);
  for (let e = 0; e < nd; e++) edgeRule[nb + e] = detNames[det.rule[e]];
  return { pairs, det, edges: { a, b, weight }, edgeRule };
}

/**
 * Fellegi-Sunter treats fields as independent, but a household shares its address, landline and family name at
 * once, so a father and son who share a given name can out-score a clearly different birth date. A pair living
 * at the same address or postcode (or sharing a phone number) whose birth dates clearly differ (beyond a typo or a
 * day/month swap) and that shares no personal identifier (national id, email) is never linked automatically:
 * its weight is capped just below the auto-link threshold so that a person reviews it.
 */
function capHouseholdConflicts(table: PersonTable, a: Int32Array, b: Int32Array, weight: Float64Array, n: number, settings: ResolutionSettings) {
  const upper = weightOf(settings.thresholds.autoLink);
  const cap = upper - 1e-6;
  const same = (col: Int32Array | number[], i: number, j: number) => col[i] >= 0 && col[i] === col[j];
  const nid = table.columns.nationalId.codes.data;
  const email = table.columns.email.codes.data;
  const phone = table.columns.phone.codes.data;
  const address = table.columns.address1.codes.data;
  const postcode = table.columns.postcode.codes.data;
  for (let e = 0; e < n; e++) {
    if (weight[e] < upper) continue;
    const i = a[e];
    const j = b[e];
    const household = same(phone, i, j) || same(address, i, j) || same(postcode, i, j);
    if (!household || same(nid, i, j) || same(email, i, j)) continue;
    if (dobClearlyDiffers(table, i, j)) weight[e] = cap;
  }
}

/** Full run: normalised records in, clusters, links, review pairs and statistics out. */
export function resolve(records: readonly ResolveRecord[], options: ResolveOptions = {}): ResolveResult {
  const settings = options.settings ?? defaultSettings();
  const timings: Record<string, number> = {};
  const cpuTimings: Record<string, number> = {};
  let clock = performance.now();
  let cpuClock = process.cpuUsage();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - clock);
    clock = now;
    const cpu = process.cpuUsage();
    cpuTimings[name] = Math.round((cpu.user - cpuClock.user + cpu.system - cpuClock.system) / 1000);
    cpuClock = cpu;
  };
  const start = clock;
  const cpuStart = cpuClock;

  const table = PersonTable.from(records);
  const uniqueSources = options.uniqueSources ?? [];
  const unique = uniqueFlags(table, settings, uniqueSources);
  lap('encode');

  const det = deterministicLinks(table, settings.deterministicRules, { maxShared: settings.maxSharedIdentifier, uniqueSource: unique });
  lap('deterministic');

  const index = BlockIndex.build(table, settings.blockingRules, { maxBlockSize: settings.maxBlockSize, uniqueSource: unique });
  const pairs = index.allPairs(table);
  lap('blocking');

  const patterns = comparePairs(table, settings.comparisons, pairs.a, pairs.b);
  lap('comparisons');

  // A stored model is reused only if it was trained on these comparisons and levels (settings change over time).
  const reuse = options.model && modelFits(options.model, settings) ? options.model : undefined;
  const model = reuse ?? trainModel(table, settings.comparisons, patterns, pairs.a.length, settings.training, unique, trainingSessions(index, settings, pairs, patterns));
  lap('training');

  const scorer = new Scorer(model, settings.comparisons, table);
  const weights = scorer.pairWeights(patterns, pairs.a);
  lap('scoring');

  const run = buildEdges(pairs, weights, det, settings, index, table);
  const state: ResolverState = { settings, table, index, model, scorer, uniqueSources, clusterIdOf: [], rowsOf: new Map() };
  const result = clusterAndReport(state, run, undefined, options);
  lap('clustering');
  timings.total = Math.round(performance.now() - start);
  const cpuEnd = process.cpuUsage(cpuStart);
  cpuTimings.total = Math.round((cpuEnd.user + cpuEnd.system) / 1000);

  let recall: ResolveStats['blockingRecall'];
  if (options.truth) {
    const labels = records.map((r) => options.truth!(r));
    recall = blockingRecall(pairs, (row) => labels[row], table.size, (x, y) => unique[table.source.data[x]] === 1 && table.source.data[x] === table.source.data[y]);
  }
  result.stats = { ...result.stats, blockingRecall: recall, timingsMs: timings, cpuMs: cpuTimings, skippedBlocks: pairs.skippedBlocks };
  return result;
}

/** Cluster the rows of `rows` (all when undefined), assign stable ids and turn edges into links. */
function clusterAndReport(state: ResolverState, run: ScoredRun, rows: Int32Array | undefined, options: ResolveOptions, preset?: number[][]): ResolveResult {
  const { settings, table, scorer } = state;
  const unique = uniqueFlags(table, settings, state.uniqueSources);
  const explain = options.explain ?? true;
  const upper = weightOf(settings.thresholds.autoLink);
  const lower = weightOf(settings.thresholds.review);
  const clustered = clusterRecords({
    n: table.size,
    rows,
    preset,
    edges: run.edges,
    mustLink: rowPairs(table, options.decisions?.mustLink),
    cannotLink: rowPairs(table, options.decisions?.cannotLink),
    sourceOf: table.source.data,
    uniqueSource: unique,
    upperWeight: upper,
    lowerWeight: lower,
    pairWeight: (i, j) => scorer.weight(i, j),
    minCoherence: settings.coherence.minMeanProbability,
    maxCrossPairs: settings.coherence.maxCrossPairs,
  });

  // Group rows by representative, then give each group a stable id.
  const groups = new Map<number, number[]>();
  const rowList = rows ?? Int32Array.from({ length: table.size }, (_, i) => i);
  for (const r of rowList) {
    const c = clustered.clusterOf[r];
    let g = groups.get(c);
    if (!g) groups.set(c, (g = []));
    g.push(r);
  }
  const groupRows = [...groups.values()];
  const previous = options.previous ?? (state.clusterIdOf.length ? previousOf(state, rowList) : undefined);
  const ids = assignClusterIds(groupRows.map((g) => g.map((r) => table.ids[r])), previous, options.newClusterId ?? randomUUID);
  const previousIds = new Set<string>();
  if (previous) for (const r of rowList) { const p = previous.get(table.ids[r]); if (p !== undefined) previousIds.add(p); }
  const clusters: ResolvedCluster[] = groupRows.map((g, k) => ({ id: ids[k], records: g.map((r) => table.ids[r]) }));
  for (const c of clusters) previousIds.delete(c.id);
  // Keep clusterIdOf a packed array: writing rows out of order into a short array turns it into a hash table.
  while (state.clusterIdOf.length < table.size) state.clusterIdOf.push(undefined);
  // Record the new assignment in the state (the affected rows' old clusters are wholly inside rowList).
  for (const r of rowList) {
    const old = state.clusterIdOf[r];
    if (old !== undefined) state.rowsOf.delete(old);
  }
  for (let k = 0; k < groupRows.length; k++) {
    for (const r of groupRows[k]) state.clusterIdOf[r] = ids[k];
    state.rowsOf.set(ids[k], groupRows[k]);
  }

  const link = (e: number, method: ResolvedLink['method'], refused?: string): ResolvedLink => {
    const i = run.edges.a[e];
    const j = run.edges.b[e];
    const w = run.edges.weight[e];
    // A deterministic link has no blocked weight; its model weight is worth computing only for an explanation.
    const weight = w === Infinity ? (explain ? scorer.weight(i, j) : Infinity) : w;
    const out: ResolvedLink = { a: table.ids[i], b: table.ids[j], method, rule: run.edgeRule[e], weight: Math.round(weight * 1000) / 1000, probability: w === Infinity ? 1 : probabilityOf(w) };
    if (refused) out.refused = refused;
    if (explain) out.explanation = scorer.explain(i, j);
    return out;
  };
  const autoLinks: ResolvedLink[] = [];
  for (const [x, y] of clustered.manualMerges) {
    autoLinks.push({ a: table.ids[x], b: table.ids[y], method: 'manual', weight: scorer.weight(x, y), probability: 1, ...(explain ? { explanation: scorer.explain(x, y) } : {}) });
  }
  for (const m of clustered.merged) autoLinks.push(link(m.edge, m.reason === 'deterministic' ? 'deterministic' : 'probabilistic'));
  const refusedBy = new Map(clustered.refused.map((r) => [r.edge, r.reason]));
  const reviewPairs = clustered.review.map((e) => link(e, 'probabilistic', refusedBy.get(e)));
  const refusedMerges: Record<string, number> = {};
  for (const r of clustered.refused) refusedMerges[r.reason] = (refusedMerges[r.reason] ?? 0) + 1;

  const clusterOf = new Map<string, string>();
  for (const r of rowList) clusterOf.set(table.ids[r], state.clusterIdOf[r]!);

  const stats: ResolveStats = {
    records: rowList.length,
    pairsCompared: run.pairs.a.length + run.det.a.length,
    blockedPairs: run.pairs.a.length,
    perBlockingRule: run.pairs.perRule,
    deterministicPairs: run.det.a.length,
    perDeterministicRule: run.det.perRule,
    sharedIdentifiersSkipped: run.det.sharedValuesSkipped,
    skippedBlocks: run.pairs.skippedBlocks,
    clusters: clusters.length,
    autoLinks: autoLinks.length,
    reviewPairs: reviewPairs.length,
    refusedMerges,
    model: { lambda: state.model.lambda, blockedLambda: state.model.blockedLambda, iterations: state.model.iterations, converged: state.model.converged, uSamplePairs: state.model.uSamplePairs },
    timingsMs: {},
  };
  return { clusters, clusterOf, autoLinks, reviewPairs, retiredClusterIds: [...previousIds], model: state.model, stats, state };
}

function previousOf(state: ResolverState, rows: Int32Array): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rows) {
    const id = state.clusterIdOf[r];
    if (id !== undefined) out.set(state.table.ids[r], id);
  }
  return out;
}

function reviewKey(state: ResolverState, a: string, b: string): string {
  const ca = state.clusterIdOf[state.table.rowById.get(a)!] ?? '';
  const cb = state.clusterIdOf[state.table.rowById.get(b)!] ?? '';
  return ca < cb ? `${ca}|${cb}` : `${cb}|${ca}`;
}

/** Index of the first blocking rule that puts rows i and j in one block (as the full run attributes pairs). */
function firstRule(index: BlockIndex, i: number, j: number): number {
  for (let r = 0; r < index.rules.length; r++) {
    const of = index.blockOf[r].data;
    if (of[i] >= 0 && of[i] === of[j] && !index.isOversized(r, of[i])) return r;
  }
  return 0;
}

/**
 * Incremental run: new or changed records join an existing resolution. Only pairs involving the batch and the
 * clusters it touches are compared; m, u and the prior are reused (no retraining). Returns the touched
 * clusters (with stable ids) and the links among them; `state` is updated in place.
 */
export function resolveIncremental(state: ResolverState, batch: readonly ResolveRecord[], options: Omit<ResolveOptions, 'settings' | 'model' | 'uniqueSources'> = {}): ResolveResult {
  const { settings, table, index } = state;
  const timings: Record<string, number> = {};
  const cpuTimings: Record<string, number> = {};
  let clock = performance.now();
  let cpuClock = process.cpuUsage();
  const start = clock;
  const cpuStart = cpuClock;
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - clock);
    clock = now;
    const cpu = process.cpuUsage();
    cpuTimings[name] = Math.round((cpu.user - cpuClock.user + cpu.system - cpuClock.system) / 1000);
    cpuClock = cpu;
  };

  const batchRows: number[] = [];
  const inBatch = new Set<number>();
  for (const r of batch) {
    const row = table.upsert(r);
    index.update(table, row);
    if (!inBatch.has(row)) batchRows.push(row);
    inBatch.add(row);
  }
  lap('encode');

  // Compare only pairs involving the batch: each batch record against the records sharing a block with it.
  const pa: number[] = [];
  const pb: number[] = [];
  const pr: number[] = [];
  const candidateRows = new Set<number>(batchRows);
  for (const x of batchRows) {
    const found = new Set<number>();
    index.candidatesOf(x, found);
    for (const y of found) {
      if (inBatch.has(y) && y < x) continue; // batch-batch pairs once
      const [i, j] = x < y ? [x, y] : [y, x];
      pa.push(i);
      pb.push(j);
      pr.push(firstRule(index, i, j));
      candidateRows.add(y);
    }
  }
  const unique = uniqueFlags(table, settings, state.uniqueSources);
  const sameUnique = (i: number, j: number) => table.source.data[i] === table.source.data[j] && unique[table.source.data[i]] === 1;
  const keep = pa.map((i, k) => !sameUnique(i, pb[k]));
  const pairs: CandidatePairs = {
    a: Int32Array.from(pa.filter((_, k) => keep[k])),
    b: Int32Array.from(pb.filter((_, k) => keep[k])),
    rule: Uint8Array.from(pr.filter((_, k) => keep[k])),
    perRule: {},
    skippedBlocks: [],
  };
  for (const r of pairs.rule) pairs.perRule[index.rules[r].name] = (pairs.perRule[index.rules[r].name] ?? 0) + 1;
  const detAll = deterministicLinks(table, settings.deterministicRules, { maxShared: settings.maxSharedIdentifier, uniqueSource: unique }, Int32Array.from(candidateRows));
  const detKeep: number[] = [];
  for (let e = 0; e < detAll.a.length; e++) if (inBatch.has(detAll.a[e]) || inBatch.has(detAll.b[e])) detKeep.push(e);
  const det: DeterministicLinks = {
    a: Int32Array.from(detKeep, (e) => detAll.a[e]),
    b: Int32Array.from(detKeep, (e) => detAll.b[e]),
    rule: Uint8Array.from(detKeep, (e) => detAll.rule[e]),
    perRule: {},
    sharedValuesSkipped: detAll.sharedValuesSkipped,
  };
  for (const r of det.rule) det.perRule[settings.deterministicRules[r].name] = (det.perRule[settings.deterministicRules[r].name] ?? 0) + 1;
  lap('blocking');

  const patterns = comparePairs(table, settings.comparisons, pairs.a, pairs.b);
  const weights = state.scorer.pairWeights(patterns, pairs.a);
  lap('scoring');

  // Affected: the batch, records with an edge strong enough to merge, and every member of their current
  // clusters. A changed record leaves its old cluster; the rest of that cluster stays together. Weaker edges to
  // untouched clusters only become review pairs (below).
  const lower = weightOf(settings.thresholds.autoLink);
  const affected = new Set<number>(batchRows);
  const touch = (row: number) => {
    if (affected.has(row) && !inBatch.has(row)) return;
    affected.add(row);
    const id = state.clusterIdOf[row];
    if (id !== undefined) for (const member of state.rowsOf.get(id) ?? []) affected.add(member);
  };
  for (const row of batchRows) touch(row);
  for (let e = 0; e < weights.length; e++) if (weights[e] >= lower) { touch(pairs.a[e]); touch(pairs.b[e]); }
  for (let e = 0; e < det.a.length; e++) { touch(det.a[e]); touch(det.b[e]); }
  const preset: number[][] = [];
  const seenClusters = new Set<string>();
  for (const row of affected) {
    const id = state.clusterIdOf[row];
    if (id === undefined || seenClusters.has(id)) continue;
    seenClusters.add(id);
    const group = (state.rowsOf.get(id) ?? []).filter((m) => !inBatch.has(m));
    if (group.length > 1) preset.push(group);
  }
  const rows = Int32Array.from([...affected].sort((x, y) => x - y));
  const run = buildEdges(pairs, weights, det, settings, index, table);
  lap('candidates');

  // Records outside the affected set keep their clusters; previous ids come from the state.
  const previous = options.previous ?? previousOf(state, rows);
  const result = clusterAndReport(state, run, rows, { ...options, previous }, preset);
  // Review-band edges from the batch to clusters the run did not touch: the best one per pair of clusters.
  const review = weightOf(settings.thresholds.review);
  const seenPairs = new Set(result.reviewPairs.map((p) => reviewKey(state, p.a, p.b)));
  const extra: number[] = [];
  for (let e = 0; e < weights.length; e++) {
    if (weights[e] < review || weights[e] >= lower) continue;
    if (affected.has(pairs.a[e]) && affected.has(pairs.b[e])) continue;
    extra.push(e);
  }
  extra.sort((x, y) => weights[y] - weights[x] || x - y);
  for (const e of extra) {
    if (state.clusterIdOf[pairs.a[e]] === state.clusterIdOf[pairs.b[e]]) continue;
    const a = table.ids[pairs.a[e]];
    const b = table.ids[pairs.b[e]];
    const key = reviewKey(state, a, b);
    if (seenPairs.has(key)) continue;
    seenPairs.add(key);
    result.reviewPairs.push({
      a, b, method: 'probabilistic', rule: index.rules[pairs.rule[e]].name, weight: Math.round(weights[e] * 1000) / 1000, probability: probabilityOf(weights[e]),
      ...((options.explain ?? true) ? { explanation: state.scorer.explain(pairs.a[e], pairs.b[e]) } : {}),
    });
  }
  result.stats.reviewPairs = result.reviewPairs.length;
  lap('clustering');
  timings.total = Math.round(performance.now() - start);
  const cpuEnd = process.cpuUsage(cpuStart);
  cpuTimings.total = Math.round((cpuEnd.user + cpuEnd.system) / 1000);
  result.stats = { ...result.stats, timingsMs: timings, cpuMs: cpuTimings };
  return result;
}
