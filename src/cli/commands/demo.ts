import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { printJson, withContext } from '../context.js';
import { progressBar } from '../progress.js';
import { finishDemo } from '../demoSetup.js';
import { DEFAULT_CUSTOMERS, DEFAULT_SEED, loadDemoBank, type DemoLoadSummary } from '../../modules/demo/loader.js';

interface DemoFlags {
  customers: string;
  seed: string;
  asOf?: string;
  force?: boolean;
  json?: boolean;
  resolve: boolean;
}

const wholeNumber = (flag: string, value: string) => {
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(n)) throw new ValidationError(`${flag} must be a whole number, got "${value}"`);
  return n;
};

export function registerDemo(program: Command) {
  program
    .command('demo')
    .description('load a realistic demo bank: five divisions with their own systems, staff, products and three years of contact')
    .option('--customers <n>', 'people to generate (each becomes 1 to 5 source records)', String(DEFAULT_CUSTOMERS))
    .option('--seed <n>', 'random seed: the same seed and date give the same bank', String(DEFAULT_SEED))
    .option('--as-of <date>', "the demo's today, YYYY-MM-DD (default: today)")
    .option('--force', 'replace existing customer data instead of refusing')
    .option('--json', 'print the summary as JSON')
    .option('--no-resolve', 'load the division records only; do not resolve them into golden customers')
    .action(async (opts: DemoFlags) => {
      const customers = wholeNumber('--customers', opts.customers);
      const seed = wholeNumber('--seed', opts.seed);
      await withContext(async ({ db, services }) => {
        const bar = progressBar('Generating the demo bank', { quiet: opts.json });
        try {
          const summary = await loadDemoBank(db, { customers, seed, asOf: opts.asOf, force: opts.force, onProgress: (p) => bar.update(p.customers, p.total) });
          bar.stop();
          const finished = opts.resolve ? await finishDemo(db, services, { quiet: opts.json }) : null;
          if (opts.json) printJson({ ...summary, ...finished });
          else {
            printSummary(summary);
            if (finished) console.log(`\nResolved ${finished.resolution.records.toLocaleString('en-US')} division records into ${finished.resolution.customers.toLocaleString('en-US')} golden customers in ${finished.resolution.seconds} s (${finished.resolution.reviewPairs.toLocaleString('en-US')} pairs await review: rapport review list).`);
          }
        } finally {
          bar.stop();
        }
      });
    });
}

function printSummary(s: DemoLoadSummary) {
  const n = (x: number) => x.toLocaleString('en-US');
  if (s.cleared.length) console.log(`Replaced the existing customer data (${s.cleared.join(', ')}).`);
  console.log(`Loaded the demo bank: ${n(s.customers)} people (seed ${s.seed}, as of ${s.asOf}) in ${s.seconds.total} s`);
  for (const [table, rows] of Object.entries(s.rows)) console.log(`  ${table.padEnd(16)} ${n(rows).padStart(12)}`);
  console.log(`  ${'total'.padEnd(16)} ${n(s.totalRows).padStart(12)} rows, ${n(s.rowsPerSecond)} rows/s (setup ${s.seconds.setup} s; load ${s.seconds.load} s, of which COPY ${s.seconds.copy} s and indexes, key checks and statistics ${s.seconds.finish} s)`);
  console.log('\nSign in to the web app with any of these (password for all of them below):');
  for (const u of s.signIn) console.log(`  ${u.email.padEnd(30)} ${u.role.padEnd(8)} ${u.division ?? 'every division'}`);
  console.log(`  password: ${s.password}`);
  console.log('\nTry the story of Bill Jackson: search for "Jackson" — the Mortgages and Cards systems each know him under another name.');
}
