import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../../core/actor.js';
import { code, isoDateTime, shortText } from '../../../core/http/schemas.js';
import { isoDate, items, SETUP } from '../http.js';
import { priceListItemSchema, ruleConditionSchema } from './model.js';
import type { PricingService } from './service.js';

const priceListSchema = z
  .object({
    id: z.uuid(),
    divisionId: z.uuid(),
    code: z.string(),
    name: z.string(),
    currency: z.string(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    approvalThresholdPercent: z.number(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'PriceList' });
const priceListDetail = priceListSchema.extend({ items: z.array(priceListItemSchema) }).meta({ id: 'PriceListDetail' });

const ruleSchema = z
  .object({
    id: z.uuid(),
    divisionId: z.uuid(),
    priceListId: z.uuid().nullable(),
    code: z.string(),
    name: z.string(),
    priority: z.number().int(),
    when: ruleConditionSchema,
    percentOff: z.number().nullable(),
    amountOff: z.number().nullable(),
    exclusive: z.boolean(),
    validFrom: z.string().nullable(),
    validTo: z.string().nullable(),
    active: z.boolean(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'PriceRule' });

const listParams = z.object({ code: z.string().min(1).max(64).describe('Price list code or id') });
const tags = ['sales: pricing'];

export const pricingRoutes: FastifyPluginAsyncZod<{ pricing: PricingService }> = async (app, { pricing }) => {
  app.get(
    '/price-lists',
    { schema: { tags, summary: 'Price lists with their validity', querystring: z.strictObject({ divisionId: z.uuid().optional() }), response: { 200: items(priceListSchema) } } },
    async (req) => redact(req.actor, { items: await pricing.listPriceLists(req.actor, req.query) }),
  );
  app.get('/price-lists/:code', { schema: { tags, summary: 'A price list with every product price on it', params: listParams, response: { 200: priceListDetail } } }, (req) =>
    pricing.getPriceListWithItems(req.actor, req.params.code),
  );
  app.post(
    '/price-lists',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Create a price list (administrators)',
        body: z.strictObject({
          divisionId: z.uuid(),
          code,
          name: shortText,
          currency: z.string().length(3).describe('ISO 4217'),
          validFrom: isoDate,
          validTo: isoDate.nullable().optional(),
          approvalThresholdPercent: z.number().min(0).max(100).optional().describe('A manual discount above this needs approval (default 10)'),
          items: z.array(priceListItemSchema).max(5000).optional(),
        }),
        response: { 201: priceListDetail },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await pricing.createPriceList(req.actor, req.body))),
  );
  app.patch(
    '/price-lists/:code',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Rename a price list, end or extend its validity, change its approval threshold',
        params: listParams,
        body: z
          .strictObject({ name: shortText.optional(), validTo: isoDate.nullable().optional(), approvalThresholdPercent: z.number().min(0).max(100).optional() })
          .refine((b) => Object.keys(b).length > 0, 'send at least one field'),
        response: { 200: priceListDetail },
      },
    },
    async (req) => redact(req.actor, await pricing.updatePriceList(req.actor, req.params.code, req.body)),
  );
  app.put(
    '/price-lists/:code/items/:product',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Set one product’s price on a list: base price, option components, floor',
        params: listParams.extend({ product: code }),
        body: priceListItemSchema.omit({ product: true }),
        response: { 200: priceListDetail },
      },
    },
    async (req) => redact(req.actor, await pricing.putItem(req.actor, req.params.code, { ...req.body, product: req.params.product })),
  );
  app.get(
    '/price-rules',
    { schema: { tags, summary: 'Policy rules in the order they apply', querystring: z.strictObject({ divisionId: z.uuid().optional() }), response: { 200: items(ruleSchema) } } },
    async (req) => redact(req.actor, { items: await pricing.listRules(req.actor, req.query) }),
  );
  app.post(
    '/price-rules',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Add a policy rule: by customer value tier and profitability, by volume, by bundle (administrators)',
        body: z
          .strictObject({
            divisionId: z.uuid(),
            priceListId: z.uuid().optional(),
            code,
            name: shortText,
            priority: z.number().int().min(0).max(1_000_000),
            when: ruleConditionSchema.default({}),
            percentOff: z.number().min(0).max(100).optional(),
            amountOff: z.number().min(0).max(1e9).optional(),
            exclusive: z.boolean().optional(),
            validFrom: isoDate.optional(),
            validTo: isoDate.optional(),
          })
          .refine((r) => r.percentOff !== undefined || r.amountOff !== undefined, { message: 'give percentOff or amountOff', path: ['percentOff'] }),
        response: { 201: ruleSchema },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await pricing.createRule(req.actor, req.body))),
  );
  app.patch(
    '/price-rules/:code',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Change a rule’s order, amount, validity, or switch it off',
        params: z.object({ code }),
        body: z
          .strictObject({
            name: shortText.optional(),
            priority: z.number().int().min(0).max(1_000_000).optional(),
            when: ruleConditionSchema.optional(),
            percentOff: z.number().min(0).max(100).optional(),
            amountOff: z.number().min(0).max(1e9).optional(),
            exclusive: z.boolean().optional(),
            validFrom: isoDate.optional(),
            validTo: isoDate.optional(),
            active: z.boolean().optional(),
          })
          .refine((b) => Object.keys(b).length > 0, 'send at least one field'),
        response: { 200: ruleSchema },
      },
    },
    async (req) => redact(req.actor, await pricing.updateRule(req.actor, req.params.code, req.body)),
  );
};
