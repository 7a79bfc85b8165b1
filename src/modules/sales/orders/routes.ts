import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../../core/actor.js';
import { code, idParams, isoDateTime } from '../../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../../core/http/pagination.js';
import { isoDate, prospectSchema } from '../http.js';
import { MISHANDLING_KINDS, ORDER_STATUSES, ROUTE_STATUSES } from '../schema.js';
import type { OrderService } from './service.js';

const turnaroundSchema = z
  .object({
    requestToQuoteHours: z.number().nullable(),
    quoteToAcceptHours: z.number().nullable(),
    quoteToDeliveryDays: z.number().nullable(),
    requestToDeliveryDays: z.number().nullable(),
    lateBusinessDays: z.number().int().nullable(),
    expectedLateBusinessDays: z.number().int(),
  })
  .meta({ id: 'OrderTurnaround' });

const mishandlingSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(MISHANDLING_KINDS),
    cause: z.string(),
    lineNo: z.number().int().nullable(),
    fulfiller: z.string().nullable(),
    recordedBy: z.string(),
    recordedAt: isoDateTime,
  })
  .meta({ id: 'Mishandling' });

const orderBase = z.object({
  id: z.uuid(),
  number: z.string(),
  quoteId: z.uuid(),
  quoteVersion: z.number().int(),
  customerReference: z.string().nullable(),
  divisionId: z.uuid(),
  customerId: z.uuid().nullable(),
  prospect: prospectSchema.nullable(),
  ownerUserId: z.uuid().nullable(),
  currency: z.string(),
  netTotal: z.number(),
  costTotal: z.number(),
  status: z.enum(ORDER_STATUSES),
  promisedDate: z.string().describe('The one delivery date the customer was promised'),
  estimatedDate: z.string().describe('The current estimate, as fulfillers report progress'),
  custom: z.boolean(),
  requestedAt: isoDateTime,
  quotedAt: isoDateTime,
  acceptedAt: isoDateTime,
  deliveredAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const orderSchema = orderBase
  .extend({
    quoteNumber: z.string(),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        productCode: z.string(),
        description: z.string(),
        quantity: z.number(),
        configuration: z.record(z.string(), z.unknown()),
        unitPrice: z.number(),
        netAmount: z.number(),
        customised: z.boolean(),
        bundle: z.string().nullable(),
      }),
    ),
    routes: z.array(
      z.object({
        id: z.uuid(),
        fulfiller: z.string(),
        fulfillerName: z.string(),
        fulfillerKind: z.enum(['own', 'subcontractor']),
        status: z.enum(ROUTE_STATUSES),
        promisedDate: z.string(),
        estimatedDate: z.string(),
        cost: z.number(),
        items: z.array(z.object({ lineNo: z.number().int(), component: z.string(), quantity: z.number(), readyOn: z.string() })),
        externalRef: z.string().nullable(),
        updatedAt: isoDateTime,
      }),
    ).describe('The work package each fulfiller received'),
    mishandlings: z.array(mishandlingSchema),
    turnaround: turnaroundSchema,
  })
  .meta({ id: 'SalesOrder' });

const tags = ['sales: orders'];

export const orderRoutes: FastifyPluginAsyncZod<{ orders: OrderService }> = async (app, { orders }) => {
  app.get(
    '/orders',
    {
      schema: {
        tags,
        summary: 'Orders, newest first',
        querystring: z.strictObject({ ...pageQuery, customerId: z.uuid().optional(), divisionId: z.uuid().optional(), status: z.enum(ORDER_STATUSES).optional() }),
        response: { 200: pageOf(orderBase.meta({ id: 'SalesOrderSummary' })) },
      },
    },
    async (req) => redact(req.actor, await orders.listOrders(req.actor, req.query)),
  );
  app.get('/orders/:id', { schema: { tags, summary: 'One consolidated order: lines, work packages, mishandlings, turnaround', params: idParams, response: { 200: orderSchema } } }, async (req) =>
    redact(req.actor, await orders.getOrder(req.actor, req.params.id)),
  );
  app.get(
    '/orders/:id/timeline',
    {
      schema: {
        tags,
        summary: 'Everything that happened to an order, from the request to delivery',
        params: idParams,
        response: {
          200: z.object({
            order: z.string(),
            turnaround: turnaroundSchema,
            events: z.array(z.object({ id: z.uuid(), kind: z.string(), at: isoDateTime, by: z.string(), data: z.record(z.string(), z.unknown()) })),
          }),
        },
      },
    },
    async (req) => redact(req.actor, await orders.timeline(req.actor, req.params.id)),
  );
  app.post(
    '/orders/:id/mishandlings',
    {
      schema: {
        tags,
        summary: 'Record a mishandled order (late, wrong, returned, damaged, incomplete) and its cause',
        params: idParams,
        body: z.strictObject({ kind: z.enum(MISHANDLING_KINDS), cause: z.string().trim().min(3).max(2000), lineNo: z.number().int().min(1).optional(), fulfiller: code.optional() }),
        response: { 201: orderSchema },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await orders.recordMishandling(req.actor, req.params.id, req.body))),
  );
  app.post(
    '/orders/:id/status',
    {
      schema: {
        tags,
        summary: 'Our own shipping: shipped, delivered (a late delivery is recorded as mishandled with its cause) or cancelled',
        params: idParams,
        body: z.strictObject({ status: z.enum(['shipped', 'delivered', 'cancelled']), at: isoDateTime.optional(), note: z.string().max(2000).optional() }),
        response: { 200: orderSchema },
      },
    },
    async (req) => redact(req.actor, await orders.updateStatus(req.actor, req.params.id, req.body)),
  );
  app.post(
    '/orders/:id/routes/:fulfiller',
    {
      schema: {
        tags,
        summary: 'Report progress on one fulfiller’s work package by hand (our own plant, or a subcontractor on the phone)',
        params: idParams.extend({ fulfiller: code }),
        body: z.strictObject({ status: z.enum(ROUTE_STATUSES), estimatedDate: isoDate.optional(), note: z.string().max(2000).optional() }),
        response: { 200: orderSchema },
      },
    },
    async (req) => redact(req.actor, await orders.updateRoute(req.actor, req.params.id, req.params.fulfiller, req.body)),
  );
  app.post(
    '/orders/:id/routes/:fulfiller/reroute',
    {
      schema: {
        tags,
        summary: 'Give a work package a fulfiller rejected to others, by the same routing rules',
        params: idParams.extend({ fulfiller: code }),
        body: z.strictObject({ note: z.string().max(2000).optional() }),
        response: { 200: orderSchema },
      },
    },
    async (req) => redact(req.actor, await orders.reroute(req.actor, req.params.id, req.params.fulfiller, req.body)),
  );
};
