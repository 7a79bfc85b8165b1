import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { UnauthenticatedError } from '../../core/errors.js';
import { idParams, isoDateTime, shortText } from '../../core/http/schemas.js';
import { pageOf, pageQuery } from '../../core/http/pagination.js';
import { SESSION_COOKIE } from './plugin.js';
import { ROLE_NAMES, type RoleName } from './roles.js';
import { ThrottledError, type AccessService } from './service.js';

const me = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    role: z.string(),
    divisionIds: z.array(z.uuid()).nullable(),
    teamId: z.uuid().nullable(),
    totpEnabled: z.boolean(),
    via: z.enum(['session', 'api-key']),
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
    skills: z.array(z.string()),
    status: z.enum(['active', 'disabled']),
    totpEnabled: z.boolean(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'User' });

const apiKey = z
  .object({ id: z.uuid(), userId: z.uuid(), name: z.string(), prefix: z.string(), lastUsedAt: isoDateTime.nullable(), revokedAt: isoDateTime.nullable(), createdAt: isoDateTime })
  .meta({ id: 'ApiKey' });

const roleName = z.enum(ROLE_NAMES as [RoleName, ...RoleName[]]);
const password = z.string().min(12, 'at least 12 characters').max(200);
const totpCode = z.string().regex(/^\d{6}$/, 'six digits');
const divisionIds = z.array(z.uuid()).max(100);
const skills = z.array(z.string().trim().min(1).max(64)).max(50);
const noContent = { 204: z.null() };

async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ThrottledError) reply.header('retry-after', String(err.retryAfterSeconds));
    throw err;
  }
}

export const accessRoutes: FastifyPluginAsyncZod<{ access: AccessService; secureCookies: boolean }> = async (app, { access, secureCookies }) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: secureCookies };

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['access'],
        summary: 'Sign in with email and password (and the one-time code once TOTP is enrolled); sets a new httpOnly session cookie',
        description: 'Failed attempts are counted per account and per address; past the limit the answer is 429 with Retry-After. Any session cookie sent along is revoked, never adopted.',
        body: z.strictObject({ email: z.email().max(320), password: z.string().min(1).max(200), tenant: z.string().min(1).max(64).optional(), code: totpCode.optional() }),
        response: { 200: me },
      },
    },
    async (req, reply) => {
      const result = await withRetryAfter(reply, () =>
        access.login(req.body.tenant ?? 'default', req.body.email, req.body.password, {
          ip: req.ip,
          userAgent: req.headers['user-agent'],
          code: req.body.code,
          previousToken: req.cookies[SESSION_COOKIE],
        }),
      );
      const u = result.user;
      reply.setCookie(SESSION_COOKIE, result.token, { ...cookieOptions, expires: result.expiresAt });
      return {
        id: u.id,
        email: u.email,
        displayName: u.displayName,
        role: u.role,
        divisionIds: u.divisionIds,
        teamId: u.teamId,
        totpEnabled: !!u.totpConfirmedAt,
        via: 'session' as const,
        csrfToken: result.csrfToken,
      };
    },
  );

  app.post('/auth/logout', { config: { public: true }, schema: { tags: ['access'], summary: 'Sign out: ends the session and clears its cookie', response: noContent } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token && token.length <= 200) await access.logout(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/auth/me', { config: { access: 'authenticated' }, schema: { tags: ['access'], summary: 'Who am I (and, for a session, its CSRF token)', response: { 200: me } } }, async (req) => {
    const u = await access.me(req.actor);
    const credentials = req.credentials;
    return {
      id: u.id,
      email: u.email,
      displayName: u.displayName,
      role: req.actor.role,
      divisionIds: req.actor.divisionIds,
      teamId: u.teamId,
      totpEnabled: u.totpEnabled,
      via: credentials?.via === 'session' ? ('session' as const) : ('api-key' as const),
      csrfToken: credentials?.via === 'session' ? credentials.csrfToken : undefined,
    };
  });

  app.post(
    '/auth/password',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['access'],
        summary: 'Change your password; every other session of yours ends',
        body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: password }),
        response: noContent,
      },
    },
    async (req, reply) => {
      const keep = req.credentials?.via === 'session' ? req.credentials.sessionId : undefined;
      await access.changeOwnPassword(req.actor, req.body.currentPassword, req.body.newPassword, keep);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/totp/enrol',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['access'],
        summary: 'Start TOTP enrolment: returns an otpauth:// URI for an authenticator app (replacing an active factor needs a current code)',
        body: z.strictObject({ code: totpCode.optional() }).optional(),
        response: { 200: z.object({ secret: z.string(), uri: z.string() }) },
      },
    },
    async (req) => access.enrolTotp(req.actor, req.body?.code),
  );
  app.post(
    '/auth/totp/confirm',
    { config: { access: 'authenticated' }, schema: { tags: ['access'], summary: 'Confirm enrolment with a code: sign-in needs a code from now on', body: z.strictObject({ code: totpCode }), response: noContent } },
    async (req, reply) => {
      await access.confirmTotp(req.actor, req.body.code);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/auth/totp/disable',
    { config: { access: 'authenticated' }, schema: { tags: ['access'], summary: 'Turn the second factor off (needs a current code)', body: z.strictObject({ code: totpCode }), response: noContent } },
    async (req, reply) => {
      await access.disableTotp(req.actor, req.body.code);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/users',
    {
      schema: {
        tags: ['access'],
        summary: 'Staff users you may see (administrators: all; managers: their divisions; agents: their team)',
        querystring: z.strictObject({
          ...pageQuery,
          q: z.string().trim().max(200).optional().describe('Part of an email or name'),
          role: roleName.optional(),
          status: z.enum(['active', 'disabled']).optional(),
        }),
        response: { 200: pageOf(user) },
      },
    },
    async (req) => access.listUsers(req.actor, req.query),
  );
  app.get('/users/:id', { schema: { tags: ['access'], summary: 'One staff user', params: idParams, response: { 200: user } } }, async (req) => access.getUser(req.actor, req.params.id));
  app.post(
    '/users',
    {
      schema: {
        tags: ['access'],
        summary: 'Create a staff user (administrators)',
        body: z.strictObject({
          email: z.email().max(320),
          displayName: shortText,
          password: password.optional(),
          role: roleName,
          divisionIds: divisionIds.optional(),
          teamId: z.uuid().nullable().optional(),
          seniority: z.number().int().min(1).max(5).optional(),
          skills: skills.optional(),
        }),
        response: { 201: user },
      },
    },
    async (req, reply) => reply.code(201).send(await access.addUser(req.actor, req.body)),
  );
  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['access'],
        summary: 'Change a user’s role, divisions, team, status or password (administrators); a disabled user’s sessions and keys stop working at once',
        params: idParams,
        body: z
          .strictObject({
            displayName: shortText.optional(),
            role: roleName.optional(),
            divisionIds: divisionIds.optional(),
            teamId: z.uuid().nullable().optional(),
            seniority: z.number().int().min(1).max(5).optional(),
            skills: skills.optional(),
            status: z.enum(['active', 'disabled']).optional(),
            password: password.optional(),
            resetTotp: z.literal(true).optional(),
          })
          .refine((b) => Object.keys(b).length > 0, 'send at least one field'),
        response: { 200: user },
      },
    },
    async (req) => access.updateUser(req.actor, req.params.id, req.body),
  );
  app.delete('/users/:id', { schema: { tags: ['access'], summary: 'Disable a user (users are never deleted: their history keeps their name)', params: idParams, response: { 200: user } } }, async (req) =>
    access.updateUser(req.actor, req.params.id, { status: 'disabled' }),
  );

  app.get(
    '/api-keys',
    {
      schema: {
        tags: ['access'],
        summary: 'Your API keys (administrators: anyone’s); never the secrets',
        querystring: z.strictObject({ userId: z.uuid().optional(), includeRevoked: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
        response: { 200: z.object({ items: z.array(apiKey) }) },
      },
    },
    async (req) => ({ items: await access.listApiKeys(req.actor, req.query) }),
  );
  app.post(
    '/api-keys',
    {
      schema: {
        tags: ['access'],
        summary: 'Create an API key for yourself (or, as administrator, for a user); the secret is shown once',
        body: z.strictObject({ name: shortText, userId: z.uuid().optional() }),
        response: { 201: z.object({ id: z.uuid(), userId: z.uuid(), name: z.string(), prefix: z.string(), secret: z.string(), createdAt: isoDateTime }) },
      },
    },
    async (req, reply) => {
      const userId = req.body.userId ?? req.actor.userId;
      if (!userId) throw new UnauthenticatedError('no user to create a key for');
      return reply.code(201).send(await access.createApiKey(req.actor, userId, req.body.name));
    },
  );
  app.delete('/api-keys/:id', { schema: { tags: ['access'], summary: 'Revoke an API key (yours, or as administrator anyone’s)', params: idParams, response: noContent } }, async (req, reply) => {
    await access.revokeApiKey(req.actor, req.params.id);
    return reply.code(204).send(null);
  });
};
