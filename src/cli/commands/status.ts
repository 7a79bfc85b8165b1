import type { Command } from 'commander';
import { migrationState } from '../../core/db/engine.js';
import { printJson, withContext } from '../context.js';

const COUNTED_TABLES = ['divisions', 'source_systems', 'source_records', 'golden_customers', 'customer_links', 'accounts', 'interactions', 'users', 'jobs'];

export function registerStatus(program: Command) {
  program
    .command('status')
    .description('database engine, migrations and how many records of each kind are stored')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withContext(async ({ db, config }) => {
        const counts: Record<string, number> = {};
        for (const table of COUNTED_TABLES) {
          const [row] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
          counts[table] = row.n;
        }
        const status = {
          engine: db.engine,
          location: db.engine === 'pglite' ? config.dataDir : new URL(config.databaseUrl!).host || 'socket',
          migrations: await migrationState(db),
          counts,
        };
        if (opts.json) return printJson(status);
        console.log(`engine      ${status.engine} (${status.location})`);
        console.log(`migrations  ${status.migrations.applied}/${status.migrations.available} (latest ${status.migrations.latest})`);
        for (const [table, n] of Object.entries(counts)) console.log(`${table.padEnd(18)} ${n.toLocaleString('en-US').padStart(12)}`);
      });
    });
}
