import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { ConflictError, ValidationError } from '../../core/errors.js';
import { backup, restore } from '../../core/db/backup.js';
import { printJson, withContext } from '../context.js';
import { progressBar } from '../progress.js';

const total = (rows: Record<string, number>) => Object.values(rows).reduce((a, b) => a + b, 0);

export function registerBackup(program: Command) {
  program
    .command('backup')
    .description('write the whole database (every tenant) to one compressed file that restores on either engine')
    .option('--out <file>', 'where to write (default rapport-backup-<time>.jsonl.gz)')
    .option('--force', 'overwrite the file if it exists')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { out?: string; force?: boolean; json?: boolean }) => {
      const file = opts.out ?? `rapport-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl.gz`;
      if (fs.existsSync(file) && !opts.force) throw new ConflictError(`${file} exists; choose another --out or add --force`);
      // Written beside the target and renamed at the end, so a failed backup never leaves a half file under its name.
      const partial = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.partial`);
      await withContext(async ({ db }) => {
        const bar = progressBar('Backing up (tables)', { quiet: opts.json });
        try {
          const started = performance.now();
          const result = await backup(db, fs.createWriteStream(partial), (p) => bar.update(p.tablesDone, p.tables));
          bar.stop();
          fs.renameSync(partial, file);
          const summary = { file, bytes: fs.statSync(file).size, engine: db.engine, migrations: result.manifest.migrations, tables: result.manifest.tables.length, rows: total(result.rows), seconds: Math.round(performance.now() - started) / 1000 };
          if (opts.json) printJson({ ...summary, rowsByTable: result.rows });
          else console.log(`wrote ${summary.rows.toLocaleString('en-US')} rows of ${summary.tables} tables to ${file} (${(summary.bytes / 1048576).toFixed(1)} MiB, ${summary.seconds} s)`);
        } catch (err) {
          fs.rmSync(partial, { force: true });
          throw err;
        } finally {
          bar.stop();
        }
      });
    });

  program
    .command('restore <file>')
    .description('restore a backup into an empty database (a new RAPPORT_DATA_DIR, or an empty PostgreSQL database via DATABASE_URL); all or nothing')
    .option('--force', 'replace the content of a database that already holds data (wiped in the same transaction)')
    .option('--yes', 'with --force: do not ask for confirmation (needed when not on a terminal)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { force?: boolean; yes?: boolean; json?: boolean }) => {
      if (!fs.existsSync(file)) throw new ValidationError(`no such file: ${file}`);
      if (opts.force && !opts.yes) {
        if (!process.stdin.isTTY) throw new ValidationError('--force replaces everything in the target database: add --yes to confirm when not on a terminal');
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question('This replaces EVERYTHING in the target database with the backup. Type "replace" to go on: ');
        rl.close();
        if (answer.trim() !== 'replace') throw new ValidationError('restore cancelled');
      }
      await withContext(async ({ db }) => {
        const bar = progressBar('Restoring (tables)', { quiet: opts.json });
        try {
          const started = performance.now();
          const result = await restore(db, fs.createReadStream(file), (p) => bar.update(p.tablesDone, p.tables), { replace: opts.force });
          bar.stop();
          const summary = { file, engine: db.engine, replaced: result.replaced.length > 0, from: { engine: result.manifest.engine, createdAt: result.manifest.createdAt, migrations: result.manifest.migrations }, rows: total(result.rows), seconds: Math.round(performance.now() - started) / 1000 };
          if (opts.json) printJson({ ...summary, rowsByTable: result.rows });
          else console.log(`restored ${summary.rows.toLocaleString('en-US')} rows (backup of ${result.manifest.createdAt} from ${result.manifest.engine}) into ${db.engine} in ${summary.seconds} s`);
        } finally {
          bar.stop();
        }
      });
    });
}
