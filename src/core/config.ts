import path from 'node:path';

export interface RapportConfig {
  /** postgres://… when a PostgreSQL server is used; undefined selects embedded PGlite. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; ignored on the server engine. */
  dataDir: string;
  host: string;
  port: number;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RapportConfig {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.RAPPORT_DATA_DIR ?? '.rapport'),
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 3000),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
