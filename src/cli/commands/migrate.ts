import type { Command } from 'commander';
import { migrationState } from '../../core/db/engine.js';
import { printJson, withContext } from '../context.js';

export function registerMigrate(program: Command) {
  program
    .command('migrate')
    .description('apply pending database migrations (also done automatically on start)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withContext(async ({ db }) => {
        const state = await migrationState(db);
        if (opts.json) printJson({ engine: db.engine, ...state });
        else console.log(`${db.engine}: ${state.applied}/${state.available} migrations applied (latest ${state.latest})`);
      });
    });
}
