import type { Database } from '../core/db/engine.js';
import { systemActor } from '../core/actor.js';
import { DEFAULT_TENANT } from '../core/ids.js';
import type { Services } from '../api/services.js';
import { progressBar } from './progress.js';
import { seedEconomicsDemo } from '../modules/economics/demoTransactions.js';
import { seedServiceDemo } from '../modules/service/demo.js';
import { STORY } from '../modules/demo/story.js';

/**
 * What turns the loaded demo bank into something to explore: its division records resolved into golden
 * customers. Capabilities that seed demo data of their own (service, sales, economics) add a step here:
 * economics generates the bank's revenue transactions and scores every customer; service then adds its calendar,
 * surveys, three years of cases, lifecycle stages and alarms, valued by those economics, with Bill Jackson as the
 * top-value customer whose complaint goes to a senior advisor.
 */
export async function finishDemo(db: Database, services: Services, opts: { quiet?: boolean } = {}) {
  const bar = progressBar('Resolving customers', { quiet: opts.quiet });
  let resolution;
  try {
    const run = await services.resolution.run(systemActor(DEFAULT_TENANT), { full: true, progress: (d, t) => bar.update(d, t) });
    resolution = { records: run.records, customers: run.customers, reviewPairs: run.reviewPairs, seconds: run.seconds };
  } finally {
    bar.stop();
  }
  const txBar = progressBar('Generating transactions', { quiet: opts.quiet });
  let economics: Awaited<ReturnType<typeof seedEconomicsDemo>>;
  const scoreBar = progressBar('Scoring customers (%)', { quiet: opts.quiet });
  try {
    economics = await seedEconomicsDemo(db, services.economics, DEFAULT_TENANT, { transactions: txBar, score: scoreBar });
  } finally {
    txBar.stop();
    scoreBar.stop();
  }
  const serviceBar = progressBar('Service history (cases, stages, alarms)', { quiet: opts.quiet });
  try {
    serviceBar.update(0, 1);
    const [bill] = await db.query<{ customer_id: string }>(
      'SELECT l.customer_id FROM demo_truth t JOIN customer_links l ON l.tenant_id = t.tenant_id AND l.source_record_id = t.source_record_id WHERE t.tenant_id = $1 AND t.person_key = $2 LIMIT 1',
      [DEFAULT_TENANT, STORY.bill],
    );
    const service = await seedServiceDemo(services, { value: services.economics.valueLookup, story: { topValueCustomerId: bill?.customer_id } });
    serviceBar.update(1, 1);
    return { resolution, economics, service };
  } finally {
    serviceBar.stop();
  }
}
