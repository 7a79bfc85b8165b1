import { refreshStatistics } from '../../core/db/statistics.js';
import type { Command } from 'commander';
import { loadConfig, periodicJobIntervals } from '../../core/config.js';
import { migrate, openDatabase } from '../../core/db/engine.js';
import { buildServer } from '../../api/server.js';
import { countSourceRecords, loadDemoBank } from '../../modules/demo/loader.js';
import { progressBar } from '../progress.js';
import { createServices } from '../../api/services.js';
import { finishDemo } from '../demoSetup.js';
import { PERIODIC_JOB_MINUTES } from '../../modules/service/service.js';
import { JobScheduler } from '../../core/jobs/schedule.js';
import { WEBHOOK_JOB } from '../../modules/webhooks/service.js';

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('start the API and web app')
    .option('-p, --port <port>', 'port to listen on (default $PORT or 3000)')
    .option('--host <host>', 'address to bind (default $HOST or 127.0.0.1)')
    .option('--demo', 'on first start (no source records yet), load the demo bank before serving')
    .action(async (opts: { port?: string; host?: string; demo?: boolean }) => {
      const config = loadConfig();
      // Checked before anything starts: a misspelt RAPPORT_JOB_<KIND>_MINUTES is an error, not a silent default.
      const periodic = periodicJobIntervals(config, PERIODIC_JOB_MINUTES);
      const db = await openDatabase(config);
      await migrate(db);
      if (opts.demo && (await countSourceRecords(db)) === 0) {
        console.log('First start: loading the demo bank (run `rapport demo --help` for options)…');
        const bar = progressBar('Generating the demo bank');
        const demo = await loadDemoBank(db, { onProgress: (p) => bar.update(p.customers, p.total) }).finally(() => bar.stop());
        const finished = await finishDemo(db, createServices(db));
        console.log(`Demo bank ready: ${demo.customers.toLocaleString('en-US')} people, ${demo.totalRows.toLocaleString('en-US')} rows in ${demo.seconds.total} s; ${finished.resolution.records.toLocaleString('en-US')} division records resolved into ${finished.resolution.customers.toLocaleString('en-US')} customers in ${finished.resolution.seconds} s.`);
        console.log(`Sign in as ${demo.signIn[0].email} / ${demo.password}`);
      }
      const app = await buildServer({ db, logger: { level: config.logLevel } });
      app.services.jobs.start();
      // The periodic jobs (SLA timers, task reminders, neglect alarms, lifecycle rules) for every tenant, off the
      // request path; /health lists them with their last and next pass.
      const scheduler = app.services.scheduler;
      scheduler.start(periodic, (err, kind) => app.log.error({ err, kind }, 'could not schedule a periodic job'));
      // PGlite has no autovacuum: refresh the planner's statistics of tables that changed much, as the daemon would.
      const statistics = setInterval(() => void refreshStatistics(db).catch((err: unknown) => app.log.error({ err }, 'could not refresh statistics')), 10 * 60_000);
      statistics.unref();
      // Webhook deliveries, often and only for tenants with something due (an idle tenant costs one query).
      const webhookScheduler = new JobScheduler(db, app.services.jobs, () => app.services.webhooks.tenantsWithDueDeliveries());
      const webhookSeconds = Number(process.env.RAPPORT_WEBHOOKS_EVERY_SECONDS ?? 10);
      if (webhookSeconds > 0) {
        webhookScheduler.start([{ kind: WEBHOOK_JOB, everyMs: webhookSeconds * 1000 }], (err, kind) => app.log.error({ err, kind }, 'could not schedule webhook delivery'));
      }
      const shutdown = async () => {
        clearInterval(statistics);
        scheduler.stop();
        webhookScheduler.stop();
        await app.services.jobs.stop();
        await app.close();
        await db.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      const port = Number(opts.port ?? config.port);
      const host = opts.host ?? config.host;
      await app.listen({ port, host });
      console.log(`Rapport is running on http://${host === '0.0.0.0' ? 'localhost' : host}:${port} (${db.engine}) — API reference at /api/v1/docs`);
    });
}
