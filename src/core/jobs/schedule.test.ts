import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, periodicJobIntervals } from '../config.js';
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
let quickRuns = 0;
const slow = gated();

beforeAll(async () => {
  db = await openTestDatabase();
  for (const t of TENANTS) await db.query('INSERT INTO tenants (id, name) VALUES ($1, $1)', [t]);
  // One runner per process, as in `serve`: it claims any kind, so every kind of these tests is registered on it.
  runner = new JobRunner(db);
  runner.register('sched-sweep', sweep.handler);
  runner.register('sched-slow', slow.handler);
  runner.register('sched-quick', async () => {
    quickRuns++;
    return null;
  });
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
    // Let both held runs finish: the runner runs one job at a time, so the next test would wait behind them.
    slow.release();
    await until(() => slow.runs === 2, 'the second tenant’s run');
    slow.release();
    await until(async () => (await pending('sched-slow')).length === 0, 'both runs to finish');
  });

  it('enqueues on time: at start, then once per interval, and shows it in status()', async () => {
    // Only the interval timers and the clock are faked; the database and the runner run for real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const t0 = Date.now();
      const scheduler = new JobScheduler(db, runner, async () => TENANTS);
      const count = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM jobs WHERE kind = 'sched-quick'"))[0].n;
      scheduler.start([{ kind: 'sched-quick', everyMs: 60_000 }]);
      await until(async () => (await count()) === 2 && quickRuns === 2 && (await pending('sched-quick')).length === 0, 'the first pass and its runs');
      const [s0] = scheduler.status();
      expect(s0).toMatchObject({ kind: 'sched-quick', everyMinutes: 1, lastEnqueued: 2, lastSkippedBusy: 0, failing: false });
      expect(Date.parse(s0.nextTickAt!)).toBe(t0 + 60_000);
      await vi.advanceTimersByTimeAsync(59_999);
      expect(await count(), 'not before the interval').toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      await until(async () => (await count()) === 4, 'the second pass');
      await until(async () => quickRuns === 4 && (await pending('sched-quick')).length === 0, 'its runs');
      expect(Date.parse(scheduler.status()[0].nextTickAt!)).toBe(t0 + 120_000);
      scheduler.stop();
      await vi.advanceTimersByTimeAsync(600_000);
      expect(await count(), 'nothing after stop()').toBe(4);
      expect(scheduler.status()[0].nextTickAt).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('periodicJobIntervals', () => {
  const defaults = { 'sla-check': 5, 'task-reminders': 1, 'service-alarms': 60 };
  it('keeps defaults, lets RAPPORT_JOBS_EVERY_MINUTES set all and RAPPORT_JOB_<KIND>_MINUTES one; 0 is off', () => {
    expect(periodicJobIntervals(loadConfig({}), defaults)).toEqual([
      { kind: 'sla-check', everyMs: 300_000 },
      { kind: 'task-reminders', everyMs: 60_000 },
      { kind: 'service-alarms', everyMs: 3_600_000 },
    ]);
    const env = { RAPPORT_JOBS_EVERY_MINUTES: '15', RAPPORT_JOB_SLA_CHECK_MINUTES: '0.5', RAPPORT_JOB_SERVICE_ALARMS_MINUTES: '0' };
    expect(periodicJobIntervals(loadConfig(env), defaults)).toEqual([
      { kind: 'sla-check', everyMs: 30_000 },
      { kind: 'task-reminders', everyMs: 900_000 },
    ]);
    expect(periodicJobIntervals(loadConfig({ RAPPORT_JOBS_EVERY_MINUTES: '0' }), defaults)).toEqual([]);
  });

  it('refuses a misspelt kind and a number that is not one', () => {
    expect(() => periodicJobIntervals(loadConfig({ RAPPORT_JOB_SLA_CHEK_MINUTES: '5' }), defaults)).toThrow(/RAPPORT_JOB_SLA_CHEK_MINUTES names no periodic job; known: RAPPORT_JOB_SLA_CHECK_MINUTES/);
    expect(() => loadConfig({ RAPPORT_JOB_SLA_CHECK_MINUTES: 'often' })).toThrow(/RAPPORT_JOB_SLA_CHECK_MINUTES must be a number of minutes/);
    expect(() => loadConfig({ RAPPORT_JOBS_EVERY_MINUTES: '-1' })).toThrow(/RAPPORT_JOBS_EVERY_MINUTES/);
  });
});
