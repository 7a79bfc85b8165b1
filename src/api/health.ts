import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { migrationState, type Database } from '../core/db/engine.js';
import type { JobScheduler } from '../core/jobs/schedule.js';

export const healthRoutes: FastifyPluginAsyncZod<{ db: Database; version: string; scheduler?: JobScheduler }> = async (app, { db, version, scheduler }) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Liveness, database engine, migration version and the periodic jobs',
        response: {
          200: z.object({
            status: z.literal('ok'),
            version: z.string(),
            database: z.object({ engine: z.enum(['pglite', 'postgres']), serverVersion: z.string(), migrations: z.object({ applied: z.number(), latest: z.string().nullable(), available: z.number() }) }),
            periodicJobs: z
              .array(z.object({ kind: z.string(), everyMinutes: z.number(), lastTickAt: z.string().nullable(), nextTickAt: z.string().nullable(), lastEnqueued: z.number().int(), lastSkippedBusy: z.number().int(), failing: z.boolean() }))
              .describe('What the scheduler of `rapport serve` enqueues: each kind with its interval, last and next pass, how many tenants it enqueued for and skipped (a run still queued or running); empty when nothing is scheduled'),
          }),
        },
      },
    },
    async () => {
      const [row] = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      return { status: 'ok' as const, version, database: { engine: db.engine, serverVersion: row.v, migrations: await migrationState(db) }, periodicJobs: scheduler?.status() ?? [] };
    },
  );
};
