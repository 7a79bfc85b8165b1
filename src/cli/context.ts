import { loadConfig, type RapportConfig } from '../core/config.js';
import { migrate, openDatabase, type Database } from '../core/db/engine.js';
import { RapportError } from '../core/errors.js';
import { createServices, type Services } from '../api/services.js';

export interface CliContext {
  config: RapportConfig;
  db: Database;
  services: Services;
}

/** Opens the configured database, applies migrations, runs fn, and always closes the database. */
export async function withContext<T>(fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    await migrate(db);
    return await fn({ config, db, services: createServices(db) });
  } finally {
    await db.close();
  }
}

/** Prints a user-facing error (never a stack trace unless RAPPORT_DEBUG is set) and sets a non-zero exit code. */
export function reportError(err: unknown): void {
  if (process.env.RAPPORT_DEBUG) console.error(err);
  if (err instanceof RapportError) {
    console.error(`error: ${err.message}`);
    for (const issue of err.issues) console.error(`  ${issue.path}: ${issue.message}`);
    process.exitCode = err.status === 404 ? 4 : 2;
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  console.error(`error: ${message}`);
  process.exitCode = 1;
}

/** JSON for scripts when --json is given or stdout is not a terminal and the command asks for it. */
export function printJson(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
