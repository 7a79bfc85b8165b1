import { describe, expect, it } from 'vitest';
import { openTestDatabase } from './testing.js';
import { refreshStatistics } from './statistics.js';

describe('refreshStatistics', () => {
  it('analyses a table the application filled, then leaves it alone until it changes again', async () => {
    const db = await openTestDatabase();
    try {
      if (db.engine !== 'pglite') {
        // The server engine has autovacuum; the helper leaves it to it.
        expect(await refreshStatistics(db)).toEqual([]);
        return;
      }
      await db.query('CREATE TABLE stats_probe (id int PRIMARY KEY, v text)');
      await db.query("INSERT INTO stats_probe SELECT g, 'x' FROM generate_series(1, 2000) g");
      const reltuples = async () => (await db.query<{ n: number }>("SELECT reltuples::int AS n FROM pg_class WHERE relname = 'stats_probe'"))[0].n;
      expect(await reltuples()).toBe(-1);
      expect(await refreshStatistics(db)).toContain('stats_probe');
      expect(await reltuples()).toBe(2000);
      expect(await refreshStatistics(db)).not.toContain('stats_probe');
      await db.query("INSERT INTO stats_probe SELECT g, 'y' FROM generate_series(2001, 3000) g");
      expect(await refreshStatistics(db)).toContain('stats_probe');
      expect(await reltuples()).toBe(3000);
    } finally {
      await db.close();
    }
  });
});
