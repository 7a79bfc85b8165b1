/**
 * Identity resolution quality on the public linkage sets (shared/bench-data), default settings, no labels in
 * training. Pairwise scoring: every pair placed in one customer is a predicted link.
 *
 *   npx tsx bench/identity-quality.ts
 *
 * Baseline measured in the same run: connected components of an exact join on the strongest identifier the set
 * has (national id for FEBRL, email for fake_1000) - what a plain deterministic match gives.
 */
import { BENCH_DATA, benchDataExists, loadFake1000, loadFebrl, loadFebrl4, pairwiseScores, type LabelledSet } from './identity-data.js';
import { resolve } from '../src/modules/identity/pipeline.js';

if (!benchDataExists) {
  console.error(`bench data not found at ${BENCH_DATA}`);
  process.exit(1);
}

const round = (x: number) => Math.round(x * 10000) / 10000;

function exactJoin(set: LabelledSet, key: (k: number) => string | null): string[] {
  const parent = set.records.map((_, k) => k);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  const first = new Map<string, number>();
  set.records.forEach((_, k) => {
    const v = key(k);
    if (!v) return;
    const f = first.get(v);
    if (f === undefined) first.set(v, k);
    else parent[find(k)] = find(f);
  });
  return set.records.map((_, k) => String(find(k)));
}

const sets: [() => LabelledSet, 'nationalId' | 'email'][] = [
  [() => loadFebrl(1), 'nationalId'],
  [() => loadFebrl(2), 'nationalId'],
  [() => loadFebrl(3), 'nationalId'],
  [loadFebrl4, 'nationalId'],
  [loadFake1000, 'email'],
];

const results = [];
for (const [load, baselineKey] of sets) {
  const set = load();
  const truthOf = new Map(set.records.map((r, k) => [r.id, set.truth[k]]));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = resolve(set.records, { uniqueSources: set.uniqueSources, truth: (r) => truthOf.get(r.id) ?? null, explain: false });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const scores = pairwiseScores(set.records.map((r) => result.clusterOf.get(r.id)!), set.truth);
  const baseline = pairwiseScores(exactJoin(set, (k) => set.records[k].person[baselineKey]), set.truth);
  results.push({
    dataset: set.name,
    records: set.records.length,
    truePairs: scores.actual,
    precision: round(scores.precision),
    recall: round(scores.recall),
    f1: round(scores.f1),
    blockingRecall: round(result.stats.blockingRecall!.recall),
    pairsCompared: result.stats.pairsCompared,
    reviewPairs: result.stats.reviewPairs,
    ms: Math.round(ms),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    stages: result.stats.timingsMs,
    model: { lambda: result.stats.model.lambda, iterations: result.stats.model.iterations },
    baseline: { method: `exact ${baselineKey} join`, precision: round(baseline.precision), recall: round(baseline.recall), f1: round(baseline.f1) },
    normaliseWarnings: set.warnings,
  });
}

console.log(JSON.stringify({ benchmark: 'identity-quality', command: 'npx tsx bench/identity-quality.ts', results, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2));
