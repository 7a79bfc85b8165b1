import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../../core/actor.js';
import { idParams, isoDateTime } from '../../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../../core/http/pagination.js';
import { boolQuery, plainText, requiredText } from '../http.js';
import type { ServiceModule } from '../service.js';
import { TASK_STATUSES } from '../schema.js';

const tags = ['tasks'];

export const taskSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    notes: z.string().nullable(),
    divisionId: z.uuid(),
    customerId: z.uuid().nullable(),
    caseId: z.uuid().nullable(),
    opportunityId: z.uuid().nullable(),
    assigneeUserId: z.uuid().nullable(),
    queueTeamId: z.uuid().nullable(),
    dueAt: isoDateTime,
    remindAt: isoDateTime.nullable(),
    remindedAt: isoDateTime.nullable(),
    status: z.enum(TASK_STATUSES),
    completedAt: isoDateTime.nullable(),
    completedBy: z.uuid().nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Task' });

const assignment = z
  .object({ outcome: z.enum(['assigned', 'queued']), userId: z.uuid().nullable(), reasons: z.array(z.string()) })
  .nullable()
  .describe('Why the assignment engine chose this person or queue; null when the creator named the assignee');

const taskWithAssignment = taskSchema.extend({ assignment });
const withAssignment = <T extends { decision: { outcome: 'assigned' | 'queued'; userId: string | null; reasons: string[] } | null }>(t: T) => {
  const { decision, ...rest } = t;
  return { ...rest, assignment: decision ? { outcome: decision.outcome, userId: decision.userId, reasons: decision.reasons } : null };
};

export const taskRoutes: FastifyPluginAsyncZod<{ service: ServiceModule }> = async (app, { service }) => {
  app.get(
    '/tasks',
    {
      schema: {
        tags,
        summary: 'List tasks, soonest due first: yours, someone’s, a customer’s, a case’s or an opportunity’s; open, done or overdue',
        querystring: z.strictObject({
          ...pageQuery,
          mine: boolQuery.optional().describe('Only tasks assigned to you'),
          assigneeUserId: z.uuid().optional(),
          customerId: z.uuid().optional(),
          caseId: z.uuid().optional(),
          opportunityId: z.uuid().optional(),
          status: z.enum(TASK_STATUSES).optional(),
          overdue: boolQuery.optional().describe('Open tasks past their due time'),
        }),
        response: { 200: pageOf(taskSchema) },
      },
    },
    async (req) => redact(req.actor, await service.tasks.list(req.actor, req.query)),
  );

  app.post(
    '/tasks',
    {
      schema: {
        tags,
        summary: 'Create a task on a customer, a case or an opportunity; without an assignee the assignment engine chooses (and says why)',
        body: z.strictObject({
          title: requiredText(300),
          notes: plainText(5000).optional(),
          customerId: z.uuid().optional(),
          caseId: z.uuid().optional(),
          opportunityId: z.uuid().optional(),
          divisionId: z.uuid().optional().describe('Required for a customer task when the customer is known to several divisions'),
          assigneeUserId: z.uuid().optional(),
          teamId: z.uuid().optional().describe('Route within this team'),
          dueAt: isoDateTime,
          remindAt: isoDateTime.optional().describe('When to remind the assignee (once); at or before dueAt'),
        }),
        response: { 201: taskWithAssignment },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, withAssignment(await service.tasks.create(req.actor, req.body)))),
  );

  app.get('/tasks/:id', { schema: { tags, summary: 'One task', params: idParams, response: { 200: taskSchema } } }, async (req) =>
    redact(req.actor, await service.tasks.get(req.actor, req.params.id)),
  );

  app.post(
    '/tasks/:id/completion',
    {
      schema: {
        tags,
        summary: 'Mark a task done (or cancelled); a second completion is a 409',
        params: idParams,
        body: z.strictObject({ status: z.enum(['done', 'cancelled']).default('done'), note: plainText(2000).optional() }),
        response: { 200: taskSchema },
      },
    },
    async (req) => redact(req.actor, await service.tasks.complete(req.actor, req.params.id, req.body)),
  );

  app.post(
    '/tasks/:id/assignment',
    {
      schema: {
        tags,
        summary: 'Reassign a task to a named person, or (no userId) ask the assignment engine again',
        params: idParams,
        body: z.strictObject({ userId: z.uuid().optional(), reason: requiredText(500) }),
        response: { 200: taskWithAssignment },
      },
    },
    async (req) => redact(req.actor, withAssignment(await service.tasks.reassign(req.actor, req.params.id, req.body))),
  );
};
