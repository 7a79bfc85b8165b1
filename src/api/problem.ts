import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RapportError, type FieldIssue } from '../core/errors.js';

/** RFC 9457 problem details, the single error shape of the API. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(reply: FastifyReply, status: number, detail: string, errors?: FieldIssue[], type?: string) {
  const body: Problem = {
    type: `https://rapport.dev/problems/${type ?? String(status)}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: reply.request.url,
    ...(errors && errors.length ? { errors } : {}),
  };
  return reply.code(status).type('application/problem+json').send(body);
}

function zodIssuesToFieldIssues(where: string, issues: { path: PropertyKey[]; message: string }[]): FieldIssue[] {
  return issues.map((i) => ({ path: [where, ...i.path.map(String)].join('/'), message: i.message }));
}

export function registerProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof RapportError) return sendProblem(reply, err.status, err.message, err.issues, err.type);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const issues = err.validation.map((v) => ({
        path: [where, ...(v.instancePath ? v.instancePath.split('/').filter(Boolean) : [])].join('/'),
        message: v.message ?? 'invalid',
      }));
      return sendProblem(reply, 400, `Invalid ${where}`, issues, 'validation');
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return sendProblem(reply, 500, 'The server produced an invalid response');
    }
    // drizzle wraps a driver error (DrizzleQueryError) and keeps PostgreSQL's own in `cause`.
    const pgCode = (err as { code?: unknown }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
    if (pgCode === '23505') return sendProblem(reply, 409, 'a record with the same key already exists', [], 'conflict');
    if (pgCode === '23503') return sendProblem(reply, 422, 'a referenced record does not exist', [], 'unprocessable');
    if (pgCode === '22P02' || pgCode === '22007' || pgCode === '22008' || pgCode === '22003') return sendProblem(reply, 400, 'a value has the wrong format or is out of range', [], 'validation');
    // A NUL character (22021: text cannot hold it) or a value too long for its index (54000), found by fuzzing on the server engine.
    if (pgCode === '22021' || pgCode === '54000') return sendProblem(reply, 400, 'a value contains a character or a length the database cannot store', [], 'validation');
    // Errors fastify raises itself (bad JSON, body too large, wrong content type) carry their own 4xx status;
    // a handler timeout (FST_ERR_HANDLER_TIMEOUT) is a 503 the client may retry.
    const status = typeof err.statusCode === 'number' && ((err.statusCode >= 400 && err.statusCode < 500) || err.statusCode === 503) ? err.statusCode : 500;
    if (status === 500) {
      request.log.error({ err }, 'unhandled error');
      return sendProblem(reply, 500, 'Something went wrong on our side; it has been logged');
    }
    return sendProblem(reply, status, err.message);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, 404, `No route ${request.method} ${request.url.split('?')[0]}`));
}

export { zodIssuesToFieldIssues };
