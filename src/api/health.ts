import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { migrationState, type Database } from '../core/db/engine.js';

export const healthRoutes: FastifyPluginAsyncZod<{ db: Database; version: string }> = async (app, { db, version }) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Liveness, database engine and migration version',
        response: {
          200: z.object({
            status: z.literal('ok'),
            version: z.string(),
            database: z.object({ engine: z.enum(['pglite', 'postgres']), serverVersion: z.string(), migrations: z.object({ applied: z.number(), latest: z.string().nullable(), available: z.number() }) }),
          }),
        },
      },
    },
    async () => {
      const [row] = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      return { status: 'ok' as const, version, database: { engine: db.engine, serverVersion: row.v, migrations: await migrationState(db) } };
    },
  );
};
