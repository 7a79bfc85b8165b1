import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams, isoDateTime } from '../../core/http/schemas.js';
import { WEBHOOK_EVENT_TYPES } from './outbox.js';
import type { WebhookService } from './service.js';

/** Webhooks reach outside the bank with tenant-wide events: administrators only. */
const ADMIN = { access: { resource: 'webhooks', action: 'admin' as const } };
const tags = ['webhooks'];

const eventType = z.enum(WEBHOOK_EVENT_TYPES);
const url = z.string().trim().min(1).max(2000).describe('Absolute http(s) URL the events are POSTed to');
const subscriptionSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()).describe('Event types sent; empty = every type'),
    active: z.boolean(),
    consecutiveFailures: z.int(),
    deactivatedReason: z.string().nullable(),
    deactivatedAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'WebhookSubscription' });
const withSecret = subscriptionSchema.extend({ secret: z.string().describe('Signing secret, shown only now') });
const deliverySchema = z
  .object({
    id: z.uuid(),
    subscriptionId: z.uuid(),
    eventId: z.uuid(),
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.int(),
    nextAttemptAt: isoDateTime,
    deliveredAt: isoDateTime.nullable(),
    lastStatusCode: z.int().nullable(),
    lastError: z.string().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'WebhookDelivery' });
const attemptSchema = z
  .object({
    id: z.uuid(),
    deliveryId: z.uuid(),
    attempt: z.int(),
    statusCode: z.int().nullable(),
    latencyMs: z.int(),
    error: z.string().nullable(),
    trigger: z.enum(['scheduled', 'replay', 'test']),
    at: isoDateTime,
  })
  .meta({ id: 'WebhookAttempt' });

export const webhookRoutes: FastifyPluginAsyncZod<{ webhooks: WebhookService }> = async (app, { webhooks }) => {
  app.get('/webhooks', { config: ADMIN, schema: { tags, summary: 'Webhook subscriptions', response: { 200: z.object({ items: z.array(subscriptionSchema), eventTypes: z.array(z.string()) }) } } }, async (req) => ({
    items: await webhooks.listSubscriptions(req.actor),
    eventTypes: [...WEBHOOK_EVENT_TYPES],
  }));
  app.post(
    '/webhooks',
    {
      config: ADMIN,
      schema: {
        tags,
        summary: 'Subscribe a URL to record events; the answer carries the signing secret, shown only once',
        body: z.strictObject({ url, events: z.array(eventType).max(WEBHOOK_EVENT_TYPES.length).optional(), description: z.string().trim().max(200).nullable().optional() }),
        response: { 201: withSecret },
      },
    },
    async (req, reply) => reply.code(201).send(await webhooks.createSubscription(req.actor, req.body)),
  );
  app.get('/webhooks/:id', { config: ADMIN, schema: { tags, summary: 'One subscription', params: idParams, response: { 200: subscriptionSchema } } }, async (req) =>
    webhooks.getSubscription(req.actor, req.params.id),
  );
  app.patch(
    '/webhooks/:id',
    {
      config: ADMIN,
      schema: {
        tags,
        summary: 'Change a subscription; active: true reactivates one deactivated after failures',
        params: idParams,
        body: z.strictObject({ url: url.optional(), events: z.array(eventType).max(WEBHOOK_EVENT_TYPES.length).optional(), description: z.string().trim().max(200).nullable().optional(), active: z.boolean().optional() }),
        response: { 200: subscriptionSchema },
      },
    },
    async (req) => webhooks.updateSubscription(req.actor, req.params.id, req.body),
  );
  app.delete('/webhooks/:id', { config: ADMIN, schema: { tags, summary: 'Remove a subscription with its deliveries', params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
    await webhooks.deleteSubscription(req.actor, req.params.id);
    return reply.code(204).send(null);
  });
  app.post('/webhooks/:id/rotate-secret', { config: ADMIN, schema: { tags, summary: 'A new signing secret, shown only now', params: idParams, response: { 200: withSecret } } }, async (req) =>
    webhooks.rotateSecret(req.actor, req.params.id),
  );
  app.post('/webhooks/:id/test', { config: ADMIN, schema: { tags, summary: 'Send a webhook.test event to this subscription now', params: idParams, response: { 200: deliverySchema } } }, async (req) =>
    webhooks.sendTest(req.actor, req.params.id),
  );
  app.get(
    '/webhooks/deliveries',
    {
      config: ADMIN,
      schema: {
        tags,
        summary: 'Deliveries, newest first',
        querystring: z.strictObject({ subscriptionId: z.uuid().optional(), eventId: z.uuid().optional(), status: z.enum(['pending', 'delivered', 'failed']).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: z.object({ items: z.array(deliverySchema) }) },
      },
    },
    async (req) => ({ items: await webhooks.listDeliveries(req.actor, req.query) }),
  );
  app.get('/webhooks/deliveries/:id/attempts', { config: ADMIN, schema: { tags, summary: 'The delivery log: every attempt with status code, latency and error', params: idParams, response: { 200: z.object({ items: z.array(attemptSchema) }) } } }, async (req) => ({
    items: await webhooks.listAttempts(req.actor, req.params.id),
  }));
  app.post('/webhooks/deliveries/:id/replay', { config: ADMIN, schema: { tags, summary: 'Send this delivery again now', params: idParams, response: { 200: deliverySchema } } }, async (req) =>
    webhooks.replayDelivery(req.actor, req.params.id),
  );
  app.post('/webhooks/events/:id/replay', { config: ADMIN, schema: { tags, summary: 'Send this event again to every subscription that got it', params: idParams, response: { 200: z.object({ items: z.array(deliverySchema) }) } } }, async (req) => ({
    items: await webhooks.replayEvent(req.actor, req.params.id),
  }));
  app.post('/webhooks/deliver', { config: ADMIN, schema: { tags, summary: 'Send the due deliveries now (the job runner normally does this)', response: { 200: z.object({ sent: z.int(), failed: z.int() }) } } }, async (req) =>
    webhooks.deliverDue({ tenantId: req.actor.tenantId }),
  );
};
