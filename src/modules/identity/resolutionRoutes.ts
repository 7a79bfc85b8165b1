import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams, isoDateTime } from '../../core/http/schemas.js';
import type { JobRunner } from '../../core/jobs/runner.js';
import { jobSchema } from '../../api/jobs.js';
import type { CustomerService } from './service.js';
import type { ResolutionService } from './resolution.js';

const reason = z.string().trim().max(500).optional();
const outcome = z.object({ applied: z.string().optional(), customerId: z.uuid().optional(), newCustomerId: z.uuid().optional(), mergedCustomerId: z.uuid().optional(), restored: z.boolean().optional(), movedRecords: z.number().int().optional() }).meta({ id: 'ClusterChange' });
const reviewPair = z
  .object({
    id: z.uuid(),
    record_a: z.uuid(),
    record_b: z.uuid(),
    customer_a: z.uuid().nullable(),
    customer_b: z.uuid().nullable(),
    match_probability: z.number(),
    match_weight: z.number().nullable(),
    explanation: z.unknown(),
    status: z.string(),
  })
  .meta({ id: 'ReviewPair' });

export const resolutionRoutes: FastifyPluginAsyncZod<{ resolution: ResolutionService; customers: CustomerService; jobs: JobRunner }> = async (
  app,
  { resolution, customers, jobs },
) => {
  app.post(
    '/resolution-runs',
    {
      schema: {
        tags: ['identity'],
        summary: 'Resolve source records into golden customers (incremental unless full); runs as a job',
        body: z.strictObject({ full: z.boolean().default(false) }),
        response: { 202: jobSchema },
      },
    },
    async (req, reply) => reply.code(202).send(await jobs.enqueue(req.actor.tenantId, 'resolution', { full: req.body.full }, req.actor.userId)),
  );
  app.get(
    '/review-pairs',
    {
      schema: {
        tags: ['identity'],
        summary: 'Pairs the matcher was unsure about, most uncertain first, with the weight each field contributed',
        querystring: z.strictObject({ status: z.enum(['pending', 'accepted', 'rejected', 'superseded']).default('pending'), limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(reviewPair) }) },
      },
    },
    async (req) => ({ items: (await resolution.listReviewPairs(req.actor, req.query)) as z.infer<typeof reviewPair>[] }),
  );
  app.post(
    '/review-pairs/:id/decision',
    {
      schema: {
        tags: ['identity'],
        summary: 'Accept (same person: merge) or reject (different people) a suggested match',
        params: idParams,
        body: z.strictObject({ verdict: z.enum(['accept', 'reject']), reason }),
        response: { 200: outcome },
      },
    },
    async (req) => resolution.reviewPair(req.actor, req.params.id, req.body.verdict, req.body.reason ?? null),
  );
  app.post(
    '/customers/:id/merge',
    {
      schema: {
        tags: ['identity'],
        summary: 'Merge another customer into this one (remembered as a manual decision)',
        params: idParams,
        body: z.strictObject({ otherCustomerId: z.uuid(), reason }),
        response: { 200: outcome },
      },
    },
    async (req) => {
      await customers.getCustomer(req.actor, req.params.id);
      await customers.getCustomer(req.actor, req.body.otherCustomerId);
      return resolution.merge(req.actor, req.params.id, req.body.otherCustomerId, req.body.reason ?? null);
    },
  );
  app.post(
    '/customers/:id/split',
    {
      schema: {
        tags: ['identity'],
        summary: 'Split source records out of a customer ("not the same person"); undoing a merge restores the original customer',
        params: idParams,
        body: z.strictObject({ sourceRecordIds: z.array(z.uuid()).min(1).max(500), reason }),
        response: { 200: outcome },
      },
    },
    async (req) => {
      await customers.getCustomer(req.actor, req.params.id);
      return resolution.split(req.actor, req.params.id, req.body.sourceRecordIds, req.body.reason ?? null);
    },
  );
  app.post(
    '/customers/:id/unmerge',
    { schema: { tags: ['identity'], summary: 'Undo the most recent merge into this customer', params: idParams, body: z.strictObject({ reason }).optional(), response: { 200: outcome } } },
    async (req) => {
      await customers.getCustomer(req.actor, req.params.id);
      return resolution.unmerge(req.actor, req.params.id, req.body?.reason ?? null);
    },
  );
  app.post(
    '/match-decisions',
    {
      schema: {
        tags: ['identity'],
        summary: 'Record that two source records are (or are not) the same person; applied now and on every later run',
        body: z.strictObject({ recordA: z.uuid(), recordB: z.uuid(), decision: z.enum(['same', 'different']), reason }),
        response: { 200: outcome },
      },
    },
    async (req) => {
      await customers.getSourceRecord(req.actor, req.body.recordA);
      await customers.getSourceRecord(req.actor, req.body.recordB);
      return resolution.decide(req.actor, req.body.recordA, req.body.recordB, req.body.decision, req.body.reason ?? null);
    },
  );
  app.get(
    '/customers/:id/history',
    {
      schema: {
        tags: ['identity'],
        summary: 'Every change to this customer’s cluster, with who or what made it and why',
        params: idParams,
        response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), event: z.string(), source_record_ids: z.array(z.uuid()), other_customer_id: z.uuid().nullable(), actor: z.string(), reason: z.string().nullable(), run_id: z.uuid().nullable(), created_at: isoDateTime })) }) },
      },
    },
    async (req) => {
      await customers.getCustomer(req.actor, req.params.id);
      return { items: (await resolution.history(req.actor, req.params.id)) as never };
    },
  );
};
