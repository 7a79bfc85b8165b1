import { AsyncResource } from 'node:async_hooks';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isoDateTime } from '../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../core/http/pagination.js';
import { withoutSecrets, type AuditService } from './service.js';

const auditEntry = z
  .object({
    id: z.uuid(),
    at: isoDateTime,
    actorUserId: z.uuid().nullable(),
    actorKind: z.string(),
    actorRole: z.string().nullable(),
    apiKeyId: z.uuid().nullable(),
    action: z.string(),
    resource: z.string(),
    resourceId: z.string().nullable(),
    method: z.string().nullable(),
    path: z.string().nullable(),
    status: z.number().int().nullable(),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'AuditEntry' });

const token = z.string().trim().min(1).max(200);
const filters = {
  resourceId: token.optional().describe('Entries about this record'),
  userId: z.uuid().optional().describe('Entries by this user'),
  resource: z.string().trim().min(1).max(64).optional(),
  action: z.string().trim().min(1).max(64).optional(),
  from: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  to: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
};

/** Pulls each page in the request's async context, so its queries keep the request's tenant binding. */
async function* inRequestScope<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  const scope = new AsyncResource('rapport.audit-export');
  for (;;) {
    const next = await scope.runInAsyncScope(() => source.next());
    if (next.done) return;
    yield next.value;
  }
}

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first: by record (resourceId) or by user (userId); administrators only',
        querystring: z.strictObject({ ...pageQuery, ...filters }),
        response: { 200: pageOf(auditEntry) },
      },
    },
    async (req) => audit.list(req.actor, req.query),
  );
  app.get(
    '/audit/export',
    {
      config: { auditRead: 'export' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log as JSON Lines (one entry per line, oldest first), with the same filters',
        querystring: z.strictObject(filters),
        produces: ['application/x-ndjson'],
      },
    },
    async (req, reply) => {
      const rows = audit.export(req.actor, req.query);
      // The first page is read before the headers go out, so a refused export is still a problem+json answer.
      const first = await rows.next();
      async function* lines() {
        if (first.done) return;
        yield `${JSON.stringify(withoutSecrets(first.value))}\n`;
        for await (const row of inRequestScope(rows)) yield `${JSON.stringify(withoutSecrets(row))}\n`;
      }
      reply.header('content-disposition', 'attachment; filename="audit.jsonl"');
      return reply.type('application/x-ndjson').send(Readable.from(lines()));
    },
  );
};
