import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../core/actor.js';
import { code, isoDateTime, shortText } from '../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../core/http/pagination.js';
import type { HoldingsService } from './service.js';

const product = z.object({ id: z.uuid(), divisionId: z.uuid(), code: z.string(), name: z.string(), category: z.string(), createdAt: isoDateTime }).meta({ id: 'Product' });
export const accountSchema = z
  .object({
    id: z.uuid(),
    sourceRecordId: z.uuid(),
    productId: z.uuid(),
    productName: z.string(),
    productCategory: z.string(),
    divisionId: z.uuid(),
    accountNumber: z.string(),
    status: z.enum(['open', 'closed', 'offered']),
    openedOn: z.string().nullable(),
    closedOn: z.string().nullable(),
    balance: z.number().nullable().optional(),
    currency: z.string(),
  })
  .meta({ id: 'Account' });
const isoDate = z.iso.date();

export const holdingsRoutes: FastifyPluginAsyncZod<{ holdings: HoldingsService }> = async (app, { holdings }) => {
  app.get('/products', { schema: { tags: ['holdings'], summary: 'The product catalogue of every division', response: { 200: z.object({ items: z.array(product) }) } } }, async (req) => ({
    items: await holdings.listProducts(req.actor),
  }));
  app.post(
    '/products',
    { schema: { tags: ['holdings'], summary: 'Add a product', body: z.strictObject({ divisionId: z.uuid(), code, name: shortText, category: code }), response: { 201: product } } },
    async (req, reply) => reply.code(201).send(await holdings.createProduct(req.actor, req.body)),
  );
  app.get(
    '/accounts',
    {
      schema: {
        tags: ['holdings'],
        summary: 'Products and accounts held, by customer or source record',
        querystring: z.strictObject({ ...pageQuery, customerId: z.uuid().optional(), sourceRecordId: z.uuid().optional(), status: z.enum(['open', 'closed', 'offered']).optional() }),
        response: { 200: pageOf(accountSchema) },
      },
    },
    async (req) => redact(req.actor, await holdings.listAccounts(req.actor, req.query)),
  );
  app.post(
    '/accounts',
    {
      schema: {
        tags: ['holdings'],
        summary: 'Record a product held (or offered) against a source record',
        body: z.strictObject({
          sourceRecordId: z.uuid(),
          productId: z.uuid(),
          accountNumber: z.string().trim().min(1).max(64),
          status: z.enum(['open', 'closed', 'offered']).optional(),
          openedOn: isoDate.optional(),
          balance: z.number().finite().optional(),
          currency: z.string().length(3).optional(),
        }),
        response: { 201: accountSchema },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await holdings.createAccount(req.actor, req.body))),
  );
};
