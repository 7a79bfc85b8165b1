import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { printJson, withContext } from '../context.js';
import { progressBar } from '../progress.js';

export function registerResolve(program: Command) {
  program
    .command('resolve')
    .description('resolve source records into golden customers (new and changed records only, unless --full)')
    .option('--full', 'recompute every cluster (ids of surviving clusters are kept)')
    .option('--json', 'print the run summary as JSON')
    .action(async (opts: { full?: boolean; json?: boolean }) => {
      await withContext(async ({ services }) => {
        const bar = progressBar('Resolving customers', { quiet: opts.json });
        const summary = await services.resolution.run(systemActor(DEFAULT_TENANT), { full: opts.full, progress: (d, t) => bar.update(d, t) });
        bar.stop();
        if (opts.json) return printJson(summary);
        const n = (x: number) => x.toLocaleString('en-US');
        console.log(`${summary.mode} run: ${n(summary.records)} records -> ${n(summary.customers)} customers in ${summary.seconds} s`);
        console.log(`  new customers ${n(summary.created)}, changed ${n(summary.changed)}, retired ${n(summary.retired)}`);
        console.log(`  pairs compared ${n(summary.pairsCompared)}, automatic links ${n(summary.autoLinks)}, pairs for review ${n(summary.reviewPairs)}`);
        if (summary.reviewPairs) console.log('  review them with: rapport review list');
      });
    });
}
