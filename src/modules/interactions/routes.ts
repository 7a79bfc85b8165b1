import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isoDateTime } from '../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../core/http/pagination.js';
import { TOUCH_POINTS } from './schema.js';
import type { InteractionService } from './service.js';

export const interactionSchema = z
  .object({
    id: z.uuid(),
    sourceRecordId: z.uuid(),
    divisionId: z.uuid(),
    touchPoint: z.enum(TOUCH_POINTS),
    direction: z.enum(['inbound', 'outbound']),
    occurredAt: isoDateTime,
    subject: z.string(),
    outcome: z.string().nullable(),
    sentiment: z.number().nullable(),
    cost: z.number().nullable(),
    staffUserId: z.uuid().nullable(),
  })
  .meta({ id: 'Interaction' });

const splitList = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const touchPointList = z.string().max(500).transform(splitList).pipe(z.array(z.enum(TOUCH_POINTS)));
const uuidList = z.string().max(2000).transform(splitList).pipe(z.array(z.uuid()).max(50));

export const interactionRoutes: FastifyPluginAsyncZod<{ interactions: InteractionService }> = async (app, { interactions }) => {
  app.get(
    '/interactions',
    {
      schema: {
        tags: ['interactions'],
        summary: 'The contact timeline, newest first, across touch points and divisions',
        querystring: z.strictObject({
          ...pageQuery,
          customerId: z.uuid().optional(),
          sourceRecordId: z.uuid().optional(),
          touchPoint: touchPointList.optional().describe('Comma-separated touch points'),
          divisionId: uuidList.optional().describe('Comma-separated division ids'),
        }),
        response: { 200: pageOf(interactionSchema) },
      },
    },
    async (req) =>
      interactions.timeline(req.actor, {
        customerId: req.query.customerId,
        sourceRecordId: req.query.sourceRecordId,
        touchPoints: req.query.touchPoint,
        divisionIds: req.query.divisionId,
        limit: req.query.limit,
        cursor: req.query.cursor,
      }),
  );
  app.post(
    '/interactions',
    {
      schema: {
        tags: ['interactions'],
        summary: 'Record a contact',
        body: z.strictObject({
          sourceRecordId: z.uuid(),
          divisionId: z.uuid(),
          touchPoint: z.enum(TOUCH_POINTS),
          direction: z.enum(['inbound', 'outbound']),
          occurredAt: isoDateTime,
          subject: z.string().trim().min(1).max(500),
          outcome: z.string().max(500).optional(),
          sentiment: z.number().min(-1).max(1).optional(),
          cost: z.number().min(0).max(1e6).optional(),
        }),
        response: { 201: interactionSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await interactions.record(req.actor, { ...req.body, staffUserId: req.actor.userId })),
  );
};
