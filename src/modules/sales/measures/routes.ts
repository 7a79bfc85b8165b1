import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../../core/actor.js';
import { isoDateTime } from '../../../core/http/schemas.js';
import type { MeasureService } from './service.js';

const distribution = z.object({ count: z.number().int(), median: z.number().nullable(), p90: z.number().nullable() });
const periodSchema = z.object({
  period: z.string(),
  divisionId: z.uuid().nullable().describe('With byDivision=true, the division; otherwise null (all divisions together)'),
  quotes: z.object({ requested: z.number().int(), issued: z.number().int(), requestToQuoteHours: distribution }),
  orders: z.object({
    accepted: z.number().int(),
    delivered: z.number().int(),
    quoteToDeliveryDays: distribution,
    requestToDeliveryDays: distribution,
    onTimeRate: z.number().nullable(),
    mishandledRate: z.number().nullable(),
    mishandledByKind: z.record(z.string(), z.number().int()),
    customShare: z.number().nullable(),
  }),
});

export const measureRoutes: FastifyPluginAsyncZod<{ measures: MeasureService }> = async (app, { measures }) => {
  app.get(
    '/measures',
    {
      schema: {
        tags: ['sales: measures'],
        summary: 'Total customer experience: turnaround, on-time and mishandled rates, share of custom orders, over time and by division',
        description: 'signals carries the long-term measures other capabilities own: CSAT and NPS from survey responses (overall, by touch point and over time), churn from lifecycle moves to dissociation, share of wallet from the latest economics run and referrals from opportunities an existing customer referred; null where there is no data.',
        querystring: z.strictObject({
          from: isoDateTime,
          to: isoDateTime,
          interval: z.enum(['week', 'month', 'quarter', 'all']).default('month'),
          divisionId: z.uuid().optional(),
          byDivision: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('One row per period and division'),
        }),
        response: {
          200: z
            .object({
              from: isoDateTime,
              to: isoDateTime,
              interval: z.string(),
              divisionId: z.uuid().nullable(),
              periods: z.array(periodSchema),
              signals: z.object({
                source: z.string(),
                csat: z.number().nullable(),
                nps: z.number().nullable(),
                churnRate: z.number().nullable(),
                shareOfWallet: z.number().nullable(),
                referrals: z.number().nullable(),
                byTouchPoint: z.array(
                  z.object({ touchPoint: z.string(), csatResponses: z.number().int(), csat: z.number().nullable(), npsResponses: z.number().int(), nps: z.number().nullable() }),
                ),
                series: z.array(z.object({ period: z.string(), csat: z.number().nullable(), nps: z.number().nullable(), churned: z.number().int(), referrals: z.number().int() })),
              }),
            })
            .meta({ id: 'ExperienceMeasures' }),
        },
      },
    },
    async (req) => redact(req.actor, await measures.experience(req.actor, req.query)),
  );
};
