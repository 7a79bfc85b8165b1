import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { reaches } from '../core/actor.js';
import { NotFoundError } from '../core/errors.js';
import { idParams, isoDateTime } from '../core/http/schemas.js';
import type { JobRunner } from '../core/jobs/runner.js';

export const jobSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
    progressDone: z.number().int(),
    progressTotal: z.number().int().nullable(),
    result: z.unknown().nullable(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    createdAt: isoDateTime,
    startedAt: isoDateTime.nullable(),
    finishedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Job' });

export const jobRoutes: FastifyPluginAsyncZod<{ jobs: JobRunner }> = async (app, { jobs }) => {
  app.get('/jobs/:id', { schema: { tags: ['system'], summary: 'Status and progress of a long-running job', params: idParams, response: { 200: jobSchema } } }, async (req) => {
    const job = await jobs.get(req.actor.tenantId, req.params.id);
    // Jobs carry their parameters and results: most roles see only the jobs they started.
    if (!reaches(req.actor, 'jobs', 'read', { ownerId: job.createdBy })) throw new NotFoundError('job', req.params.id);
    return job;
  });
};
