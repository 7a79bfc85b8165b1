import { z } from 'zod';
import { systemActor } from '../../core/actor.js';
import type { JobRunner } from '../../core/jobs/runner.js';
import type { EconomicsService, RunReport } from './service.js';

export const SCORE_JOB = 'economics.score';

export const scoreJobParams = z.object({ asOf: z.iso.date().optional() });
export type ScoreJobParams = z.infer<typeof scoreJobParams>;

/**
 * Scoring as a durable job: the API answers 202 at once and the run reports its progress (percent) on the job.
 * Idempotent as the runner requires: a re-run after a crash scores again and replaces the results.
 */
export function registerEconomicsJobs(jobs: JobRunner, economics: EconomicsService) {
  jobs.register<ScoreJobParams, RunReport>(SCORE_JOB, async ({ job, params, progress, signal }) => {
    const p = scoreJobParams.parse(params ?? {});
    return economics.score(systemActor(job.tenantId), { asOf: p.asOf, signal }, (done, total) => progress(done, total));
  });
}
