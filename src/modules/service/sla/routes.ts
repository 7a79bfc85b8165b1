import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { noteChange } from '../../../core/actor.js';
import { idParams, isoDateTime } from '../../../core/http/schemas.js';
import { jobSchema } from '../../../api/jobs.js';
import { CASE_KINDS, PRIORITIES } from '../cases/status.js';
import { escalationRule, requiredText } from '../http.js';
import type { ServiceModule } from '../service.js';
import { requireAdmin } from '../settings.js';
import { STAGES, LIFECYCLE_EVENTS } from '../lifecycle/stages.js';
import { VALUE_TIERS } from '../value.js';
import { JOB_KINDS } from '../service.js';
import { WEEKDAYS } from './clock.js';

const tags = ['service levels'];
const hours = z.strictObject({ start: z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM'), end: z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM') });
const calendarBody = z.strictObject({
  name: requiredText(100),
  timeZone: z.string().min(1).max(64).describe('IANA time zone, e.g. Europe/London'),
  week: z.partialRecord(z.enum(WEEKDAYS), z.array(hours).max(6)),
  holidays: z.array(z.iso.date()).max(400).default([]),
});
const calendarSchema = z
  .object({ id: z.uuid(), name: z.string(), timeZone: z.string(), week: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))), holidays: z.array(z.string()), updatedAt: isoDateTime })
  .meta({ id: 'ServiceCalendar' });

const policyBody = z.strictObject({
  name: requiredText(100),
  kind: z.enum(CASE_KINDS).nullable().default(null),
  priority: z.enum(PRIORITIES).nullable().default(null),
  tier: z.enum(VALUE_TIERS).nullable().default(null),
  firstResponseMinutes: z.number().int().min(1).max(525_600),
  resolutionMinutes: z.number().int().min(1).max(5_256_000),
  warnAtFraction: z.number().gt(0).max(1).default(0.75),
  escalation: z.array(escalationRule).max(20).default([]),
  calendarId: z.uuid().nullable().default(null),
});
const policySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(CASE_KINDS).nullable(),
    priority: z.enum(PRIORITIES).nullable(),
    tier: z.enum(VALUE_TIERS).nullable(),
    firstResponseMinutes: z.number().int(),
    resolutionMinutes: z.number().int(),
    warnAtFraction: z.number(),
    escalation: z.array(escalationRule),
    calendarId: z.uuid().nullable(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'SlaPolicy' });

const lifecycleRule = z.strictObject({
  name: requiredText(64),
  event: z.enum(LIFECYCLE_EVENTS),
  from: z.array(z.enum(STAGES)).min(1),
  to: z.union([z.enum(STAGES), z.literal('previous')]),
  enabled: z.boolean(),
  afterDays: z.number().int().min(1).max(3650).optional(),
  threshold: z.number().gt(0).lt(1).optional(),
  winBackDays: z.number().int().min(1).max(3650).optional(),
});
const routing = z.strictObject({
  weights: z.strictObject({ seniority: z.number().min(0).max(10), continuity: z.number().min(0).max(10), workload: z.number().min(0).max(10) }).optional(),
  idealSeniority: z.strictObject(Object.fromEntries(VALUE_TIERS.map((t) => [t, z.number().int().min(1).max(5)])) as Record<(typeof VALUE_TIERS)[number], z.ZodNumber>).optional(),
  minSeniority: z.strictObject(Object.fromEntries(VALUE_TIERS.map((t) => [t, z.number().int().min(1).max(5)])) as Record<(typeof VALUE_TIERS)[number], z.ZodNumber>).optional(),
  queueFirst: z.array(z.strictObject({ caseKinds: z.array(z.enum(CASE_KINDS)), tiers: z.array(z.enum(VALUE_TIERS)), priorities: z.array(z.enum(PRIORITIES)) })).max(20).optional(),
  relationshipTiers: z.array(z.enum(VALUE_TIERS)).optional(),
  productSkills: z.record(z.string().min(1).max(64), z.array(z.string().min(1).max(64)).max(20)).optional().describe('Skills that qualify for a product, by product code or category'),
});
const alarms = z.strictObject({
  neglectTiers: z.array(z.enum(VALUE_TIERS)).optional(),
  neglectDays: z.number().int().min(1).max(3650).optional(),
  pAliveDrop: z.number().gt(0).lt(1).optional(),
  pAliveFloor: z.number().gt(0).lt(1).optional(),
  spendDrop: z.number().gt(0).lt(1).optional(),
});
const settingsSchema = z
  .object({
    defaultCalendarId: z.uuid().nullable(),
    routing: z.unknown(),
    lifecycleRules: z.array(z.unknown()),
    alarms: z.unknown(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'ServiceSettings' });

export const slaRoutes: FastifyPluginAsyncZod<{ service: ServiceModule }> = async (app, { service }) => {
  const settingsView = async (tenantId: string) => {
    const s = await service.settings.settings(tenantId);
    // The survey secret never leaves the server.
    return { defaultCalendarId: s.defaultCalendarId, routing: await service.settings.routing(tenantId), lifecycleRules: await service.settings.lifecycleRules(tenantId), alarms: await service.settings.alarmSettings(tenantId), updatedAt: s.updatedAt };
  };

  app.get('/sla/calendars', { schema: { tags, summary: 'Business calendars SLAs are counted in', response: { 200: z.object({ items: z.array(calendarSchema) }) } } }, async (req) => ({ items: await service.settings.listCalendars(req.actor) }));
  app.post('/sla/calendars', { schema: { tags, summary: 'Add a calendar: time zone, working hours per weekday, holidays (administrators)', body: calendarBody, response: { 201: calendarSchema } } }, async (req, reply) => {
    const row = await service.settings.saveCalendar(req.actor, req.body);
    noteChange(req.actor, { resource: 'sla-calendars', resourceId: row.id, action: 'create', after: row });
    return reply.code(201).send(row);
  });
  app.put('/sla/calendars/:id', { schema: { tags, summary: 'Replace a calendar (open cases keep counting in it)', params: idParams, body: calendarBody, response: { 200: calendarSchema } } }, async (req) => {
    const row = await service.settings.saveCalendar(req.actor, req.body, req.params.id);
    noteChange(req.actor, { resource: 'sla-calendars', resourceId: row.id, action: 'update', after: row });
    return row;
  });

  app.get('/sla/policies', { schema: { tags, summary: 'SLA policies by kind, priority and value tier (the most specific match wins; built-in defaults otherwise)', response: { 200: z.object({ items: z.array(policySchema) }) } } }, async (req) => ({
    items: await service.settings.listPolicies(req.actor),
  }));
  app.post('/sla/policies', { schema: { tags, summary: 'Add an SLA policy (administrators)', body: policyBody, response: { 201: policySchema } } }, async (req, reply) => {
    const row = await service.settings.savePolicy(req.actor, req.body);
    noteChange(req.actor, { resource: 'sla-policies', resourceId: row.id, action: 'create', after: row });
    return reply.code(201).send(row);
  });
  app.put('/sla/policies/:id', { schema: { tags, summary: 'Replace an SLA policy; cases already open keep the promise they were opened under', params: idParams, body: policyBody, response: { 200: policySchema } } }, async (req) => {
    const row = await service.settings.savePolicy(req.actor, req.body, req.params.id);
    noteChange(req.actor, { resource: 'sla-policies', resourceId: row.id, action: 'update', after: row });
    return row;
  });
  app.delete('/sla/policies/:id', { schema: { tags, summary: 'Remove an SLA policy', params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
    await service.settings.deletePolicy(req.actor, req.params.id);
    noteChange(req.actor, { resource: 'sla-policies', resourceId: req.params.id, action: 'delete' });
    return reply.code(204).send(null);
  });

  app.post(
    '/sla/check',
    { schema: { tags, summary: 'Run the SLA check now as a job (warnings, breaches, escalations); `full` re-reads every open case', body: z.strictObject({ full: z.boolean().default(false) }).default({ full: false }), response: { 202: jobSchema } } },
    async (req, reply) => {
      requireAdmin(req.actor, 'when the SLA check runs');
      return reply.code(202).send(await service.ctx.jobs.enqueue(req.actor.tenantId, JOB_KINDS.slaCheck, { full: req.body.full }, req.actor.userId));
    },
  );

  app.get('/service-settings', { schema: { tags, summary: 'Routing, lifecycle rules, alarm thresholds and the default calendar', response: { 200: settingsSchema } } }, async (req) => settingsView(req.actor.tenantId));
  app.patch(
    '/service-settings',
    {
      schema: {
        tags,
        summary: 'Change routing, lifecycle rules, alarm thresholds or the default calendar (administrators); null restores the default',
        body: z.strictObject({ routing: routing.nullable().optional(), lifecycleRules: z.array(lifecycleRule).max(50).nullable().optional(), alarms: alarms.nullable().optional(), defaultCalendarId: z.uuid().nullable().optional() }),
        response: { 200: settingsSchema },
      },
    },
    async (req) => {
      const before = await settingsView(req.actor.tenantId);
      await service.settings.update(req.actor, req.body);
      const after = await settingsView(req.actor.tenantId);
      noteChange(req.actor, { resource: 'service-settings', resourceId: req.actor.tenantId, action: 'update', before, after });
      return after;
    },
  );
};
