/**
 * Identity resolution at scale: ~1,000,000 synthetic person records (seeded, known truth) resolved in one run,
 * then 1,000 new records resolved incrementally against them.
 *
 *   node --expose-gc --max-old-space-size=6144 --import tsx bench/identity-scale.ts [--records 1000000] [--batch 1000]
 *
 * Prints JSON: generation and normalisation time (not part of resolution), full-run wall and CPU time (the CPU
 * figure is what to compare when the machine is shared) and stages, pairs
 * compared, pairwise precision/recall/F1 against the generator's truth, the incremental run's time, and peak RSS.
 * Baseline in the same run: an exact join on national id (what a naive deterministic match would give).
 */
import { normalisePerson } from '../src/modules/identity/normalise.js';
import { resolve, resolveIncremental, type ResolveRecord } from '../src/modules/identity/pipeline.js';
import { createGenerator, SOURCES, type SyntheticRecord } from './identity-synth.js';
import { pairwiseScores } from './identity-data.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const target = arg('records', 1_000_000);
const batchSize = arg('batch', 1000);
const seed = arg('seed', 7);
const rssMb = () => Math.round(process.memoryUsage().rss / 1048576);
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function toRecord(s: SyntheticRecord, k: number): ResolveRecord {
  const { person } = normalisePerson(s.input, { defaultCountry: 'GB' });
  return { id: `${s.source}:${k}`, source: s.source, person, updatedAt: null };
}

const gen = createGenerator(seed);
let t0 = performance.now();
const synthetic: SyntheticRecord[] = [];
while (synthetic.length < target) synthetic.push(...gen.people(Math.min(10_000, Math.ceil((target - synthetic.length) / 1.9))));
synthetic.length = target;
const generateMs = performance.now() - t0;

t0 = performance.now();
const records = synthetic.map(toRecord);
const truth = synthetic.map((s) => String(s.truth));
const normaliseMs = performance.now() - t0;
// The raw import rows are not the resolver's memory: drop them before measuring it.
synthetic.length = 0;

// Baseline: exact national id join (connected components of equal ids).
t0 = performance.now();
const byNid = new Map<string, number>();
const baselineCluster = records.map((r, k) => {
  const nid = r.person.nationalId;
  if (!nid) return `r${k}`;
  if (!byNid.has(nid)) byNid.set(nid, k);
  return `n${byNid.get(nid)}`;
});
const baseline = { ...pairwiseScores(baselineCluster, truth), ms: Math.round(performance.now() - t0) };

t0 = performance.now();
let cpu0 = process.cpuUsage();
let idCounter = 0;
const result = resolve(records, { explain: false, newClusterId: () => `c${idCounter++}` });
const resolveMs = performance.now() - t0;
const resolveCpuMs = cpuMs(process.cpuUsage(cpu0));
const rssAfterFull = rssMb();
const fullScores = pairwiseScores(records.map((r) => result.clusterOf.get(r.id)!), truth);

// Incremental: half brand-new people, half further records of people already resolved.
const batch: SyntheticRecord[] = [];
const newPeople = gen.people(Math.ceil(batchSize / 4));
batch.push(...newPeople.slice(0, Math.floor(batchSize / 2)));
while (batch.length < batchSize) {
  const existing = Math.floor(gen.random() * (gen.peopleCount() - newPeople.length));
  batch.push(gen.another(existing, SOURCES[Math.floor(gen.random() * SOURCES.length)]));
}
const batchRecords = batch.map((s, k) => toRecord(s, target + k));
// A service runs the batch long after the full run: collect that run's garbage first (needs --expose-gc),
// so the batch is not charged for a major collection of the million-record run's pair arrays.
(globalThis as { gc?: () => void }).gc?.();
t0 = performance.now();
cpu0 = process.cpuUsage();
const inc = resolveIncremental(result.state, batchRecords, { explain: true });
const incrementalMs = performance.now() - t0;
const incrementalCpuMs = cpuMs(process.cpuUsage(cpu0));

// Quality of the batch: pairs involving batch records, over all records now in the touched clusters.
const allTruth = new Map<string, string>();
records.forEach((r, k) => allTruth.set(r.id, truth[k]));
batchRecords.forEach((r, k) => allTruth.set(r.id, String(batch[k].truth)));
let batchPairsPredicted = 0;
let batchPairsCorrect = 0;
for (const c of inc.clusters) {
  const batchIds = new Set(batchRecords.map((r) => r.id));
  for (let x = 0; x < c.records.length; x++) for (let y = x + 1; y < c.records.length; y++) {
    if (!batchIds.has(c.records[x]) && !batchIds.has(c.records[y])) continue;
    batchPairsPredicted++;
    if (allTruth.get(c.records[x]) === allTruth.get(c.records[y])) batchPairsCorrect++;
  }
}
const existingMatches = batch.filter((s, k) => k >= Math.floor(batchSize / 2) && s).length;
let existingFound = 0;
for (let k = Math.floor(batchSize / 2); k < batch.length; k++) {
  const cid = result.state.clusterIdOf[result.state.table.rowById.get(batchRecords[k].id)!];
  const members = (cid && result.state.rowsOf.get(cid)) || [];
  if (members.some((row) => row < records.length && truth[row] === String(batch[k].truth))) existingFound++;
}

console.log(JSON.stringify({
  benchmark: 'identity-scale',
  command: `node --expose-gc --max-old-space-size=6144 --import tsx bench/identity-scale.ts --records ${target} --batch ${batchSize}`,
  gcBeforeIncremental: typeof (globalThis as { gc?: unknown }).gc === 'function',
  records: target,
  people: new Set(truth).size,
  generateMs: Math.round(generateMs),
  normaliseMs: Math.round(normaliseMs),
  full: {
    ms: Math.round(resolveMs),
    cpuMs: resolveCpuMs,
    stages: result.stats.timingsMs,
    stagesCpu: result.stats.cpuMs,
    pairsCompared: result.stats.pairsCompared,
    blockedPairs: result.stats.blockedPairs,
    deterministicPairs: result.stats.deterministicPairs,
    perBlockingRule: result.stats.perBlockingRule,
    skippedBlocks: result.stats.skippedBlocks,
    clusters: result.stats.clusters,
    reviewPairs: result.stats.reviewPairs,
    refusedMerges: result.stats.refusedMerges,
    model: result.stats.model,
    precision: round(fullScores.precision),
    recall: round(fullScores.recall),
    f1: round(fullScores.f1),
    rssMb: rssAfterFull,
  },
  baselineNationalIdJoin: { precision: round(baseline.precision), recall: round(baseline.recall), f1: round(baseline.f1), ms: baseline.ms },
  incremental: {
    records: batchRecords.length,
    ms: Math.round(incrementalMs),
    cpuMs: incrementalCpuMs,
    stages: inc.stats.timingsMs,
    stagesCpu: inc.stats.cpuMs,
    pairsCompared: inc.stats.pairsCompared,
    touchedClusters: inc.clusters.length,
    batchPairPrecision: round(batchPairsPredicted ? batchPairsCorrect / batchPairsPredicted : 1),
    existingPersonRecords: batch.length - Math.floor(batchSize / 2),
    existingPersonFound: existingFound,
    checked: existingMatches,
  },
  peakRssMb: peakRssMb(),
}, null, 2));

function cpuMs(u: NodeJS.CpuUsage): number {
  return Math.round((u.user + u.system) / 1000);
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
