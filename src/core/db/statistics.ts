import type { Database } from './engine.js';

/**
 * Refreshes planner statistics of tables that never had any or changed much since they were last taken.
 * PostgreSQL's autovacuum daemon does this on a server; the embedded engine (PGlite) has no daemon, so without
 * it a table filled by the application (golden customers after a resolution run, cases, links…) keeps the
 * planner's guess for a never-analysed table, and plans built on that guess read every row of a 5,000-customer
 * table for a 50-row list page (measured 150 ms against 1 ms once analysed). Same rule as autovacuum's default:
 * more than 50 rows + 10 % of the table changed. Returns the tables it analysed.
 */
export async function refreshStatistics(db: Database): Promise<string[]> {
  if (db.engine !== 'pglite') return [];
  // This backend's row counts reach pg_stat_user_tables at most once a second unless flushed.
  await db.query('SELECT pg_stat_force_next_flush()');
  const stale = await db.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND (c.reltuples < 0 OR coalesce(s.n_mod_since_analyze, 0) > 50 + 0.1 * greatest(c.reltuples, 0))
      ORDER BY c.relname`,
  );
  // One table at a time: each ANALYZE samples at most 30,000 rows, so a request waits for at most one of them.
  for (const { name } of stale) await db.query(`ANALYZE "${name.replaceAll('"', '""')}"`);
  return stale.map((t) => t.name);
}
