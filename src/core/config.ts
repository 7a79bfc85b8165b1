import path from 'node:path';

export interface RapportConfig {
  /** postgres://… when a PostgreSQL server is used; undefined selects embedded PGlite. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; ignored on the server engine. */
  dataDir: string;
  host: string;
  port: number;
  logLevel: string;
  /**
   * How often `serve` runs each periodic job (SLA check, neglect alarms, lifecycle sweep), in minutes, by job
   * kind; 0 switches one off. RAPPORT_JOBS_EVERY_MINUTES sets them all (default 15).
   */
  periodicJobsEveryMinutes: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RapportConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.RAPPORT_DATA_DIR ?? '.rapport'),
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 3000),
    logLevel: env.LOG_LEVEL ?? 'info',
    periodicJobsEveryMinutes: minutes(env.RAPPORT_JOBS_EVERY_MINUTES, 15),
  };
}

function minutes(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`RAPPORT_JOBS_EVERY_MINUTES must be a number of minutes (0 = off), not "${value}"`);
  return n;
}
