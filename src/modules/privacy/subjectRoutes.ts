import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { PrivacyService } from './subjects.js';

const tags = ['privacy'];
const subjectParams = z.object({ customerId: z.uuid().describe('A golden customer id, or a source record id (resolved to its customer)') });

export const privacyRoutes: FastifyPluginAsyncZod<{ privacy: PrivacyService }> = async (app, { privacy }) => {
  app.get(
    '/privacy/subjects/:customerId/export',
    {
      config: { auditRead: 'export' },
      schema: {
        tags,
        summary: 'Subject access export: everything held about one person across every source and division, as JSON (privacy permission)',
        params: subjectParams,
        response: {
          200: z.object({
            subject: z.object({ customerId: z.uuid(), requestedId: z.uuid(), sourceRecordIds: z.array(z.uuid()) }),
            exportedAt: z.string(),
            erasures: z.array(z.record(z.string(), z.unknown())),
            data: z.record(z.string(), z.record(z.string(), z.array(z.record(z.string(), z.unknown())))),
            audit: z.array(z.record(z.string(), z.unknown())),
          }),
        },
      },
    },
    async (req) => JSON.parse(JSON.stringify(await privacy.export(req.actor, req.params.customerId))),
  );

  app.post(
    '/privacy/subjects/:customerId/erase',
    {
      schema: {
        tags,
        summary: 'Erase (anonymise) one person everywhere in one transaction, keeping figures and a minimal erasure record (privacy permission)',
        params: subjectParams,
        body: z.strictObject({ requestRef: z.string().trim().min(1).max(200).describe('The data-subject request this answers (ticket or letter reference); no personal data') }),
        response: {
          200: z.object({
            erasureId: z.uuid(),
            customerId: z.uuid(),
            requestRef: z.string(),
            categories: z.array(z.string()),
            counts: z.record(z.string(), z.number()),
            suppressedSourceRows: z.number().int(),
          }),
        },
      },
    },
    async (req) => privacy.erase(req.actor, req.params.customerId, req.body.requestRef),
  );
};
