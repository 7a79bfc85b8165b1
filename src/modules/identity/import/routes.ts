import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { reaches, type Actor } from '../../../core/actor.js';
import { newId } from '../../../core/ids.js';
import { code, idParams, shortText } from '../../../core/http/schemas.js';
import type { JobRunner } from '../../../core/jobs/runner.js';
import { NotFoundError, RapportError, ValidationError } from '../../../core/errors.js';
import { zodIssuesToFieldIssues } from '../../../api/problem.js';
import type { OrgService } from '../../org/service.js';
import { checkFileAgainstMapping } from './importer.js';
import { readIssues } from './issues.js';
import { IMPORT_KIND_NAMES, kindAndMapping } from './kinds.js';
import { parseMappingJson } from './mapping.js';
import { formatFromName } from './readers.js';
import { planTarget } from './target.js';
import { IMPORT_JOB, ImportStore, importJobParams, type ImportJobParams } from './jobs.js';

const MAX_UPLOAD_BYTES = Number(process.env.RAPPORT_IMPORT_MAX_BYTES ?? 2 * 1024 ** 3);

const importFields = z.strictObject({
  source: code,
  division: shortText.optional(),
  mapping: z.string().min(2).max(1_000_000),
  onError: z.enum(['skip', 'abort']).default('skip'),
  kind: z.enum(IMPORT_KIND_NAMES as [string, ...string[]]).optional(),
});

const accepted = z
  .object({
    jobId: z.uuid(),
    status: z.literal('queued'),
    format: z.enum(['csv', 'jsonl']),
    delimiter: z.string().nullable(),
    links: z.object({ job: z.string(), errors: z.string(), warnings: z.string() }),
  })
  .meta({ id: 'ImportAccepted' });

const rowIssue = z.object({ line: z.number().int(), field: z.string(), reason: z.string(), raw: z.string() }).meta({ id: 'ImportRowIssue' });
const issuePage = z.object({ items: z.array(rowIssue), total: z.number().int(), nextOffset: z.number().int().nullable() });

export interface ImportRouteOptions {
  jobs: JobRunner;
  org: OrgService;
  store?: ImportStore;
}

export const importRoutes: FastifyPluginAsyncZod<ImportRouteOptions> = async (app, opts) => {
  const store = opts.store ?? ImportStore.fromConfig();
  // Registered here so only this plugin accepts multipart bodies; file parts stream to disk, never into memory.
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1_000_000, parts: 12 } });

  app.post(
    '/imports',
    {
      schema: {
        tags: ['identity'],
        summary: 'Upload a file of division records to import (multipart/form-data)',
        description:
          'Parts: `file` (CSV/TSV/JSON Lines), `mapping` (JSON text, see the import README), `source` (source system code), ' +
          'optional `division` (to create a new source), `onError` (skip | abort, default skip), `kind` (default persons). ' +
          'The mapping and header are checked before the job is queued; the job validates the whole file before writing. ' +
          'Poll GET /jobs/{jobId}; bad rows at GET /imports/{jobId}/errors.',
        consumes: ['multipart/form-data'],
        response: { 202: accepted },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new ValidationError('send the file as multipart/form-data with a "file" part', [{ path: 'body', message: 'not multipart' }]);
      const uploadId = newId();
      await store.create(uploadId);
      let uploaded = false;
      try {
        const fields: Record<string, string> = {};
        let clientName: string | undefined;
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file' || uploaded) {
              part.file.resume();
              throw new ValidationError('send exactly one file, in a part named "file"', [{ path: `body/${part.fieldname}`, message: 'unexpected file' }]);
            }
            // The client's file name is only a format hint; the stored name is always "input".
            clientName = part.filename;
            await pipeline(part.file, fs.createWriteStream(store.input(uploadId), { mode: 0o600 }));
            if (part.file.truncated) throw new PayloadTooLarge(`the file is larger than ${MAX_UPLOAD_BYTES} bytes`);
            uploaded = true;
          } else {
            fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
          }
        }
        if (!uploaded) throw new ValidationError('no file: add a part named "file"', [{ path: 'body/file', message: 'required' }]);
        const parsed = importFields.safeParse(fields);
        if (!parsed.success) throw new ValidationError('invalid import request', zodIssuesToFieldIssues('body', parsed.error.issues));
        const f = parsed.data;
        const { kind, mapping } = kindAndMapping(parseMappingJson(f.mapping), f.kind);
        // Permission and the source's division are settled now, so a refusal is a 4xx rather than a failed job.
        await planTarget(opts.org, req.actor, { source: f.source, division: f.division });
        const hintFormat = formatFromName(clientName);
        const nameHint = hintFormat ? `upload.${hintFormat}` : undefined;
        const layout = await checkFileAgainstMapping(store.input(uploadId), mapping, nameHint);
        const params: ImportJobParams = importJobParams.parse({
          uploadId,
          kind: kind.name,
          mapping: JSON.parse(f.mapping),
          source: f.source,
          division: f.division,
          onError: f.onError,
          nameHint,
        });
        const job = await opts.jobs.enqueue(req.actor.tenantId, IMPORT_JOB, params, req.actor.userId);
        return reply.code(202).send({
          jobId: job.id,
          status: 'queued' as const,
          format: layout.format,
          delimiter: layout.format === 'csv' ? layout.delimiter : null,
          links: { job: `/api/v1/jobs/${job.id}`, errors: `/api/v1/imports/${job.id}/errors`, warnings: `/api/v1/imports/${job.id}/warnings` },
        });
      } catch (err) {
        await store.remove(uploadId);
        // A body that is not well-formed multipart fails inside the parser (busboy): the client's fault, a 400.
        if (err instanceof Error && !(err instanceof RapportError) && /^(Multipart|Unexpected end of)/.test(err.message)) {
          throw new ValidationError(`malformed multipart body: ${err.message}`, [{ path: 'body', message: 'not well-formed multipart' }]);
        }
        throw err;
      }
    },
  );

  const pageQuery = z.object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  });

  const issueRoute = (which: 'errors' | 'warnings', summary: string) =>
    app.get(
      `/imports/:id/${which}`,
      { schema: { tags: ['identity'], summary, params: idParams, querystring: pageQuery, response: { 200: issuePage } } },
      async (req) => {
        const params = await importJob(opts.jobs, req.actor, req.params.id);
        const file = which === 'errors' ? store.errors(params.uploadId) : store.warnings(params.uploadId);
        if (!fs.existsSync(file)) return { items: [], total: 0, nextOffset: null };
        const { items, total } = await readIssues(file, req.query.offset, req.query.limit);
        const next = req.query.offset + items.length;
        return { items, total, nextOffset: next < total ? next : null };
      },
    );
  issueRoute('errors', 'Bad rows of an import: line, field, reason and the raw record');
  issueRoute('warnings', 'Normalisation warnings of an import (values dropped as invalid), per row');
};

class PayloadTooLarge extends RapportError {
  readonly status = 413;
  readonly type = 'payload-too-large';
}

/** The import job's parameters, if the caller may see the job (as GET /jobs/:id decides): its rows are as sensitive. */
async function importJob(jobs: JobRunner, actor: Actor, id: string): Promise<ImportJobParams> {
  const job = await jobs.get(actor.tenantId, id);
  if (job.kind !== IMPORT_JOB) throw new NotFoundError('import', id);
  if (!reaches(actor, 'jobs', 'read', { ownerId: job.createdBy })) throw new NotFoundError('import', id);
  return importJobParams.parse(job.params);
}
