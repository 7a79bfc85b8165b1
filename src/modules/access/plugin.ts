import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../core/actor.js';
import { ForbiddenError, UnauthenticatedError } from '../../core/errors.js';
import type { AccessService } from './service.js';

export const SESSION_COOKIE = 'rapport_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** Reachable without credentials (health, login, public survey links). */
    public?: boolean;
  }
}

/**
 * Every /api route is authenticated unless marked public: an API key (Authorization: Bearer rk_…) or a
 * session cookie. Cookie-authenticated writes must echo the session's CSRF token in X-CSRF-Token.
 */
export const accessPlugin = fp(async (app: FastifyInstance, opts: { access: AccessService }) => {
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('preHandler', async (request: FastifyRequest) => {
    if (request.routeOptions.config?.public || !request.url.startsWith('/api/') || request.url.startsWith('/api/v1/docs')) return;
    const auth = request.headers.authorization;
    if (auth) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth);
      const actor = match ? await opts.access.resolveApiKey(match[1]) : null;
      if (!actor) throw new UnauthenticatedError('the API key is not valid');
      request.actor = actor;
      return;
    }
    const token = request.cookies?.[SESSION_COOKIE];
    const session = token ? await opts.access.resolveSession(token) : null;
    if (!session) throw new UnauthenticatedError('sign in or send an API key (Authorization: Bearer …)');
    if (UNSAFE.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
      throw new ForbiddenError('missing or wrong X-CSRF-Token header for a cookie-authenticated write');
    }
    request.actor = session.actor;
  });
});

export function requirePermission(request: FastifyRequest, resource: string, action: 'read' | 'write' | 'delete' | 'admin') {
  if (!request.actor.can(resource, action)) throw new ForbiddenError(`role ${request.actor.role} may not ${action} ${resource}`);
}
