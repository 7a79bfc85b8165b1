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
   * How often `serve` runs the periodic jobs (SLA check, neglect alarms, lifecycle sweep, task reminders), in
   * minutes; 0 switches them off. RAPPORT_JOBS_EVERY_MINUTES sets them all; undefined keeps each job's default.
   */
  periodicJobsEveryMinutes?: number;
  /** Per job kind, from RAPPORT_JOB_<KIND>_MINUTES (RAPPORT_JOB_SLA_CHECK_MINUTES=5 → 'sla-check': 5); wins over the above. */
  periodicJobMinutes: Record<string, number>;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RapportConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.RAPPORT_DATA_DIR ?? '.rapport'),
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 3000),
    logLevel: env.LOG_LEVEL ?? 'info',
    periodicJobsEveryMinutes: minutes('RAPPORT_JOBS_EVERY_MINUTES', env.RAPPORT_JOBS_EVERY_MINUTES),
    periodicJobMinutes: Object.fromEntries(
      Object.entries(env)
        .map(([name, value]) => [/^RAPPORT_JOB_([A-Z0-9_]+)_MINUTES$/.exec(name)?.[1], name, value] as const)
        .filter((e): e is readonly [string, string, string | undefined] => e[0] !== undefined && e[2] !== undefined && e[2] !== '')
        .map(([kind, name, value]) => [kind.toLowerCase().replaceAll('_', '-'), minutes(name, value)!]),
    ),
  };
}

function minutes(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of minutes (0 = off), not "${value}"`);
  return n;
}

/**
 * Each periodic job's interval in ms from its default minutes and the configuration; jobs set to 0 are left out.
 * A RAPPORT_JOB_<KIND>_MINUTES naming no periodic job is an error, so a typo does not silently keep the default.
 */
export function periodicJobIntervals(config: Pick<RapportConfig, 'periodicJobsEveryMinutes' | 'periodicJobMinutes'>, defaults: Record<string, number>): { kind: string; everyMs: number }[] {
  const unknown = Object.keys(config.periodicJobMinutes).filter((k) => !(k in defaults));
  if (unknown.length) {
    const env = (k: string) => `RAPPORT_JOB_${k.toUpperCase().replaceAll('-', '_')}_MINUTES`;
    throw new Error(`${unknown.map(env).join(', ')} names no periodic job; known: ${Object.keys(defaults).map(env).join(', ')}`);
  }
  return Object.entries(defaults)
    .map(([kind, fallback]) => ({ kind, everyMs: (config.periodicJobMinutes[kind] ?? config.periodicJobsEveryMinutes ?? fallback) * 60_000 }))
    .filter((j) => j.everyMs > 0);
}
