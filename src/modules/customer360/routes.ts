import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../core/actor.js';
import { idParams } from '../../core/http/schemas.js';
import { customerDetail } from '../identity/routes.js';
import { accountSchema } from '../holdings/routes.js';
import { interactionSchema } from '../interactions/routes.js';
import { TOUCH_POINTS } from '../interactions/schema.js';
import type { Customer360Service } from './service.js';
import { customerEconomicsSchema } from '../economics/routes.js';
import { customerServiceSchema, withPath } from '../service/routes.js';
import { consentState } from '../privacy/routes.js';

const text = z.string().nullable();
const view360 = z
  .object({
    customer: customerDetail,
    sourceRecordsByDivision: z.array(
      z.object({
        divisionId: z.uuid(),
        divisionName: z.string(),
        records: z.array(
          z.object({
            id: z.uuid(),
            sourceCode: z.string(),
            externalId: z.string(),
            givenName: text,
            familyName: text,
            fullName: text,
            dateOfBirth: text,
            email: text,
            phone: text,
            addressLine1: text,
            locality: text,
            postcode: text,
            nationalId: text.optional(),
            link: z.object({ method: z.string(), rule: text, matchProbability: z.number().nullable(), explanation: z.unknown() }),
          }),
        ),
      }),
    ),
    holdings: z.array(accountSchema.extend({ divisionName: z.string() })),
    timeline: z.object({ items: z.array(interactionSchema), nextCursor: z.string().nullable() }),
    insights: z.array(z.object({ kind: z.string(), severity: z.enum(['info', 'warning']), message: z.string(), divisionIds: z.array(z.uuid()) })),
    economics: customerEconomicsSchema.nullable().describe('Null until the customer has been scored'),
    consents: z.array(consentState).nullable().describe('Consent and contact preferences in force, per channel and purpose'),
    service: customerServiceSchema.nullable().describe('Lifecycle stage, open cases with SLA timers, intensive care, relationship manager and alarms'),
    elsewhere: z.object({ sourceRecords: z.number().int(), holdings: z.number().int() }).describe('How much of this customer other divisions hold that you may not see'),
  })
  .meta({ id: 'Customer360' });

const splitList = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

export const customer360Routes: FastifyPluginAsyncZod<{ view: Customer360Service }> = async (app, { view }) => {
  app.get(
    '/customers/:id/360',
    {
      schema: {
        tags: ['customers'],
        summary: 'The 360° view: golden profile, records by division, holdings, timeline and cross-division insights',
        params: idParams,
        querystring: z.strictObject({
          timelineLimit: z.coerce.number().int().min(1).max(200).default(20),
          cursor: z.string().max(2000).optional().describe('Timeline cursor from a previous response'),
          touchPoint: z.string().max(500).transform(splitList).pipe(z.array(z.enum(TOUCH_POINTS))).optional(),
          divisionId: z.string().max(2000).transform(splitList).pipe(z.array(z.uuid()).max(50)).optional(),
        }),
        response: { 200: view360 },
      },
    },
    async (req) => {
      const v = await view.view(req.actor, req.params.id, {
        timelineLimit: req.query.timelineLimit,
        cursor: req.query.cursor,
        touchPoints: req.query.touchPoint,
        divisionIds: req.query.divisionId,
      });
      return redact(req.actor, { ...v, service: v.service ? { ...v.service, alarms: v.service.alarms.map(withPath) } : null });
    },
  );
};
