import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../core/db/engine.js';
import { registerProblemHandlers, sendProblem } from './problem.js';
import { healthRoutes } from './health.js';
import { jobRoutes } from './jobs.js';
import { createServices, type Services } from './services.js';
import { accessPlugin, principalKey } from '../modules/access/plugin.js';
import { accessRoutes } from '../modules/access/routes.js';
import { auditPlugin } from '../modules/audit/plugin.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { orgRoutes } from '../modules/org/routes.js';
import { customerRoutes } from '../modules/identity/routes.js';
import { importRoutes } from '../modules/identity/import/routes.js';
import { holdingsRoutes } from '../modules/holdings/routes.js';
import { interactionRoutes } from '../modules/interactions/routes.js';
import { customer360Routes } from '../modules/customer360/routes.js';
import { resolutionRoutes } from '../modules/identity/resolutionRoutes.js';
import { salesRoutes } from '../modules/sales/routes.js';
import { serviceRoutes } from '../modules/service/routes.js';
import { economicsRoutes } from '../modules/economics/routes.js';
import { consentRoutes } from '../modules/privacy/routes.js';
import { privacyRoutes } from '../modules/privacy/subjectRoutes.js';
import { webhookRoutes } from '../modules/webhooks/routes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface ServerOptions {
  db: Database;
  logger?: boolean | object;
  /** Requests per minute per principal (user, key or address). */
  rateLimitPerMinute?: number;
  secureCookies?: boolean;
  /** A request not answered within this time gets a 503 (default 30 s). */
  handlerTimeoutMs?: number;
  /** A socket idle this long is closed, so a slow client cannot hold connections open (default 60 s). */
  connectionTimeoutMs?: number;
  webDir?: string;
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance & { services: Services }> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    requestTimeout: 30_000,
    handlerTimeout: opts.handlerTimeoutMs ?? 30_000,
    connectionTimeout: opts.connectionTimeoutMs ?? 60_000,
    ajv: { customOptions: { coerceTypes: false } },
    // Errors raised before routing (a malformed %-escape in the path) answer problem+json like every other.
    frameworkErrors: (err, _req, reply) => sendProblem(reply, 400, err.message),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);

  const services = createServices(opts.db);
  await app.register(cookie);
  await app.register(rateLimit, {
    max: opts.rateLimitPerMinute ?? Number(process.env.RAPPORT_RATE_LIMIT ?? 1200),
    timeWindow: '1 minute',
    // The access plugin has identified the caller by now (onRequest): count per API key or user, else per address.
    keyGenerator: principalKey,
    errorResponseBuilder: (_req, ctx) => {
      const err = new Error(`rate limit of ${ctx.max} requests per ${ctx.after} reached`) as Error & { statusCode: number };
      err.statusCode = 429;
      return err;
    },
  });
  // Security headers on every response. The web app gets a Content-Security-Policy that runs only its own
  // scripts (no inline script, no eval), so data shown in it cannot become code even if it slipped past React's
  // escaping; Mantine injects style elements, hence 'unsafe-inline' for styles only. API answers may not be
  // framed or sniffed. The API reference (Swagger UI) brings its own page and is left to its defaults.
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (!req.url.startsWith('/api/v1/docs')) {
      const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
      reply.header('content-security-policy', html ? WEB_APP_CSP : "default-src 'none'; frame-ancestors 'none'");
    }
    return payload;
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Rapport API', version: VERSION, description: 'Relationship-first CRM: one customer, one view across every division.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key: Authorization: Bearer rk_…' },
          session: { type: 'apiKey', in: 'cookie', name: 'rapport_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/docs' });
  await app.register(accessPlugin, { access: services.access });
  await app.register(auditPlugin, { audit: services.audit });

  await app.register(
    async (api) => {
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
      await api.register(healthRoutes, { db: opts.db, version: VERSION, scheduler: services.scheduler });
      await api.register(jobRoutes, { jobs: services.jobs });
      await api.register(accessRoutes, { access: services.access, secureCookies: opts.secureCookies ?? false });
      await api.register(auditRoutes, { audit: services.audit });
      await api.register(orgRoutes, { org: services.org });
      await api.register(customerRoutes, { customers: services.customers });
      await api.register(importRoutes, { jobs: services.jobs, org: services.org });
      await api.register(holdingsRoutes, { holdings: services.holdings });
      await api.register(interactionRoutes, { interactions: services.interactions });
      await api.register(customer360Routes, { view: services.customer360 });
      await api.register(resolutionRoutes, { resolution: services.resolution, customers: services.customers, jobs: services.jobs });
      await api.register(salesRoutes, { sales: services.sales });
      await api.register(serviceRoutes, { service: services.service });
      await api.register(economicsRoutes, { economics: services.economics, jobs: services.jobs });
      await api.register(consentRoutes, { consents: services.consents });
      await api.register(privacyRoutes, { privacy: services.privacy });
      await api.register(webhookRoutes, { webhooks: services.webhooks });
    },
    { prefix: '/api/v1' },
  );

  const webDir = opts.webDir ?? path.join(ROOT, 'web/dist');
  if (fs.existsSync(path.join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      // Built assets carry a content hash in their names, so they never change; index.html is revalidated.
      setHeaders: (reply, file) => {
        if (file.includes(`${path.sep}assets${path.sep}`)) reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    // Client-side routes fall back to the app shell (a catch-all route: the problem handlers own the 404
    // handler). Unknown /api paths and missing files (an old build's chunk) stay problem+json 404s: serving
    // the shell as JavaScript would fail in the browser with no clue why.
    app.get('/*', { config: { public: true }, schema: { hide: true } }, (req, reply) => {
      const pathname = req.url.split('?')[0];
      return pathname.startsWith('/api/') || /\.[A-Za-z0-9]+$/.test(pathname) ? sendProblem(reply, 404, `No route ${req.method} ${pathname}`) : reply.sendFile('index.html');
    });
  }
  return Object.assign(app, { services });
}
