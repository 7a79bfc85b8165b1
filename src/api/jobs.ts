import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
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
  app.get('/jobs/:id', { schema: { tags: ['system'], summary: 'Status and progress of a long-running job', params: idParams, response: { 200: jobSchema } } }, (req) =>
    jobs.get(req.actor.tenantId, req.params.id),
  );
};
