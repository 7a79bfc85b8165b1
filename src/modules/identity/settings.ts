import { defaultBlockingRules, type BlockingRule } from './blocking.js';
import { defaultComparisons, type Comparison } from './comparisons.js';
import { defaultDeterministicRules, type DeterministicRule } from './deterministic.js';
import type { TrainingOptions } from './em.js';
import type { SurvivorshipSettings } from './survivorship.js';
import { defaultSurvivorship } from './survivorship.js';

/**
 * Everything a resolution run can be told. One default serves every data set: nothing here is tuned per
 * source or trained on labels; m, u and the prior are estimated from the data on each run.
 */
export interface ResolutionSettings {
  comparisons: Comparison[];
  blockingRules: BlockingRule[];
  deterministicRules: DeterministicRule[];
  /** Blocks larger than this are skipped and reported, so no rule goes quadratic. */
  maxBlockSize: number;
  /** An identifier shared by more records than this never links deterministically. */
  maxSharedIdentifier: number;
  training: TrainingOptions;
  thresholds: {
    /** Match probability at or above which a pair links automatically. */
    autoLink: number;
    /** Match probability at or above which a pair (not auto-linked) goes to the review queue. */
    review: number;
  };
  coherence: {
    /** Mean match probability across two clusters required before they merge. */
    minMeanProbability: number;
    /** Pairs sampled across two large clusters for that check. */
    maxCrossPairs: number;
  };
  /** Hold at most one record per unique-per-person source in a cluster (sources named in resolve options). */
  enforceUniqueSources: boolean;
  survivorship: SurvivorshipSettings;
}

export function defaultSettings(overrides: Partial<ResolutionSettings> = {}): ResolutionSettings {
  return {
    comparisons: defaultComparisons(),
    blockingRules: defaultBlockingRules(),
    deterministicRules: defaultDeterministicRules(),
    maxBlockSize: 200,
    maxSharedIdentifier: 10,
    training: { uSamplePairs: 200_000, maxIterations: 200, tolerance: 1e-6, seed: 20240601, minProbability: 1e-7, maxTrainingPairs: 2_000_000 },
    thresholds: { autoLink: 0.9, review: 0.2 },
    coherence: { minMeanProbability: 0.3, maxCrossPairs: 64 },
    enforceUniqueSources: true,
    survivorship: defaultSurvivorship(),
    ...overrides,
  };
}
