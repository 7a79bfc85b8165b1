import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../../core/actor.js';
import { code, isoDateTime, shortText } from '../../../core/http/schemas.js';
import { items, SETUP } from '../http.js';
import type { CatalogueService } from './service.js';
import { productDefinitionSchema } from './model.js';

const productSchema = z
  .object({
    id: z.uuid(),
    divisionId: z.uuid(),
    code: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    kind: z.enum(['configurable', 'simple', 'bundle']),
    unit: z.string(),
    definition: productDefinitionSchema,
    holdingsProductId: z.uuid().nullable(),
    status: z.enum(['active', 'retired']),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'SalesProduct' });

const componentSchema = z.object({ id: z.uuid(), code: z.string(), name: z.string(), unit: z.string(), createdAt: isoDateTime, updatedAt: isoDateTime }).meta({ id: 'SalesComponent' });
const codeParams = z.object({ code });
const tags = ['sales: catalogue'];

export const catalogueRoutes: FastifyPluginAsyncZod<{ catalogue: CatalogueService }> = async (app, { catalogue }) => {
  app.get(
    '/products',
    {
      schema: {
        tags,
        summary: 'The sales catalogue: configurable products, simple products and bundles',
        querystring: z.strictObject({ divisionId: z.uuid().optional(), status: z.enum(['active', 'retired']).optional() }),
        response: { 200: items(productSchema) },
      },
    },
    async (req) => redact(req.actor, { items: await catalogue.listProducts(req.actor, req.query) }),
  );
  app.get('/products/:code', { schema: { tags, summary: 'One product with its options, rules and components', params: codeParams, response: { 200: productSchema } } }, async (req) =>
    redact(req.actor, await catalogue.getProduct(req.actor, req.params.code)),
  );
  app.post(
    '/products',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Add a product to the sales catalogue (administrators)',
        description: 'The definition is checked as a whole: every rule and availability condition must name an option, numeric steps must divide their range, components must exist, bundle items must be valid products of the same division.',
        body: z.strictObject({
          divisionId: z.uuid(),
          code,
          name: shortText,
          description: z.string().max(2000).optional(),
          kind: z.enum(['configurable', 'simple', 'bundle']),
          unit: z.string().trim().min(1).max(20).default('each'),
          definition: productDefinitionSchema.default({ options: [], rules: [], components: [], assemblyDays: 0, bundleItems: [] }),
          holdingsProductId: z.uuid().optional().describe('The holdings product an order of this becomes, if any'),
        }),
        response: { 201: productSchema },
      },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await catalogue.createProduct(req.actor, req.body))),
  );
  app.patch(
    '/products/:code',
    {
      config: SETUP,
      schema: {
        tags,
        summary: 'Change a product (quotes already written keep the lines as they were priced)',
        params: codeParams,
        body: z
          .strictObject({
            name: shortText.optional(),
            description: z.string().max(2000).optional(),
            unit: z.string().trim().min(1).max(20).optional(),
            definition: productDefinitionSchema.optional(),
            status: z.enum(['active', 'retired']).optional(),
          })
          .refine((b) => Object.keys(b).length > 0, 'send at least one field'),
        response: { 200: productSchema },
      },
    },
    async (req) => redact(req.actor, await catalogue.updateProduct(req.actor, req.params.code, req.body)),
  );
  app.post(
    '/products/:code/configure',
    {
      config: { access: { resource: 'sales', action: 'read' } },
      schema: {
        tags,
        summary: 'Check a configuration: the normalised options and the components it needs, or every rule it breaks',
        description: 'A configuration that breaks a rule is answered 400 with one error per failing option, at body/configuration/<option>, naming the rule.',
        params: codeParams,
        body: z.strictObject({ configuration: z.record(z.string(), z.unknown()).default({}), quantity: z.number().positive().max(1e7).default(1) }),
        response: {
          200: z.object({
            product: z.string(),
            configuration: z.record(z.string(), z.unknown()),
            customised: z.boolean(),
            components: z.array(z.object({ component: z.string(), quantity: z.number() })),
          }),
        },
      },
    },
    async (req) => catalogue.configure(req.actor, req.params.code, req.body.configuration, req.body.quantity),
  );
  app.get('/components', { schema: { tags, summary: 'Components configurations consume', response: { 200: items(componentSchema) } } }, async (req) =>
    redact(req.actor, { items: await catalogue.listComponents(req.actor) }),
  );
  app.post(
    '/components',
    {
      config: SETUP,
      schema: { tags, summary: 'Add a component (administrators)', body: z.strictObject({ code, name: shortText, unit: z.string().trim().min(1).max(20).default('each') }), response: { 201: componentSchema } },
    },
    async (req, reply) => reply.code(201).send(redact(req.actor, await catalogue.createComponent(req.actor, req.body))),
  );
};
