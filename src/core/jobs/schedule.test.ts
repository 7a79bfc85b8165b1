import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/engine.js';
import { openTestDatabase } from '../db/testing.js';
import { JobRunner } from './runner.js';
import { JobScheduler } from './schedule.js';

let db: Database;
let runner: JobRunner;
const TENANTS = ['sched-a', 'sched-b'];

/** A job handler held until released, counting its runs. */
function gated() {
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  const h = {
    runs: 0,
    release() {
      release();
      gate = new Promise<void>((r) => (release = r));
    },
    handler: async () => {
      h.runs++;
      await gate;
      return null;
    },
  };
  return h;
}

const sweep = gated();
const slow = gated();

beforeAll(async () => {
  db = await openTestDatabase();
  for (const t of TENANTS) await db.query('INSERT INTO tenants (id, name) VALUES ($1, $1)', [t]);
  // One runner per process, as in `serve`: it claims any kind, so every kind of these tests is registered on it.
  runner = new JobRunner(db);
  runner.register('sched-sweep', sweep.handler);
  runner.register('sched-slow', slow.handler);
});
afterAll(async () => {
  sweep.release();
  slow.release();
  await runner?.stop();
  await db?.close();
});

const pending = async (kind: string) =>
  db.query<{ tenant_id: string; n: number }>(
    "SELECT tenant_id, count(*)::int AS n FROM jobs WHERE kind = $1 AND status IN ('queued', 'running') GROUP BY tenant_id ORDER BY tenant_id",
    [kind],
  );

async function until(check: () => Promise<boolean> | boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('JobScheduler', () => {
  it('enqueues a periodic job once per tenant, and not again while one is queued or running', async () => {
    const scheduler = new JobScheduler(db, runner, async () => TENANTS);
    const job = { kind: 'sched-sweep', everyMs: 60_000 };
    expect(await scheduler.tick(job)).toEqual(TENANTS);
    expect(await scheduler.tick(job), 'one runs (held), the other waits in the queue').toEqual([]);
    expect(await pending('sched-sweep')).toEqual([{ tenant_id: 'sched-a', n: 1 }, { tenant_id: 'sched-b', n: 1 }]);
    await until(() => sweep.runs === 1, 'the first run');
    sweep.release();
    await until(() => sweep.runs === 2, 'the second tenant’s run');
    sweep.release();
    await until(async () => (await pending('sched-sweep')).length === 0, 'both runs to finish');
    expect(await scheduler.tick(job), 'done: due again').toEqual(TENANTS);
    await until(() => sweep.runs === 3, 'the next run');
    sweep.release();
    await until(() => sweep.runs === 4, 'the next run of the other tenant');
    sweep.release();
    await until(async () => (await pending('sched-sweep')).length === 0, 'both runs to finish');
  });

  it('on a timer, never stacks a slow run behind copies of itself', async () => {
    const scheduler = new JobScheduler(db, runner, async () => TENANTS);
    scheduler.start([{ kind: 'sched-slow', everyMs: 20 }]);
    await until(() => slow.runs === 1, 'the first run');
    // Fifteen ticks pass while the first run is held.
    await new Promise((r) => setTimeout(r, 300));
    expect(await pending('sched-slow')).toEqual([{ tenant_id: 'sched-a', n: 1 }, { tenant_id: 'sched-b', n: 1 }]);
    const [{ total }] = await db.query<{ total: number }>("SELECT count(*)::int AS total FROM jobs WHERE kind = 'sched-slow'");
    expect(total).toBe(2);
    scheduler.stop();
  });
});
