import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../core/actor.js';
import { NotFoundError } from '../../core/errors.js';
import { idParams, isoDateTime } from '../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../core/http/pagination.js';
import type { JobRunner } from '../../core/jobs/runner.js';
import { jobSchema } from '../../api/jobs.js';
import { SCORE_JOB } from './jobs.js';
import { CLI_MODELS, type EconomicsService } from './service.js';
import { economicsSettingsSchema } from './settings.js';

const num = z.number();
const maybe = num.nullable();
const money4 = { revenue: num, grossMargin: num, costToServe: num, profit: num };

export const customerEconomicsSchema = z
  .object({
    customerId: z.uuid(),
    runId: z.uuid(),
    modelVersion: z.string(),
    computedAt: isoDateTime,
    calibrationEnd: z.string().describe('Purchases up to this day were scored'),
    period: z.enum(['day', 'week', 'month']),
    horizonMonths: z.number().int(),
    currency: z.string(),
    clv: maybe.describe('Discounted margin expected over the horizon'),
    probabilityAlive: maybe,
    probabilityAlivePrevious: maybe.describe('P(alive) one trend window earlier'),
    expectedPurchases: maybe.describe('Purchase occasions expected over the horizon'),
    expectedSpend: maybe.describe('Expected revenue per purchase occasion'),
    tier: z.string(),
    disposition: z.string(),
    reasons: z.array(z.string()),
    rfm: z.object({ r: num, f: num, m: num, segment: z.string() }).nullable(),
    wallet: z
      .object({
        shareOfWallet: maybe.describe('Revenue over revenue plus the untapped families, 0 to 1'),
        walletGap: num.describe("Typical revenue of the product families the customer's peers (same tier) hold and the customer does not"),
        held: z.array(z.string()).describe('Product families held (only those your divisions sell, if you are division-scoped)'),
        untapped: z.array(z.object({ category: z.string(), typicalRevenue: num, peerAdoption: num })),
      })
      .describe('Share of wallet estimated from holdings across divisions'),
    history: z.object({ x: maybe, tx: maybe, T: maybe, monetary: maybe, recencyDays: maybe }).describe('The summary the models saw, in the run period'),
    profit: z.object({
      windowDays: z.number().int(),
      ...money4,
      spendRecent: num,
      spendPrevious: num,
      byDivision: z.array(z.object({ divisionId: z.uuid(), divisionName: z.string(), ...money4 })),
    }),
  })
  .meta({ id: 'CustomerEconomics' });

const summarySchema = z
  .object({
    run: z.object({ runId: z.uuid(), modelVersion: z.string(), calibrationEnd: z.string(), period: z.string(), finishedAt: isoDateTime.nullable() }).nullable(),
    customers: z.number().int(),
    totals: z.object({ clv: num, revenue: num, costToServe: num, profit: num }),
    tiers: z.array(z.object({ tier: z.string(), customers: z.number().int(), clv: num })),
    dispositions: z.array(z.object({ disposition: z.string(), customers: z.number().int(), clv: num })),
    clvHistogram: z.array(z.object({ from: num, to: num, customers: z.number().int(), clv: num })).describe('Customers by CLV in powers of ten'),
    rfmGrid: z.array(z.object({ r: z.number().int(), fm: z.number().int(), segment: z.string(), customers: z.number().int() })),
    profitByDivision: z.array(z.object({ divisionId: z.uuid(), divisionName: z.string(), customers: z.number().int(), ...money4 })),
    costByTouchPoint: z.array(z.object({ touchPoint: z.string(), interactions: z.number().int(), cases: z.number().int(), costToServe: num })),
    whaleCurve: z.array(z.object({ customerShare: num, profitShare: num })).describe('Cumulative share of profit from the most profitable customers down'),
  })
  .meta({ id: 'EconomicsSummary' });

const fitSchema = z
  .object({
    id: z.uuid(),
    runId: z.uuid().nullable(),
    model: z.enum(CLI_MODELS),
    modelVersion: z.string(),
    sourceSystemId: z.uuid().nullable(),
    period: z.enum(['day', 'week', 'month']),
    calibrationEnd: z.string(),
    params: z.record(z.string(), num),
    logLikelihood: num,
    customers: z.number().int(),
    converged: z.boolean(),
    iterations: z.number().int(),
    warnings: z.array(z.string()),
    createdAt: isoDateTime,
  })
  .meta({ id: 'EconomicsFit' });

export const economicsRoutes: FastifyPluginAsyncZod<{ economics: EconomicsService; jobs: JobRunner }> = async (app, { economics, jobs }) => {
  app.get(
    '/customers/:id/economics',
    {
      schema: {
        tags: ['economics'],
        summary: "A customer's CLV, P(alive), expected purchases, tier, disposition with reasons, RFM segment and profit",
        params: idParams,
        response: { 200: customerEconomicsSchema },
      },
    },
    async (req) => {
      const view = await economics.ofCustomer(req.actor, req.params.id);
      if (!view) throw new NotFoundError(`economics of customer ${req.params.id} (not scored yet: POST /api/v1/economics/runs)`);
      return redact(req.actor, view);
    },
  );
  app.get(
    '/economics/summary',
    {
      schema: {
        tags: ['economics'],
        summary: 'Tier and disposition counts, CLV distribution, RFM grid, profitability by division and touch point, cumulative-profit curve',
        response: { 200: summarySchema },
      },
    },
    async (req) => redact(req.actor, await economics.summary(req.actor)),
  );
  app.get(
    '/economics/customers',
    {
      schema: {
        tags: ['economics'],
        summary: 'Scored customers, most valuable first, optionally of one tier, disposition or RFM segment (keyset-paged)',
        querystring: z.strictObject({
          ...pageQuery,
          tier: z.string().max(40).optional(),
          disposition: z.string().max(40).optional(),
          segment: z.string().max(60).optional().describe('RFM segment'),
        }),
        response: {
          200: pageOf(
            z
              .object({
                customerId: z.uuid(),
                displayName: z.string(),
                clv: maybe,
                probabilityAlive: maybe,
                tier: z.string(),
                disposition: z.string(),
                segment: z.string().nullable(),
                profit: num,
              })
              .meta({ id: 'ScoredCustomer' }),
          ),
        },
      },
    },
    async (req) => redact(req.actor, await economics.listCustomers(req.actor, req.query)),
  );
  app.post(
    '/economics/runs',
    {
      config: { access: { resource: 'economics', action: 'admin' } },
      schema: {
        tags: ['economics'],
        summary: 'Score every customer (fits BG/NBD and Gamma-Gamma, then CLV, tiers, dispositions, profit); runs as a job',
        body: z.strictObject({ asOf: z.iso.date().optional().describe('Calibration end (default today)') }).default({}),
        response: { 202: jobSchema },
      },
    },
    async (req, reply) => reply.code(202).send(await jobs.enqueue(req.actor.tenantId, SCORE_JOB, { asOf: req.body?.asOf }, req.actor.userId)),
  );
  app.get(
    '/economics/fits',
    {
      schema: {
        tags: ['economics'],
        summary: 'Model fits, newest first: parameters, log-likelihood, customers, convergence and warnings',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
        response: { 200: z.object({ items: z.array(fitSchema) }) },
      },
    },
    async (req) => ({ items: await economics.listFits(req.actor, req.query.limit) }),
  );
  app.get(
    '/economics/settings',
    { schema: { tags: ['economics'], summary: 'Costs to serve, product margins, CLV and disposition settings', response: { 200: economicsSettingsSchema } } },
    async (req) => economics.settings(req.actor.tenantId),
  );
  app.put(
    '/economics/settings',
    {
      config: { access: { resource: 'economics', action: 'admin' } },
      schema: { tags: ['economics'], summary: 'Replace the economics settings (omitted keys take their defaults)', body: z.record(z.string(), z.unknown()), response: { 200: economicsSettingsSchema } },
    },
    async (req) => economics.updateSettings(req.actor, req.body),
  );
};
