import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../../core/actor.js';
import { idParams, isoDateTime } from '../../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../../core/http/pagination.js';
import { TOUCH_POINTS } from '../../interactions/schema.js';
import { boolQuery, careEpisode, caseDetail, caseEvent, caseSchema, csv, decisionSchema, plainText, recoveryAction, requiredText } from '../http.js';
import type { ServiceModule } from '../service.js';
import { CASE_KINDS, CASE_STATUSES, PRIORITIES, ROOT_CAUSES } from './status.js';

const tags = ['cases'];

export const caseRoutes: FastifyPluginAsyncZod<{ service: ServiceModule }> = async (app, { service }) => {
  app.get(
    '/cases',
    {
      schema: {
        tags,
        summary: 'List cases (newest first), filtered by status, kind, customer, owner, division, queue or SLA state',
        querystring: z.strictObject({
          ...pageQuery,
          status: csv(z.enum(CASE_STATUSES)).optional().describe('Comma-separated statuses'),
          open: boolQuery.optional().describe('Only open, in progress or waiting cases'),
          kind: z.enum(CASE_KINDS).optional(),
          customerId: z.uuid().optional(),
          ownerUserId: z.uuid().optional(),
          divisionId: z.uuid().optional(),
          unassigned: boolQuery.optional().describe('Only cases waiting in a queue'),
          queueTeamId: z.uuid().optional(),
          slaState: z.enum(['warning', 'breached']).optional(),
          sort: z.enum(['openedAt', '-openedAt', 'updatedAt', '-updatedAt']).optional(),
        }),
        response: { 200: pageOf(caseSchema) },
      },
    },
    async (req) => redact(req.actor, await service.cases.list(req.actor, req.query)),
  );

  app.post(
    '/cases',
    {
      schema: {
        tags,
        summary: 'Open a case on a golden customer: picks the SLA policy, routes it (explained), and for a complaint starts intensive care',
        body: z.strictObject({
          customerId: z.uuid(),
          kind: z.enum(CASE_KINDS),
          subject: requiredText(200),
          description: plainText(5000).nullable().optional(),
          divisionId: z.uuid().optional().describe('Required when the customer is known to several divisions and no product is given'),
          productId: z.uuid().nullable().optional(),
          touchPoint: z.enum(TOUCH_POINTS).describe('The channel the case came in through'),
          language: z.string().regex(/^[a-z]{2}$/, 'ISO 639-1 code').nullable().optional(),
          priority: z.enum(PRIORITIES).optional().describe('Default: high for complaints, normal otherwise'),
          rootCause: z.enum(ROOT_CAUSES).nullable().optional(),
          ownerUserId: z.uuid().optional().describe('Assign to this person instead of asking the engine (recorded as an override)'),
          teamId: z.uuid().optional().describe('Route within this team; its queue is the fallback'),
        }),
        response: { 201: caseDetail },
      },
    },
    async (req, reply) => {
      const c = await service.cases.open(req.actor, req.body);
      return reply.code(201).send(redact(req.actor, await service.cases.detail(req.actor, c.id)));
    },
  );

  app.get('/cases/:id', { schema: { tags, summary: 'A case with both SLA timers read now', params: idParams, response: { 200: caseDetail } } }, async (req) =>
    redact(req.actor, await service.cases.detail(req.actor, req.params.id)),
  );

  app.patch(
    '/cases/:id',
    {
      schema: {
        tags,
        summary: 'Change priority (re-selects the SLA policy), root cause, product, subject or description',
        params: idParams,
        body: z
          .strictObject({
            priority: z.enum(PRIORITIES).optional(),
            rootCause: z.enum(ROOT_CAUSES).nullable().optional(),
            productId: z.uuid().nullable().optional(),
            subject: requiredText(200).optional(),
            description: plainText(5000).nullable().optional(),
            note: plainText(1000).optional(),
          })
          .refine((b) => Object.keys(b).some((k) => k !== 'note'), 'send at least one field to change'),
        response: { 200: caseDetail },
      },
    },
    async (req) => {
      await service.cases.update(req.actor, req.params.id, req.body);
      return redact(req.actor, await service.cases.detail(req.actor, req.params.id));
    },
  );

  app.post(
    '/cases/:id/status',
    {
      schema: {
        tags,
        summary: 'Move a case along its lifecycle; forbidden moves answer 422, repeating the current status (closing twice) 409',
        params: idParams,
        body: z.strictObject({ status: z.enum(CASE_STATUSES), note: plainText(2000).optional(), rootCause: z.enum(ROOT_CAUSES).optional() }),
        response: { 200: caseDetail },
      },
    },
    async (req) => {
      await service.cases.changeStatus(req.actor, req.params.id, req.body);
      return redact(req.actor, await service.cases.detail(req.actor, req.params.id));
    },
  );

  app.post(
    '/cases/:id/responses',
    {
      schema: { tags, summary: 'Record a reply to the customer (the first one stops the first-response clock)', params: idParams, body: z.strictObject({ note: requiredText(2000) }), response: { 200: caseDetail } },
    },
    async (req) => {
      await service.cases.respond(req.actor, req.params.id, req.body.note);
      return redact(req.actor, await service.cases.detail(req.actor, req.params.id));
    },
  );

  app.post(
    '/cases/:id/assignment',
    {
      schema: {
        tags,
        summary: 'Override the routing: assign to a named person, or (without userId) ask the engine again',
        params: idParams,
        body: z.strictObject({ userId: z.uuid().optional(), reason: requiredText(500) }),
        response: { 200: caseDetail },
      },
    },
    async (req) => {
      await service.cases.assign(req.actor, req.params.id, req.body);
      return redact(req.actor, await service.cases.detail(req.actor, req.params.id));
    },
  );

  app.get(
    '/cases/:id/assignment',
    { schema: { tags, summary: 'Every routing decision for the case, newest first: outcome, reasons and each candidate’s scores', params: idParams, response: { 200: z.object({ items: z.array(decisionSchema) }) } } },
    async (req) => {
      await service.cases.row(req.actor, req.params.id);
      return redact(req.actor, { items: await service.assignment.decisionsFor(req.actor, req.params.id) });
    },
  );

  app.get('/cases/:id/events', { schema: { tags, summary: 'The case history: status changes, assignments, SLA warnings and breaches, escalations', params: idParams, response: { 200: z.object({ items: z.array(caseEvent) }) } } }, async (req) =>
    redact(req.actor, { items: await service.cases.events(req.actor, req.params.id) }),
  );

  app.get(
    '/queues',
    {
      schema: {
        tags,
        summary: 'Team and division queues: unowned open cases with SLA pressure',
        response: {
          200: z.object({
            items: z.array(z.object({ queueTeamId: z.uuid().nullable(), queueDivisionId: z.uuid().nullable(), waiting: z.number().int(), warning: z.number().int(), breached: z.number().int(), oldestOpenedAt: isoDateTime, nextDueAt: isoDateTime.nullable() })),
          }),
        },
      },
    },
    async (req) => redact(req.actor, { items: await service.cases.queues(req.actor) }),
  );

  app.get('/customers/:id/care', { schema: { tags: ['intensive care'], summary: 'The customer’s intensive-care episodes and their recovery actions', params: idParams, response: { 200: z.object({ items: z.array(careEpisode) }) } } }, async (req) =>
    redact(req.actor, { items: await service.care.ofCustomer(req.actor, req.params.id) }),
  );

  app.patch(
    '/recovery-actions/:id',
    {
      schema: {
        tags: ['intensive care'],
        summary: 'Mark a recovery action done, skipped or pending again (compensation takes an amount)',
        params: idParams,
        body: z.strictObject({ status: z.enum(['pending', 'done', 'skipped']), note: plainText(1000).optional(), amount: z.number().min(0).max(1e9).nullable().optional() }),
        response: { 200: recoveryAction },
      },
    },
    async (req) => redact(req.actor, await service.care.updateAction(req.actor, req.params.id, req.body)),
  );

  app.post(
    '/care-episodes/:id/outcome',
    {
      schema: {
        tags: ['intensive care'],
        summary: 'Close an intensive-care episode: recovered (back to the previous stage) or lost (dissociation)',
        params: idParams,
        body: z.strictObject({ outcome: z.enum(['recovered', 'lost']), note: requiredText(1000) }),
        response: { 200: careEpisode.omit({ actions: true }) },
      },
    },
    async (req) => redact(req.actor, await service.care.closeEpisode(req.actor, req.params.id, req.body.outcome, req.body.note)),
  );
};
