import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { noteChange, redact } from '../../../core/actor.js';
import { ForbiddenError } from '../../../core/errors.js';
import { idParams, isoDateTime } from '../../../core/http/schemas.js';
import { jobSchema } from '../../../api/jobs.js';
import { plainText, requiredText, stagePosition, stageTransition } from '../http.js';
import { JOB_KINDS, type ServiceModule } from '../service.js';
import { requireAdmin } from '../settings.js';
import { LIFECYCLE_EVENTS, STAGES } from './stages.js';

const tags = ['lifecycle'];

export const lifecycleRoutes: FastifyPluginAsyncZod<{ service: ServiceModule }> = async (app, { service }) => {
  app.get(
    '/customers/:id/lifecycle',
    { schema: { tags, summary: 'The customer’s stage now and every move with its cause', params: idParams, response: { 200: z.object({ current: stagePosition, history: z.array(stageTransition) }) } } },
    async (req) => {
      const current = await service.lifecycle.current(req.actor, req.params.id);
      return redact(req.actor, { current, history: await service.lifecycle.history(req.actor, req.params.id) });
    },
  );

  app.post(
    '/customers/:id/lifecycle/moves',
    {
      schema: {
        tags,
        summary: 'Move a customer to another stage by hand (audited); moves the lifecycle forbids answer 422',
        params: idParams,
        body: z.strictObject({ stage: z.enum(STAGES), note: requiredText(1000), winBackOn: z.iso.date().nullable().optional().describe('For dissociation: when to try to win them back') }),
        response: { 200: stagePosition },
      },
    },
    async (req) => {
      const before = await service.lifecycle.current(req.actor, req.params.id);
      const after = await service.lifecycle.move(req.actor, req.params.id, req.body);
      noteChange(req.actor, { resource: 'customer-stages', resourceId: req.params.id, action: 'update', before, after: { ...after, note: req.body.note } });
      return redact(req.actor, after);
    },
  );

  app.post(
    '/customers/:id/lifecycle/events',
    {
      schema: {
        tags,
        summary: 'Report a lifecycle event from another system (a first product opened, all products closed…); the configured rules decide the move',
        params: idParams,
        body: z.strictObject({ event: z.enum(LIFECYCLE_EVENTS), note: plainText(1000).optional(), pAlive: z.number().min(0).max(1).optional() }),
        response: { 200: z.object({ moved: z.boolean(), current: stagePosition }) },
      },
    },
    async (req) => {
      await service.ctx.customers.getCustomer(req.actor, req.params.id);
      if (!req.actor.can('lifecycle', 'write')) throw new ForbiddenError('you may not report lifecycle events');
      const move = await service.lifecycle.applyEvent(req.actor.tenantId, req.params.id, req.body.event, { actorUserId: req.actor.userId, note: req.body.note, pAlive: req.body.pAlive });
      if (move) noteChange(req.actor, { resource: 'customer-stages', resourceId: req.params.id, action: 'update', before: { stage: move.from }, after: { stage: move.to, rule: move.ruleName, event: move.event } });
      return redact(req.actor, { moved: !!move, current: await service.lifecycle.current(req.actor, req.params.id) });
    },
  );

  app.get(
    '/lifecycle/measures',
    {
      schema: {
        tags,
        summary: 'Customers per stage, time in stage, conversion between stages, retention and recovery rates over a period (default: the last 365 days)',
        querystring: z.strictObject({ from: isoDateTime.optional(), to: isoDateTime.optional() }),
        response: {
          200: z.object({
            period: z.object({ from: isoDateTime, to: isoDateTime }),
            stages: z.array(z.object({ stage: z.enum(STAGES), customers: z.number().int(), avgDaysInStageNow: z.number().nullable(), completedStays: z.number().int(), avgDaysPerCompletedStay: z.number().nullable() })),
            conversion: z.record(z.string(), z.record(z.string(), z.number())),
            retentionRate: z.number().nullable(),
            recoveryRate: z.number().nullable(),
            liveAtStart: z.number().int(),
          }),
        },
      },
    },
    async (req) => {
      const to = req.query.to ?? new Date();
      const from = req.query.from ?? new Date(to.getTime() - 365 * 86_400_000);
      return service.lifecycle.measures(req.actor, { from, to });
    },
  );

  app.post('/lifecycle/sweep', { schema: { tags, summary: 'Run the lifecycle sweep now as a job (first classification, timed and data-driven moves)', response: { 202: jobSchema } } }, async (req, reply) => {
    requireAdmin(req.actor, 'when the lifecycle sweep runs');
    return reply.code(202).send(await service.ctx.jobs.enqueue(req.actor.tenantId, JOB_KINDS.lifecycle, {}, req.actor.userId));
  });
};
