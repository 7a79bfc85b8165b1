import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { UnauthenticatedError } from '../../core/errors.js';
import { isoDateTime, shortText } from '../../core/http/schemas.js';
import { requirePermission, SESSION_COOKIE } from './plugin.js';
import { ROLE_NAMES } from './roles.js';
import type { AccessService } from './service.js';

const me = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    role: z.string(),
    divisionIds: z.array(z.uuid()).nullable(),
    csrfToken: z.string().optional(),
  })
  .meta({ id: 'Me' });

const user = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    role: z.string(),
    divisionIds: z.array(z.uuid()),
    teamId: z.uuid().nullable(),
    seniority: z.number().int(),
    status: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'User' });

export const accessRoutes: FastifyPluginAsyncZod<{ access: AccessService; secureCookies: boolean }> = async (app, { access, secureCookies }) => {
  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['access'],
        summary: 'Sign in with email and password; sets an httpOnly session cookie',
        body: z.strictObject({ email: z.email().max(320), password: z.string().min(1).max(200), tenant: z.string().max(64).optional() }),
        response: { 200: me },
      },
    },
    async (req, reply) => {
      const { token, csrfToken, user: u } = await access.login(req.body.tenant ?? 'default', req.body.email, req.body.password);
      reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: secureCookies, maxAge: 12 * 3600 });
      return { id: u.id, email: u.email, displayName: u.displayName, role: u.role, divisionIds: u.divisionIds, csrfToken };
    },
  );
  app.post('/auth/logout', { config: { public: true }, schema: { tags: ['access'], summary: 'Sign out', response: { 204: z.null() } } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await access.logout(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });
  app.get('/auth/me', { schema: { tags: ['access'], summary: 'Who am I', response: { 200: me } } }, async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    const session = token ? await access.resolveSession(token) : null;
    if (!req.actor.userId) throw new UnauthenticatedError('not signed in');
    const u = session?.user;
    return {
      id: req.actor.userId,
      email: u?.email ?? '',
      displayName: u?.displayName ?? 'API key',
      role: req.actor.role,
      divisionIds: req.actor.divisionIds,
      csrfToken: session?.csrfToken,
    };
  });
  app.post(
    '/users',
    {
      schema: {
        tags: ['access'],
        summary: 'Create a staff user (administrators)',
        body: z.strictObject({
          email: z.email().max(320),
          displayName: shortText,
          password: z.string().min(12).max(200).optional(),
          role: z.enum(ROLE_NAMES as [string, ...string[]]),
          divisionIds: z.array(z.uuid()).max(100).optional(),
          teamId: z.uuid().nullable().optional(),
          seniority: z.number().int().min(1).max(5).optional(),
          skills: z.array(z.string().max(64)).max(50).optional(),
        }),
        response: { 201: user },
      },
    },
    async (req, reply) => {
      requirePermission(req, 'users', 'admin');
      return reply.code(201).send(await access.createUser(req.actor.tenantId, req.body as Parameters<AccessService['createUser']>[1]));
    },
  );
  app.post(
    '/api-keys',
    {
      schema: {
        tags: ['access'],
        summary: 'Create an API key for yourself (or, as administrator, for a user); the secret is shown once',
        body: z.strictObject({ name: shortText, userId: z.uuid().optional() }),
        response: { 201: z.object({ id: z.uuid(), name: z.string(), prefix: z.string(), secret: z.string(), createdAt: isoDateTime }) },
      },
    },
    async (req, reply) => {
      const userId = req.body.userId ?? req.actor.userId;
      if (!userId) throw new UnauthenticatedError('no user to create a key for');
      return reply.code(201).send(await access.createApiKey(req.actor, userId, req.body.name));
    },
  );
};
