import { AsyncResource } from 'node:async_hooks';
import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { redact, type Action, type Actor, type ChangeNote } from '../../core/actor.js';
import { tenantContext, type TenantBinding } from '../../core/db/engine.js';
import { ForbiddenError, UnauthenticatedError } from '../../core/errors.js';
import type { AccessService } from './service.js';

export const SESSION_COOKIE = 'rapport_session';
export const API_PREFIX = '/api/v1';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What a route does, for the central permission check. */
export type RouteAccess = { resource: string; action: Action } | 'authenticated';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    /** How the caller proved who they are; null for public routes and anonymous callers. */
    credentials: Credentials | null;
    /** Changes the services reported for this request (actor.noteChange): the audit trail's before/after. */
    changeNotes: ChangeNote[];
  }
  interface FastifyContextConfig {
    /** Reachable without credentials (health, login, public survey links). */
    public?: boolean;
    /**
     * Overrides the permission derived from the path and method: the first segment under /api/v1 is the
     * resource, GET/HEAD read, DELETE delete, other methods write. 'authenticated' = any signed-in caller.
     */
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every route registered after the access plugin, for the permission matrix and fuzz tests. */
    routeCatalog: RegisteredRoute[];
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  config: RouteOptions['config'];
  schema: RouteOptions['schema'];
}

export type Credentials =
  | { via: 'api-key'; actor: Actor }
  | { via: 'session'; actor: Actor; csrfToken: string; sessionId: string }
  | { via: 'invalid'; reason: string };

/** The resource and action a route needs, derived from its path unless its config says otherwise. */
export function routeAccess(url: string | undefined, method: string, config?: { access?: RouteAccess }): RouteAccess | null {
  if (config?.access) return config.access;
  if (!url?.startsWith(`${API_PREFIX}/`)) return null;
  const resource = url.slice(API_PREFIX.length + 1).split('/')[0];
  if (!resource || resource.startsWith(':')) return null;
  const action: Action = method === 'GET' || method === 'HEAD' ? 'read' : method === 'DELETE' ? 'delete' : 'write';
  return { resource, action };
}

const isApiPath = (url: string) => url.startsWith('/api/') && !url.startsWith(`${API_PREFIX}/docs`);

function sameSecret(given: unknown, expected: string) {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const requestScope = Symbol('rapport.requestScope');
type ScopedRequest = FastifyRequest & { [requestScope]?: AsyncResource };

/**
 * Every /api route is authenticated unless marked public: an API key (Authorization: Bearer rk_…) or a
 * session cookie. Cookie-authenticated writes must echo the session's CSRF token in X-CSRF-Token. Then the
 * route's (resource, action) is checked against the caller's role, so a route is protected the moment it
 * is registered, before its handler or service runs.
 *
 * Identification runs at onRequest (so that rate limits key on the principal); enforcement runs at
 * preParsing, after the rate limiter and before any body is read.
 */
export const accessPlugin = fp(async (app: FastifyInstance, opts: { access: AccessService }) => {
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('credentials', null);
  app.decorateRequest('changeNotes', null as unknown as ChangeNote[]);
  app.decorate('routeCatalog', [] as RegisteredRoute[]);

  app.addHook('onRoute', (route) => {
    // HEAD routes mirror GET routes (exposeHeadRoutes): the GET entry stands for both.
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.routeCatalog.push({ method, url: route.url, config: route.config, schema: route.schema });
    }
  });

  // The tenant binding of core/db (row-level security on the server engine) lives for the whole request.
  // Body parsing resumes in the socket's async context, so preValidation re-enters the request's scope.
  app.addHook('onRequest', (request, _reply, done) => {
    tenantContext.run({} satisfies TenantBinding, () => {
      const scope = new AsyncResource('rapport.request');
      (request as ScopedRequest)[requestScope] = scope;
      scope.runInAsyncScope(done, request.raw);
    });
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const scope = (request as ScopedRequest)[requestScope];
    if (scope) scope.runInAsyncScope(done, request.raw);
    else done();
  });

  app.addHook('onRequest', async (request) => {
    request.changeNotes = [];
    if (request.routeOptions.config?.public || !isApiPath(request.url)) return;
    const credentials = await identify(opts.access, request);
    request.credentials = credentials;
    if (credentials.via === 'invalid') return;
    const notes = request.changeNotes;
    request.actor = { ...credentials.actor, noteChange: (note) => notes.push(note) };
    tenantContext.bind(request.actor.tenantId);
  });

  // Field-level rules hold for every response, also from a route that forgets to call redact().
  app.addHook('preSerialization', async (request: FastifyRequest, _reply: FastifyReply, payload: unknown) =>
    request.actor?.hiddenFields.length ? redact(request.actor, payload) : payload,
  );

  app.addHook('preParsing', async (request) => {
    if (request.routeOptions.config?.public || !isApiPath(request.url)) return;
    const credentials = request.credentials;
    if (!credentials) throw new UnauthenticatedError('sign in or send an API key (Authorization: Bearer …)');
    if (credentials.via === 'invalid') throw new UnauthenticatedError(credentials.reason);
    if (credentials.via === 'session' && UNSAFE.has(request.method) && !sameSecret(request.headers['x-csrf-token'], credentials.csrfToken)) {
      throw new ForbiddenError('missing or wrong X-CSRF-Token header for a cookie-authenticated write');
    }
    const rule = routeAccess(request.routeOptions.url, request.method, request.routeOptions.config);
    if (rule && rule !== 'authenticated' && !request.actor.can(rule.resource, rule.action)) {
      throw new ForbiddenError(`role ${request.actor.role} may not ${rule.action} ${rule.resource}`);
    }
  });
});

async function identify(access: AccessService, request: FastifyRequest): Promise<Credentials> {
  const auth = request.headers.authorization;
  if (auth) {
    const match = /^Bearer\s+(\S{1,200})$/i.exec(auth);
    const actor = match ? await access.resolveApiKey(match[1]) : null;
    return actor ? { via: 'api-key', actor } : { via: 'invalid', reason: 'the API key is not valid' };
  }
  const token = request.cookies?.[SESSION_COOKIE];
  const session = token && token.length <= 200 ? await access.resolveSession(token) : null;
  if (!session) return { via: 'invalid', reason: 'sign in or send an API key (Authorization: Bearer …)' };
  return { via: 'session', actor: session.actor, csrfToken: session.csrfToken, sessionId: session.sessionId };
}

/** The principal a rate limit counts against: the API key, else the signed-in user, else the address. */
export function principalKey(request: FastifyRequest): string {
  const actor = request.actor;
  if (actor?.apiKeyId) return `key:${actor.apiKeyId}`;
  if (actor?.userId) return `user:${actor.tenantId}:${actor.userId}`;
  return `ip:${request.ip}`;
}

export function requirePermission(request: FastifyRequest, resource: string, action: Action) {
  if (!request.actor.can(resource, action)) throw new ForbiddenError(`role ${request.actor.role} may not ${action} ${resource}`);
}
