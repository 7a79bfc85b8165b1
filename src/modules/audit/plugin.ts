import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX, routeAccess } from '../access/plugin.js';
import type { ChangeNote } from '../../core/actor.js';
import type { AuditService, NewAuditEntry } from './service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Record successful reads of this route too: a sensitive read (a customer's full record, an export). */
    auditRead?: 'read' | 'export';
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Reads that show a whole person or take data out are recorded even without config.auditRead.
const SENSITIVE_READS: [RegExp, 'read' | 'export'][] = [
  [/\/export(\/|$)/, 'export'],
  [/\/360$/, 'read'],
  [/^\/api\/v1\/customers\/:id$/, 'read'],
  [/^\/api\/v1\/source-records\/:id$/, 'read'],
];
const SIGN_IN = `${API_PREFIX}/auth/login`;
const SIGN_OUT = `${API_PREFIX}/auth/logout`;

function sensitiveRead(request: FastifyRequest): 'read' | 'export' | null {
  const url = request.routeOptions.url ?? '';
  if (request.routeOptions.config?.auditRead) return request.routeOptions.config.auditRead;
  return SENSITIVE_READS.find(([pattern]) => pattern.test(url))?.[1] ?? null;
}

function parsePayload(payload: unknown): Record<string, unknown> | null {
  if (typeof payload !== 'string' || payload.length > 1_000_000) return null;
  try {
    const parsed = JSON.parse(payload);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Notes already written inside their write's transaction: onSend does not write them again. */
const recorded = new WeakSet<ChangeNote>();

/**
 * The status an entry written inside the write's transaction records: the response has not been sent yet, so it
 * is the route's declared success status (201 for creations), or the one the handler has already set.
 */
function successStatus(request: FastifyRequest, reply: FastifyReply): number {
  if (reply.statusCode !== 200) return reply.statusCode;
  const declared = Object.keys((request.routeOptions.schema?.response ?? {}) as Record<string, unknown>)
    .map(Number)
    .filter((s) => s >= 200 && s < 300)
    .sort((a, b) => a - b);
  return declared[0] ?? 200;
}

function requestFacts(request: FastifyRequest) {
  const actor = request.actor;
  return {
    method: request.method,
    path: request.url.split('?')[0].slice(0, 500),
    ip: request.ip,
    requestId: request.id,
    tenantId: actor.tenantId,
    actorUserId: actor.userId,
    actorKind: actor.kind,
    actorRole: actor.role,
    apiKeyId: actor.apiKeyId ?? null,
  };
}

function changeEntry(request: FastifyRequest, n: ChangeNote): Omit<NewAuditEntry, 'status'> {
  return { ...requestFacts(request), action: n.action, resource: n.resource, resourceId: n.resourceId, before: n.before, after: n.after };
}

const genericAction = (method: string) => (method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : 'update');

/**
 * Writes an audit entry for every write through the API (and every denied one), for sign-in and sign-out,
 * and for sensitive reads. Services report before/after through actor.noteChange; a write whose service
 * reported nothing still gets an entry naming the route, the record id and what the caller was shown.
 * The entry is written before the response leaves (onSend), so a client never sees a success that the log
 * does not hold.
 */
export const auditPlugin = fp(async (app: FastifyInstance, opts: { audit: AuditService }) => {
  // Registered after the access plugin, so the actor exists: services that write inside a transaction hand it
  // to recordChange, and the entry is written there, committing or rolling back with the write it describes.
  app.addHook('onRequest', async (request, reply) => {
    const actor = request.actor;
    if (!actor?.noteChange) return;
    actor.recordChange = async (tx, note) => {
      const entry = { ...changeEntry(request, note), status: successStatus(request, reply) };
      await opts.audit.append([entry], tx);
      request.changeNotes.push(note);
      recorded.add(note);
    };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.routeOptions.url;
    if (!url?.startsWith(`${API_PREFIX}/`)) return payload;
    try {
      const entries = entriesFor(request, reply, payload);
      if (entries.length) await opts.audit.append(entries);
    } catch (err) {
      // Losing an entry is serious but must not turn a completed write into an error the client would retry.
      request.log.error({ err }, 'audit entry could not be written');
    }
    return payload;
  });
});

function entriesFor(request: FastifyRequest, reply: FastifyReply, payload: unknown): NewAuditEntry[] {
  const url = request.routeOptions.url ?? '';
  const status = reply.statusCode;
  const common = { method: request.method, path: request.url.split('?')[0].slice(0, 500), status, ip: request.ip, requestId: request.id };

  if (url === SIGN_IN) {
    const body = (request.body ?? {}) as { email?: unknown; tenant?: unknown };
    const shown = status === 200 ? parsePayload(payload) : null;
    return [{
      ...common,
      tenantId: typeof body.tenant === 'string' ? body.tenant : 'default',
      actorUserId: typeof shown?.id === 'string' ? shown.id : null,
      actorKind: 'user',
      actorRole: typeof shown?.role === 'string' ? shown.role : null,
      action: status === 200 ? 'login' : status === 429 ? 'login-throttled' : 'login-failed',
      resource: 'sessions',
      after: { email: typeof body.email === 'string' ? body.email.slice(0, 320) : null },
    }];
  }

  const actor = request.actor;
  if (!actor) return [];
  const who = { tenantId: actor.tenantId, actorUserId: actor.userId, actorKind: actor.kind, actorRole: actor.role, apiKeyId: actor.apiKeyId ?? null };
  const rule = routeAccess(url, request.method, request.routeOptions.config);
  const resource = rule && rule !== 'authenticated' ? rule.resource : url.slice(API_PREFIX.length + 1).split('/')[0] || 'api';
  const paramId = (request.params as { id?: unknown } | undefined)?.id;
  const resourceId = typeof paramId === 'string' ? paramId.slice(0, 200) : null;

  if (url === SIGN_OUT) return [{ ...common, ...who, action: 'logout', resource: 'sessions' }];

  if (!WRITES.has(request.method)) {
    const kind = status < 300 ? sensitiveRead(request) : null;
    return kind ? [{ ...common, ...who, action: kind, resource, resourceId }] : [];
  }
  if (status === 401 || status === 403) return [{ ...common, ...who, action: 'denied', resource, resourceId }];
  if (status >= 400) return [];
  if (request.changeNotes.length) {
    return request.changeNotes.filter((n) => !recorded.has(n)).map((n) => ({ ...changeEntry(request, n), status }));
  }
  const shown = parsePayload(payload);
  return [{
    ...common,
    ...who,
    action: genericAction(request.method),
    resource,
    resourceId: resourceId ?? (typeof shown?.id === 'string' ? shown.id : null),
    after: shown,
  }];
}
