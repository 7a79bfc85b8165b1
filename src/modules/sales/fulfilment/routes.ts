import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../../core/actor.js';
import { code, idParams, isoDateTime, shortText } from '../../../core/http/schemas.js';
import { ValidationError } from '../../../core/errors.js';
import { isoDate, items, SETUP } from '../http.js';
import type { FulfilmentService } from './service.js';
import { fulfillerCallbackSchema, type OrderService } from '../orders/service.js';
import { SIGNATURE_HEADER } from '../../../core/webhooks/signature.js';

const fulfillerSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    kind: z.enum(['own', 'subcontractor']),
    contactEmail: z.string().nullable(),
    holidays: z.array(z.string()),
    status: z.enum(['active', 'inactive']),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Fulfiller' });
const fulfillerWithSecret = fulfillerSchema.extend({ callbackSecret: z.string().describe('Signs this fulfiller’s status callbacks; shown only now') }).meta({ id: 'FulfillerWithSecret' });

const offerSchema = z
  .object({
    id: z.uuid(),
    fulfiller: z.string(),
    fulfillerName: z.string(),
    kind: z.enum(['own', 'subcontractor']),
    component: z.string(),
    leadTimeDays: z.number().int(),
    capacityPerDay: z.number().nullable(),
    stockOnHand: z.number().nullable(),
    unitCost: z.number(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'FulfillerOffer' });

const webhookSchema = z.object({ id: z.uuid(), url: z.string(), events: z.array(z.string()), active: z.boolean(), createdAt: isoDateTime, updatedAt: isoDateTime }).meta({ id: 'SalesWebhook' });
const EVENT_TYPES = ['quote.issued', 'order.created', 'order.routed', 'order.updated', 'order.delivered', 'order.mishandled'] as const;
const tags = ['sales: fulfilment'];

export const fulfilmentRoutes: FastifyPluginAsyncZod<{ fulfilment: FulfilmentService }> = async (app, { fulfilment }) => {
  app.get('/fulfillers', { schema: { tags, summary: 'Our plant and stock, and subcontractors', response: { 200: items(fulfillerSchema) } } }, async (req) =>
    redact(req.actor, { items: await fulfilment.listFulfillers(req.actor) }),
  );
  app.post(
    '/fulfillers',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Register a fulfiller; the answer carries the secret that signs its callbacks (administrators)',
        body: z.strictObject({
          code,
          name: shortText,
          kind: z.enum(['own', 'subcontractor']),
          contactEmail: z.email().max(320).optional(),
          holidays: z.array(isoDate).max(366).optional().describe('Days it does not work besides weekends'),
        }),
        response: { 201: fulfillerWithSecret },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await fulfilment.createFulfiller(req.actor, req.body))),
  );
  app.patch(
    '/fulfillers/:code',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Change a fulfiller’s name, contact, holidays or status',
        params: z.object({ code }),
        body: z
          .strictObject({ name: shortText.optional(), contactEmail: z.email().max(320).nullable().optional(), holidays: z.array(isoDate).max(366).optional(), status: z.enum(['active', 'inactive']).optional() })
          .refine((b) => Object.keys(b).length > 0, 'send at least one field'),
        response: { 200: fulfillerSchema },
      },
    },
    async (req) => redact(req.actor, await fulfilment.updateFulfiller(req.actor, req.params.code, req.body)),
  );
  app.post(
    '/fulfillers/:code/rotate-secret',
    { config: SETUP, schema: { tags, summary: 'Issue a new callback secret (the old one stops working at once)', params: z.object({ code }), response: { 200: fulfillerWithSecret } } },
    async (req) => redact(req.actor, await fulfilment.rotateSecret(req.actor, req.params.code)),
  );
  app.get(
    '/offers',
    {
      schema: {
        tags,
        summary: 'Who supplies which component: lead time, capacity, stock, cost',
        querystring: z.strictObject({ fulfiller: code.optional(), component: code.optional() }),
        response: { 200: items(offerSchema) },
      },
    },
    async (req) => redact(req.actor, { items: await fulfilment.listOffers(req.actor, req.query) }),
  );
  app.put(
    '/offers',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Set what a fulfiller offers for a component (administrators)',
        body: z.strictObject({
          fulfiller: code,
          component: code,
          leadTimeDays: z.number().int().min(0).max(365).describe('Business days'),
          capacityPerDay: z.number().positive().max(1e9).nullable().optional().describe('Units per business day; omit when capacity does not bind'),
          stockOnHand: z.number().min(0).max(1e12).nullable().optional().describe('Units on the shelf (own stock)'),
          unitCost: z.number().min(0).max(1e9),
        }),
        response: { 200: offerSchema },
      },
    },
    async (req) => redact(req.actor, await fulfilment.putOffer(req.actor, req.body)),
  );
  app.get('/webhooks', { config: SETUP, schema: { tags, summary: 'Endpoints order events are sent to', response: { 200: items(webhookSchema) } } }, async (req) =>
    redact(req.actor, { items: await fulfilment.listWebhooks(req.actor) }),
  );
  app.post(
    '/webhooks',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Send order events to a URL, signed (administrators)',
        description: `Each delivery is a POST of {id, type, createdAt, data} with header ${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the secret>. Delivery is at least once; dedupe on id.`,
        body: z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2000), events: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length).optional().describe('Omit for every event type') }),
        response: { 201: webhookSchema.extend({ secret: z.string().describe('Shown only now') }) },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await fulfilment.createWebhook(req.actor, req.body))),
  );
  app.delete('/webhooks/:id', { config: SETUP, schema: { tags, summary: 'Stop sending to an endpoint', params: idParams, response: { 204: z.null() } } }, async (req, reply) => {
    await fulfilment.deleteWebhook(req.actor, req.params.id);
    return reply.code(204).send(null);
  });
  app.post(
    '/webhooks/deliver',
    { config: SETUP, schema: { tags, summary: 'Send the due outbox events now (a scheduler normally does this)', response: { 200: z.object({ sent: z.number().int(), failed: z.number().int() }) } } },
    () => fulfilment.deliverOutbox(),
  );
};

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
    fulfiller?: { id: string; code: string; tenantId: string };
  }
}

/**
 * Status callbacks from fulfillers. Public as far as sessions and API keys go: the caller proves who it is
 * with an HMAC of the raw body, checked before the body is validated, so a bad signature is always a 401.
 * Registered in its own plugin so the raw-body JSON parser applies to this route only.
 */
export const fulfillerCallbackRoutes: FastifyPluginAsyncZod<{ orders: OrderService }> = async (app, { orders }) => {
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (req, body, done) => {
    req.rawBody = body as string;
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new ValidationError('the body is not JSON', [{ path: 'body', message: 'not JSON' }]), undefined);
    }
  });
  app.post(
    '/fulfillers/:id/callbacks',
    {
      config: { public: true },
      preValidation: async (req) => {
        const { id } = req.params as { id: string };
        req.fulfiller = await orders.authenticateFulfiller(id, req.rawBody ?? '', req.headers[SIGNATURE_HEADER] as string | undefined);
      },
      schema: {
        tags,
        summary: 'A fulfiller reports progress on its work package (signed, no API key)',
        description: `Sign the raw JSON body: header ${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the fulfiller’s callback secret>. Requests more than 5 minutes old, or with a bad signature, get 401. A retried eventId is accepted and ignored.`,
        security: [],
        params: z.object({ id: z.uuid() }),
        body: fulfillerCallbackSchema,
        response: {
          200: z.object({ duplicate: z.boolean(), order: z.string(), status: z.string(), estimatedDate: z.string(), promisedDate: z.string() }).meta({ id: 'FulfillerCallbackResult' }),
        },
      },
    },
    (req) => orders.applyFulfillerCallback(req.fulfiller!, req.body),
  );
};
