import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { noteChange, redact } from '../../../core/actor.js';
import { code, idParams, isoDateTime } from '../../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../../core/http/pagination.js';
import { isoDate, prospectSchema } from '../http.js';
import { orderSchema } from '../orders/routes.js';
import type { OrderService } from '../orders/service.js';
import { TIERS } from '../pricing/model.js';
import type { QuoteService } from './service.js';

const trailStepSchema = z
  .object({
    kind: z.enum(['base', 'option', 'rule', 'floor', 'manual']),
    code: z.string(),
    label: z.string(),
    reason: z.string().optional(),
    percentOff: z.number().optional(),
    amountOff: z.number().optional(),
    amount: z.number().describe('Change to the unit price at this step'),
    unitPrice: z.number().describe('Unit price after this step'),
  })
  .meta({ id: 'PriceTrailStep' });

const routeSchema = z.object({
  fulfillerId: z.uuid(),
  fulfiller: z.string(),
  fulfillerName: z.string(),
  kind: z.enum(['own', 'subcontractor']),
  readyOn: z.string(),
  cost: z.number(),
  items: z.array(z.object({ lineNo: z.number().int(), component: z.string(), quantity: z.number(), readyOn: z.string() })),
});

export const draftSchema = z
  .object({
    pricedOn: z.string(),
    currency: z.string(),
    priceList: z.object({ id: z.uuid(), code: z.string(), name: z.string(), validTo: z.string().nullable() }),
    customer: z.object({ tier: z.enum(TIERS), profitability: z.number().optional(), known: z.boolean().describe('false: economics knows nothing of this customer; priced as rest') }),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        product: z.string(),
        name: z.string(),
        unit: z.string(),
        quantity: z.number(),
        configuration: z.record(z.string(), z.unknown()),
        summary: z.array(z.string()),
        customised: z.boolean(),
        bundle: z.string().nullable(),
        listUnitPrice: z.number(),
        unitPrice: z.number(),
        listAmount: z.number(),
        netAmount: z.number(),
        policyDiscountPercent: z.number(),
        manualDiscountPercent: z.number(),
        discountPercent: z.number(),
        floorPrice: z.number().nullable(),
        trail: z.array(trailStepSchema).describe('How the unit price was built, step by step: the explanation trail'),
        deliveryDate: z.string(),
        assemblyDays: z.number().int(),
        components: z.array(z.object({ component: z.string(), quantity: z.number(), fulfiller: z.string(), readyOn: z.string() })),
      }),
    ),
    totals: z.object({ list: z.number(), net: z.number(), discount: z.number(), discountPercent: z.number() }),
    approval: z.object({ required: z.boolean(), thresholdPercent: z.number(), maxManualDiscountPercent: z.number(), reasons: z.array(z.string()) }),
    delivery: z.object({
      date: z.string().describe('One date for everything: the latest component path plus assembly and shipping'),
      needBy: z.string().nullable(),
      meetsNeedBy: z.boolean().nullable(),
      critical: z.object({ lineNo: z.number().int(), component: z.string(), fulfiller: z.string(), readyOn: z.string() }).nullable(),
      routes: z.array(routeSchema),
    }),
    cost: z.number(),
    marginPercent: z.number().nullable(),
  })
  .meta({ id: 'PricedQuote' });

const VERSION_STATUS = ['pending_approval', 'issued', 'rejected', 'superseded', 'accepted'] as const;
const versionSummarySchema = z.object({
  version: z.number().int(),
  status: z.enum(VERSION_STATUS),
  currency: z.string(),
  listTotal: z.number(),
  netTotal: z.number(),
  deliveryDate: z.string(),
  validUntil: z.string(),
  approvalRequired: z.boolean(),
  createdAt: isoDateTime,
  issuedAt: isoDateTime.nullable(),
});
const versionDetailSchema = versionSummarySchema
  .extend({
    priceListId: z.uuid(),
    pricedOn: z.string(),
    costTotal: z.number(),
    maxManualDiscountPercent: z.number(),
    note: z.string().nullable(),
    createdBy: z.uuid().nullable(),
    decidedBy: z.uuid().nullable(),
    decidedAt: isoDateTime.nullable(),
    decisionNote: z.string().nullable(),
    document: draftSchema,
  })
  .meta({ id: 'QuoteVersion' });

const quoteBase = z.object({
  id: z.uuid(),
  number: z.string(),
  title: z.string().nullable(),
  divisionId: z.uuid(),
  customerId: z.uuid().nullable(),
  prospect: prospectSchema.nullable(),
  opportunityId: z.uuid().nullable(),
  ownerUserId: z.uuid().nullable(),
  currentVersion: z.number().int(),
  status: z.enum(['open', 'accepted', 'declined', 'withdrawn']),
  channel: z.string(),
  requestedAt: isoDateTime,
  needBy: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
const quoteSchema = quoteBase.extend({ versions: z.array(versionSummarySchema), current: versionDetailSchema }).meta({ id: 'Quote' });
const quoteListItem = quoteBase.extend({ current: versionSummarySchema }).meta({ id: 'QuoteSummary' });

const lineInput = z.strictObject({
  product: code,
  quantity: z.number().positive().max(1e7),
  configuration: z.record(z.string(), z.unknown()).optional().describe('The product’s options; for a bundle, each item’s options under the item’s product code'),
  manualDiscountPercent: z.number().min(0).max(100).optional().describe('The rep’s own discount on top of policy rules; checked against their authority'),
});
const pricingBody = {
  priceList: z.string().min(1).max(64).optional().describe('Price list code or id; default: the division’s list valid today'),
  currency: z.string().length(3).optional(),
  needBy: isoDate.optional().describe('The customer’s requested delivery date'),
  lines: z.array(lineInput).min(1).max(200),
};
const forWhom = {
  divisionId: z.uuid(),
  customerId: z.uuid().optional().describe('A golden customer'),
  prospect: prospectSchema.optional().describe('Or someone who is not a customer yet'),
};
const tags = ['sales: quotes'];
const versionParams = idParams.extend({ version: z.coerce.number().int().min(1) });

export const quoteRoutes: FastifyPluginAsyncZod<{ quotes: QuoteService; orders: OrderService }> = async (app, { quotes, orders }) => {
  app.post(
    '/price',
    {
      config: { access: { resource: 'sales', action: 'read' } },
      schema: {
        tags,
        summary: 'Configure and price in one sitting: live prices with their explanation, availability and one delivery date (nothing is saved)',
        description: 'Answers 400 with a path per failing option when a configuration breaks a rule, 403 when a discount is above your authority, 422 when the price list has expired, a price would go below its floor, or nobody offers a component.',
        body: z.strictObject({ ...forWhom, ...pricingBody }),
        response: { 200: draftSchema },
      },
    },
    async (req) => {
      const { priceListRow: _p, ...draft } = await quotes.draft(req.actor, req.body);
      // Nothing is written; the audit trail still learns who priced what for whom, without the whole answer.
      noteChange(req.actor, { resource: 'sales-prices', resourceId: req.body.customerId ?? 'prospect', action: 'update', after: { priceList: draft.priceList.code, lines: draft.lines.length, net: draft.totals.net, currency: draft.currency, maxManualDiscountPercent: draft.approval.maxManualDiscountPercent } });
      return redact(req.actor, draft);
    },
  );
  app.get(
    '/quotes',
    {
      schema: {
        tags,
        summary: 'Quotes, newest first',
        querystring: z.strictObject({
          ...pageQuery,
          customerId: z.uuid().optional(),
          divisionId: z.uuid().optional(),
          status: z.enum(['open', 'accepted', 'declined', 'withdrawn']).optional(),
          pendingApproval: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('Only quotes whose current version waits for approval (or only those that do not)'),
        }),
        response: { 200: pageOf(quoteListItem) },
      },
    },
    async (req) => redact(req.actor, await quotes.listQuotes(req.actor, req.query)),
  );
  app.post(
    '/quotes',
    {
      schema: {
        tags,
        summary: 'Write a quote (version 1); it waits for approval when a discount passes the price list’s threshold',
        body: z.strictObject({
          ...forWhom,
          ...pricingBody,
          title: z.string().trim().min(1).max(200).optional(),
          opportunityId: z.uuid().optional(),
          requestedAt: isoDateTime.optional().describe('When the customer asked (default now): starts the request-to-quote clock'),
          validDays: z.number().int().min(1).max(365).optional(),
          channel: z.enum(['rep', 'web', 'phone', 'email', 'field', 'branch']).optional(),
          note: z.string().max(2000).optional().describe('Printed on the quote'),
        }),
        response: { 201: quoteSchema },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await quotes.createQuote(req.actor, req.body))),
  );
  app.get('/quotes/:id', { schema: { tags, summary: 'A quote, its versions and the current version in full', params: idParams, response: { 200: quoteSchema } } }, async (req) =>
    redact(req.actor, await quotes.getQuote(req.actor, req.params.id)),
  );
  app.post(
    '/quotes/:id/versions',
    {
      schema: {
        tags,
        summary: 'Revise a quote: a new version replaces the current one, which can no longer be accepted',
        params: idParams,
        body: z.strictObject({
          ...pricingBody,
          title: z.string().trim().min(1).max(200).optional(),
          validDays: z.number().int().min(1).max(365).optional(),
          note: z.string().max(2000).optional(),
        }),
        response: { 201: quoteSchema },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await quotes.reviseQuote(req.actor, req.params.id, req.body))),
  );
  app.get('/quotes/:id/versions/:version', { schema: { tags, summary: 'One version of a quote', params: versionParams, response: { 200: versionDetailSchema } } }, async (req) =>
    redact(req.actor, await quotes.getVersion(req.actor, req.params.id, req.params.version)),
  );
  app.post(
    '/quotes/:id/versions/:version/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject a discount waiting for approval (needs approval authority for it; not your own quote)',
        params: versionParams,
        body: z.strictObject({ approve: z.boolean(), note: z.string().max(2000).optional() }),
        response: { 200: quoteSchema },
      },
    },
    async (req) => redact(req.actor, await quotes.decide(req.actor, req.params.id, req.params.version, req.body)),
  );
  app.post(
    '/quotes/:id/decline',
    { schema: { tags, summary: 'The customer said no', params: idParams, body: z.strictObject({ reason: z.string().max(2000).optional() }), response: { 200: quoteSchema } } },
    async (req) => redact(req.actor, await quotes.decline(req.actor, req.params.id, req.body.reason)),
  );
  app.get(
    '/quotes/:id/pdf',
    {
      schema: {
        tags,
        summary: 'The quote as the customer receives it (PDF)',
        params: idParams,
        querystring: z.strictObject({ version: z.coerce.number().int().min(1).optional() }),
        produces: ['application/pdf'],
      },
    },
    async (req, reply) => {
      const { filename, pdf } = await quotes.pdf(req.actor, req.params.id, req.query.version);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).send(pdf);
    },
  );
  app.post(
    '/quotes/:id/accept',
    {
      schema: {
        tags,
        summary: 'Accept a quote version: creates the order, routes it to fulfillers and promises one delivery date',
        description: '409 when the version was superseded, already accepted or still waiting for approval; 422 when the quote or its price list has expired. Nothing is written unless everything succeeds.',
        params: idParams,
        body: z.strictObject({ version: z.number().int().min(1), customerReference: z.string().trim().max(100).optional().describe('The customer’s purchase order number') }),
        response: { 201: orderSchema },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await orders.acceptQuote(req.actor, req.params.id, req.body))),
  );
};
