import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../../core/actor.js';
import { code, idParams, isoDateTime, shortText } from '../../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../../core/http/pagination.js';
import { isoDate, items, prospectSchema, SETUP } from '../http.js';
import type { PipelineService } from './service.js';

const OUTCOMES = ['open', 'won', 'lost'] as const;
const stageSchema = z.object({ id: z.uuid(), code: z.string(), name: z.string(), position: z.number().int(), probability: z.number().int(), outcome: z.enum(OUTCOMES) });
const pipelineSchema = z
  .object({ id: z.uuid(), divisionId: z.uuid(), code: z.string(), name: z.string(), stages: z.array(stageSchema), createdAt: isoDateTime, updatedAt: isoDateTime })
  .meta({ id: 'Pipeline' });

const opportunityBase = z.object({
  id: z.uuid(),
  pipelineId: z.uuid(),
  stageCode: z.string(),
  divisionId: z.uuid(),
  name: z.string(),
  customerId: z.uuid().nullable(),
  prospect: prospectSchema.nullable(),
  referredByCustomerId: z.uuid().nullable(),
  ownerUserId: z.uuid().nullable(),
  amount: z.number(),
  currency: z.string(),
  expectedClose: z.string(),
  outcome: z.enum(OUTCOMES),
  closedOn: z.string().nullable(),
  lostReason: z.string().nullable(),
  probability: z.number().int(),
  weightedAmount: z.number(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
const opportunitySchema = opportunityBase
  .extend({
    history: z.array(z.object({ id: z.uuid(), fromStage: z.string().nullable(), toStage: z.string(), changedBy: z.uuid().nullable(), changedAt: isoDateTime, note: z.string().nullable() })),
  })
  .meta({ id: 'Opportunity' });

const forecastRow = z.object({
  pipelineId: z.string().describe('* when rolled up over pipelines'),
  ownerUserId: z.string().nullable().describe('* when rolled up over owners'),
  currency: z.string(),
  open: z.object({ count: z.number().int(), amount: z.number(), weighted: z.number() }),
  won: z.object({ count: z.number().int(), amount: z.number() }),
  lost: z.object({ count: z.number().int(), amount: z.number() }),
  winRate: z.number().nullable(),
  byMonth: z.array(z.object({ month: z.string(), amount: z.number(), weighted: z.number() })),
});
const tags = ['sales: pipelines'];

export const pipelineRoutes: FastifyPluginAsyncZod<{ pipelines: PipelineService }> = async (app, { pipelines }) => {
  app.get(
    '/pipelines',
    { schema: { tags, summary: 'Pipelines with their stages and probabilities', querystring: z.strictObject({ divisionId: z.uuid().optional() }), response: { 200: items(pipelineSchema) } } },
    async (req) => redact(req.actor, { items: await pipelines.listPipelines(req.actor, req.query) }),
  );
  app.get('/pipelines/:id', { schema: { tags, summary: 'One pipeline', params: idParams, response: { 200: pipelineSchema } } }, async (req) => redact(req.actor, await pipelines.getPipeline(req.actor, req.params.id)));
  app.post(
    '/pipelines',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Create a pipeline with its own stages (administrators)',
        body: z.strictObject({
          divisionId: z.uuid(),
          code,
          name: shortText,
          stages: z.array(z.strictObject({ code, name: shortText, probability: z.number().int().min(0).max(100), outcome: z.enum(OUTCOMES).optional() })).min(2).max(30),
        }),
        response: { 201: pipelineSchema },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await pipelines.createPipeline(req.actor, req.body))),
  );
  app.get(
    '/opportunities',
    {
      schema: {
        tags,
        summary: 'Opportunities, newest first',
        querystring: z.strictObject({ ...pageQuery, pipelineId: z.uuid().optional(), ownerUserId: z.uuid().optional(), customerId: z.uuid().optional(), outcome: z.enum(OUTCOMES).optional() }),
        response: { 200: pageOf(opportunityBase.meta({ id: 'OpportunitySummary' })) },
      },
    },
    async (req) => redact(req.actor, await pipelines.listOpportunities(req.actor, req.query)),
  );
  app.post(
    '/opportunities',
    {
      schema: {
        tags,
        summary: 'Open an opportunity on a golden customer or a prospect',
        body: z.strictObject({
          pipelineId: z.uuid(),
          name: shortText,
          customerId: z.uuid().optional(),
          prospect: prospectSchema.optional(),
          referredByCustomerId: z.uuid().optional().describe('An existing customer who referred this business (counted as a referral)'),
          ownerUserId: z.uuid().optional().describe('Default: you (unless autoAssign)'),
          autoAssign: z.boolean().optional().describe('Route the lead with the assignment engine instead of naming an owner'),
          amount: z.number().min(0).max(1e12),
          currency: z.string().length(3),
          expectedClose: isoDate,
          stageCode: code.optional().describe('Default: the first open stage'),
        }),
        response: {
          201: opportunitySchema.extend({
            assignment: z
              .object({ userId: z.uuid().nullable(), reasons: z.array(z.string()) })
              .nullable()
              .describe('How the lead was routed (autoAssign); null when an owner was named'),
          }),
        },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await pipelines.createOpportunity(req.actor, req.body))),
  );
  app.get('/opportunities/:id', { schema: { tags, summary: 'An opportunity and its stage history', params: idParams, response: { 200: opportunitySchema } } }, async (req) =>
    redact(req.actor, await pipelines.getOpportunity(req.actor, req.params.id)),
  );
  app.patch(
    '/opportunities/:id',
    {
      schema: {
        tags,
        summary: 'Change the amount, expected close, name or owner',
        params: idParams,
        body: z
          .strictObject({ name: shortText.optional(), amount: z.number().min(0).max(1e12).optional(), expectedClose: isoDate.optional(), ownerUserId: z.uuid().optional() })
          .refine((b) => Object.keys(b).length > 0, 'send at least one field'),
        response: { 200: opportunitySchema },
      },
    },
    async (req) => redact(req.actor, await pipelines.updateOpportunity(req.actor, req.params.id, req.body)),
  );
  app.post(
    '/opportunities/:id/stage',
    {
      schema: {
        tags,
        summary: 'Move an opportunity to another stage (recorded in its history)',
        params: idParams,
        body: z.strictObject({ stageCode: code, note: z.string().max(2000).optional(), lostReason: z.string().trim().min(1).max(500).optional() }),
        response: { 200: opportunitySchema },
      },
    },
    async (req) => redact(req.actor, await pipelines.moveOpportunity(req.actor, req.params.id, req.body)),
  );
  app.get(
    '/forecast',
    {
      schema: {
        tags,
        summary: 'Forecast by pipeline and owner: open amount weighted by stage probability, won and lost, by month of expected close',
        querystring: z.strictObject({ pipelineId: z.uuid().optional(), from: isoDate, to: isoDate, groupBy: z.enum(['pipeline', 'owner', 'pipeline-owner']).default('pipeline-owner') }),
        response: { 200: z.object({ from: z.string(), to: z.string(), rows: z.array(forecastRow) }).meta({ id: 'Forecast' }) },
      },
    },
    async (req) => redact(req.actor, await pipelines.forecast(req.actor, req.query)),
  );
};
