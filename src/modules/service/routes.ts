/** The service capability's HTTP surface: one plugin that registers each part's routes. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { noteChange, redact } from '../../core/actor.js';
import { idParams, isoDateTime } from '../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../core/http/pagination.js';
import { jobSchema } from '../../api/jobs.js';
import { caseRoutes } from './cases/routes.js';
import { slaRoutes } from './sla/routes.js';
import { lifecycleRoutes } from './lifecycle/routes.js';
import { surveyRoutes } from './surveys/routes.js';
import { taskRoutes } from './tasks/routes.js';
import { alarmSchema, boolQuery, careEpisode, caseSchema, requiredText, stagePosition } from './http.js';
import { JOB_KINDS, type ServiceModule } from './service.js';
import { requireAdmin } from './settings.js';
import { ALARM_KINDS } from './schema.js';
import { VALUE_TIERS } from './value.js';

const relationshipManager = z
  .object({ customerId: z.uuid(), userId: z.uuid(), displayName: z.string(), email: z.string(), since: isoDateTime, reason: z.string() })
  .meta({ id: 'RelationshipManager' });
const staffMember = z
  .object({
    userId: z.uuid(),
    displayName: z.string(),
    teamId: z.uuid().nullable(),
    divisionIds: z.array(z.uuid()),
    seniority: z.number().int(),
    skills: z.array(z.string()),
    available: z.boolean(),
    awayUntil: isoDateTime.nullable(),
    openCases: z.number().int(),
    capacity: z.number().int(),
  })
  .meta({ id: 'StaffMember' });

export const withPath = <T extends { customerId: string }>(a: T) => ({ ...a, customerPath: `/api/v1/customers/${a.customerId}/360` });

/** The service side of one customer; also the `service` section of the 360 view. */
export const customerServiceSchema = z
  .object({
    customerId: z.uuid(),
    tier: z.enum(VALUE_TIERS),
    stage: stagePosition,
    openCases: z.array(caseSchema),
    intensiveCare: z.array(careEpisode),
    relationshipManager: relationshipManager.nullable(),
    alarms: z.array(alarmSchema),
  })
  .meta({ id: 'CustomerService' });

export const serviceRoutes: FastifyPluginAsyncZod<{ service: ServiceModule }> = async (app, { service }) => {
  await app.register(caseRoutes, { service });
  await app.register(slaRoutes, { service });
  await app.register(lifecycleRoutes, { service });
  await app.register(surveyRoutes, { service });
  await app.register(taskRoutes, { service });

  app.get(
    '/alarms',
    {
      schema: {
        tags: ['alarms'],
        summary: 'Customers who need attention (neglect, complaints past SLA, falling P(alive) or spend, conflicting offers), each with its reason and a link',
        querystring: z.strictObject({ ...pageQuery, kind: z.enum(ALARM_KINDS).optional(), customerId: z.uuid().optional(), includeResolved: boolQuery.optional() }),
        response: { 200: pageOf(alarmSchema) },
      },
    },
    async (req) => {
      const page = await service.alarms.list(req.actor, req.query);
      return redact(req.actor, { items: await service.withContactChannels(req.actor.tenantId, page.items.map(withPath)), nextCursor: page.nextCursor });
    },
  );
  app.post('/alarms/run', { schema: { tags: ['alarms'], summary: 'Run the neglect-alarm job now', response: { 202: jobSchema } } }, async (req, reply) => {
    requireAdmin(req.actor, 'when the alarm job runs');
    return reply.code(202).send(await service.ctx.jobs.enqueue(req.actor.tenantId, JOB_KINDS.alarms, {}, req.actor.userId));
  });

  app.get(
    '/notifications',
    {
      schema: {
        tags: ['alarms'],
        summary: 'My notices: assignments, SLA warnings and breaches, escalations (managers also see their divisions’ unaddressed ones)',
        querystring: z.strictObject({ unreadOnly: boolQuery.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.uuid(), kind: z.string(), message: z.string(), caseId: z.uuid().nullable(), customerId: z.uuid().nullable(), divisionId: z.uuid().nullable(), createdAt: isoDateTime, readAt: isoDateTime.nullable() })),
          }),
        },
      },
    },
    async (req) => redact(req.actor, { items: await service.notifications.list(req.actor, req.query) }),
  );
  app.post('/notifications/:id/read', { schema: { tags: ['alarms'], summary: 'Mark a notice read', params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
    await service.notifications.markRead(req.actor, req.params.id);
    return reply.code(204).send(null);
  });

  app.get(
    '/staff',
    {
      schema: {
        tags: ['routing'],
        summary: 'Staff who serve customers, with skills, seniority, availability and open cases (within your divisions)',
        querystring: z.strictObject({ divisionId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(staffMember) }) },
      },
    },
    async (req) => {
      const staff = await service.assignment.listStaff(req.actor, req.query.divisionId);
      // A person serving several divisions is shown with the ones the caller may see.
      const visible = (ids: string[]) => (req.actor.divisionIds ? ids.filter((d) => req.actor.divisionIds!.includes(d)) : ids);
      return redact(req.actor, { items: staff.map((s) => ({ ...s, divisionIds: visible(s.divisionIds) })) });
    },
  );
  app.put(
    '/staff/:id/availability',
    {
      schema: {
        tags: ['routing'],
        summary: 'Set availability, time away and case capacity (oneself, or a manager for their staff)',
        params: idParams,
        body: z.strictObject({ available: z.boolean().optional(), awayUntil: isoDateTime.nullable().optional(), capacity: z.number().int().min(1).max(500).optional() }),
        response: { 200: z.object({ userId: z.uuid(), available: z.boolean(), awayUntil: isoDateTime.nullable(), capacity: z.number().int() }) },
      },
    },
    async (req) => {
      const row = await service.assignment.setAvailability(req.actor, req.params.id, req.body);
      noteChange(req.actor, { resource: 'staff-availability', resourceId: req.params.id, action: 'update', after: row });
      return row;
    },
  );

  app.get(
    '/customers/:id/relationship-manager',
    { schema: { tags: ['routing'], summary: 'The customer’s named relationship manager, if any', params: idParams, response: { 200: z.object({ relationshipManager: relationshipManager.nullable() }) } } },
    async (req) => redact(req.actor, { relationshipManager: await service.assignment.getRelationshipManager(req.actor, req.params.id) }),
  );
  app.put(
    '/customers/:id/relationship-manager',
    {
      schema: {
        tags: ['routing'],
        summary: 'Name the customer’s relationship manager by hand (managers; recorded as an override)',
        params: idParams,
        body: z.strictObject({ userId: z.uuid(), reason: requiredText(500) }),
        response: { 200: z.object({ relationshipManager: relationshipManager.nullable() }) },
      },
    },
    async (req) => {
      const rm = await service.assignment.setRelationshipManager(req.actor, req.params.id, req.body.userId, req.body.reason);
      noteChange(req.actor, { resource: 'relationship-managers', resourceId: req.params.id, action: 'update', after: rm });
      return redact(req.actor, { relationshipManager: rm });
    },
  );

  app.get(
    '/customers/:id/service',
    {
      schema: {
        tags: ['customers'],
        summary: 'The service side of a customer: value tier, lifecycle stage, open cases, intensive care, relationship manager, open alarms',
        params: idParams,
        response: { 200: customerServiceSchema },
      },
    },
    async (req) => {
      const s = await service.customerSummary(req.actor, req.params.id);
      return redact(req.actor, { ...s, alarms: await service.withContactChannels(req.actor.tenantId, s.alarms.map(withPath)) });
    },
  );
};
