import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { redact } from '../../core/actor.js';
import { idParams, isoDateTime } from '../../core/http/schemas.js';
import type { ConsentService } from './consents.js';
import { CONTACT_CHANNELS, CONTACT_PURPOSES } from './schema.js';

const tags = ['customers'];

export const consentState = z
  .object({
    channel: z.enum(CONTACT_CHANNELS),
    purpose: z.enum(CONTACT_PURPOSES),
    granted: z.boolean(),
    source: z.string().describe("Where the customer said it; 'default' when they have not (service and surveys allowed, marketing not)"),
    recordedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'ConsentState' });

export const consentRoutes: FastifyPluginAsyncZod<{ consents: ConsentService }> = async (app, { consents }) => {
  app.get(
    '/customers/:id/consents',
    {
      schema: {
        tags,
        summary: 'Consent and contact preferences in force, per channel and purpose, with the full history of what the customer said',
        params: idParams,
        response: {
          200: z.object({
            current: z.array(consentState),
            history: z.array(z.object({ id: z.uuid(), channel: z.enum(CONTACT_CHANNELS), purpose: z.enum(CONTACT_PURPOSES), granted: z.boolean(), source: z.string(), note: z.string().nullable(), recordedAt: isoDateTime, recordedBy: z.uuid().nullable() })),
          }),
        },
      },
    },
    async (req) => redact(req.actor, { current: await consents.current(req.actor, req.params.id), history: await consents.history(req.actor, req.params.id) }),
  );

  app.post(
    '/customers/:id/consents',
    {
      schema: {
        tags,
        summary: 'Record what the customer said about being contacted (one or more channels and purposes); the history is kept',
        params: idParams,
        body: z.strictObject({
          statements: z
            .array(
              z.strictObject({
                channel: z.enum(CONTACT_CHANNELS),
                purpose: z.enum(CONTACT_PURPOSES),
                granted: z.boolean(),
                source: z.string().trim().min(1).max(200).describe('Where the customer said it, e.g. "call centre", "web preference centre"'),
                note: z.string().max(2000).optional(),
              }),
            )
            .min(1)
            .max(50),
        }),
        response: { 200: z.object({ current: z.array(consentState) }) },
      },
    },
    async (req) => redact(req.actor, { current: await consents.record(req.actor, req.params.id, req.body.statements) }),
  );
};
