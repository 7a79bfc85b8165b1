import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../core/actor.js';
import { idParams, isoDateTime, shortText } from '../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../core/http/pagination.js';
import type { CustomerService } from './service.js';

const nullableText = z.string().nullable();

export const customerSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['person', 'organisation']),
    displayName: z.string(),
    givenName: nullableText,
    familyName: nullableText,
    dateOfBirth: nullableText,
    email: nullableText,
    phone: nullableText,
    addressLine1: nullableText,
    locality: nullableText,
    postcode: nullableText,
    country: nullableText,
    divisionIds: z.array(z.uuid()),
    sourceRecordCount: z.number().int(),
    status: z.enum(['active', 'retired']),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Customer' });

export const customerDetail = customerSchema
  .extend({
    provenance: z.record(z.string(), z.unknown()),
    hiddenRecordCount: z.number().int().optional().describe('Source records of this customer held by divisions you may not see'),
  })
  .meta({ id: 'CustomerDetail' });

export const sourceRecordSchema = z
  .object({
    id: z.uuid(),
    sourceSystemId: z.uuid(),
    sourceCode: z.string(),
    divisionId: z.uuid(),
    customerId: z.uuid().nullable(),
    externalId: z.string(),
    kind: z.enum(['person', 'organisation']),
    givenName: nullableText,
    familyName: nullableText,
    fullName: nullableText,
    dateOfBirth: nullableText,
    email: nullableText,
    phone: nullableText,
    streetNumber: nullableText,
    addressLine1: nullableText,
    addressLine2: nullableText,
    locality: nullableText,
    postcode: nullableText,
    region: nullableText,
    country: nullableText,
    nationalId: nullableText.optional(),
    raw: z.record(z.string(), z.unknown()),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'SourceRecord' });

const searchText = z.string().trim().max(200).optional().describe('Name search (trigram word similarity); results are ranked, not paged');

export const customerRoutes: FastifyPluginAsyncZod<{ customers: CustomerService }> = async (app, { customers }) => {
  app.get(
    '/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'List or search golden customers',
        querystring: z.strictObject({
          ...pageQuery,
          q: searchText,
          divisionId: z.uuid().optional(),
          kind: z.enum(['person', 'organisation']).optional(),
          postcode: z.string().max(20).optional(),
          sort: z.enum(['displayName', '-displayName', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt']).optional(),
        }),
        response: { 200: pageOf(customerSchema) },
      },
    },
    async (req) => redact(req.actor, await customers.listCustomers(req.actor, req.query)),
  );
  app.get('/customers/:id', { schema: { tags: ['customers'], summary: 'Get a golden customer with provenance', params: idParams, response: { 200: customerDetail } } }, async (req) =>
    redact(req.actor, await customers.getCustomer(req.actor, req.params.id)),
  );
  app.post(
    '/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'Create a golden customer by hand (a prospect, say)',
        body: z.strictObject({
          kind: z.enum(['person', 'organisation']).default('person'),
          displayName: shortText,
          givenName: z.string().max(100).optional(),
          familyName: z.string().max(100).optional(),
          email: z.email().max(320).optional(),
          phone: z.string().max(40).optional(),
          postcode: z.string().max(20).optional(),
          country: z.string().length(2).optional(),
        }),
        response: { 201: customerDetail },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await customers.createCustomer(req.actor, req.body))),
  );
  app.patch(
    '/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'Correct a golden value by hand (recorded as manual provenance)',
        params: idParams,
        body: z
          .strictObject({
            displayName: shortText.optional(),
            email: z.email().max(320).nullable().optional(),
            phone: z.string().max(40).nullable().optional(),
            addressLine1: z.string().max(200).nullable().optional(),
            locality: z.string().max(100).nullable().optional(),
            postcode: z.string().max(20).nullable().optional(),
            country: z.string().length(2).nullable().optional(),
          })
          .refine((b) => Object.keys(b).length > 0, 'send at least one field'),
        response: { 200: customerDetail },
      },
    },
    async (req) => redact(req.actor, await customers.updateCustomer(req.actor, req.params.id, req.body)),
  );
  app.get(
    '/source-records',
    {
      schema: {
        tags: ['customers'],
        summary: 'List or search the records each division’s system holds',
        querystring: z.strictObject({ ...pageQuery, q: searchText, sourceSystemId: z.uuid().optional(), externalId: z.string().max(200).optional() }),
        response: { 200: pageOf(sourceRecordSchema) },
      },
    },
    async (req) => redact(req.actor, await customers.listSourceRecords(req.actor, req.query)),
  );
  app.get('/source-records/:id', { schema: { tags: ['customers'], summary: 'Get one source record', params: idParams, response: { 200: sourceRecordSchema } } }, async (req) =>
    redact(req.actor, await customers.getSourceRecord(req.actor, req.params.id)),
  );
};
