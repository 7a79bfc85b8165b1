import type { Database } from '../core/db/engine.js';
import { systemActor } from '../core/actor.js';
import { DEFAULT_TENANT } from '../core/ids.js';
import type { Services } from '../api/services.js';
import { progressBar } from './progress.js';
import { seedEconomicsDemo } from '../modules/economics/demoTransactions.js';

/**
 * What turns the loaded demo bank into something to explore: its division records resolved into golden
 * customers. Capabilities that seed demo data of their own (service, sales, economics) add a step here:
 * economics generates the bank's revenue transactions and scores every customer.
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
  const scoreBar = progressBar('Scoring customers (%)', { quiet: opts.quiet });
  try {
    const economics = await seedEconomicsDemo(db, services.economics, DEFAULT_TENANT, { transactions: txBar, score: scoreBar });
    return { resolution, economics };
  } finally {
    txBar.stop();
    scoreBar.stop();
  }
}
