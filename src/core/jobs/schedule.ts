import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/engine.js';
import { jobs } from '../db/schema.js';
import type { JobRunner } from './runner.js';

export interface PeriodicJob {
  kind: string;
  everyMs: number;
  params?: unknown;
}

/** What the scheduler did last for one kind, for /health and the logs. */
export interface ScheduleStatus {
  kind: string;
  everyMinutes: number;
  /** When the last pass ran, and when the next is due (null before start and after stop). */
  lastTickAt: string | null;
  nextTickAt: string | null;
  /** Tenants the last pass enqueued for, and tenants it skipped because a run was still queued or running there. */
  lastEnqueued: number;
  lastSkippedBusy: number;
  /** The last pass failed (the error is logged, not shown: /health is public). */
  failing: boolean;
}

/**
 * Enqueues periodic jobs (the SLA check, the neglect alarms, the lifecycle sweep…) for every tenant while the
 * server runs. A kind is enqueued for a tenant only when none of it is queued or running there, so a slow run is
 * never stacked behind copies of itself, and since the jobs are rows, a restart loses nothing: the runner picks
 * up what was queued. The jobs run on the durable runner, off the request path.
 */
export class JobScheduler {
  private timers: NodeJS.Timeout[] = [];
  private ticking = new Set<string>();
  private started = new Set<string>();
  private readonly state = new Map<string, ScheduleStatus>();

  constructor(
    private readonly db: Database,
    private readonly runner: JobRunner,
    private readonly tenants: () => Promise<string[]>,
  ) {}

  /** One pass for one kind: what was enqueued, per tenant (tenants with a pending run are skipped). */
  async tick(job: PeriodicJob): Promise<string[]> {
    const entry = this.entry(job);
    if (this.started.has(job.kind)) entry.nextTickAt = new Date(Date.now() + job.everyMs).toISOString();
    if (this.ticking.has(job.kind)) return [];
    this.ticking.add(job.kind);
    entry.lastTickAt = new Date().toISOString();
    try {
      const tenantIds = await this.tenants();
      const busy = new Set(
        (
          await this.db.orm
            .select({ tenantId: jobs.tenantId })
            .from(jobs)
            .where(and(eq(jobs.kind, job.kind), inArray(jobs.status, ['queued', 'running']), inArray(jobs.tenantId, tenantIds.length ? tenantIds : [''])))
        ).map((r) => r.tenantId),
      );
      const enqueued: string[] = [];
      for (const tenantId of tenantIds) {
        if (busy.has(tenantId)) continue;
        await this.runner.enqueue(tenantId, job.kind, job.params ?? {}, null);
        enqueued.push(tenantId);
      }
      Object.assign(this.entry(job), { lastEnqueued: enqueued.length, lastSkippedBusy: tenantIds.length - enqueued.length, failing: false });
      return enqueued;
    } catch (err) {
      this.entry(job).failing = true;
      throw err;
    } finally {
      this.ticking.delete(job.kind);
    }
  }

  /** Ticks each job now and then every `everyMs`; errors are reported, never thrown into the timer. */
  start(periodic: PeriodicJob[], onError: (err: unknown, kind: string) => void = () => {}) {
    for (const job of periodic) {
      this.started.add(job.kind);
      const run = () => void this.tick(job).catch((err: unknown) => onError(err, job.kind));
      const timer = setInterval(run, job.everyMs);
      timer.unref();
      this.timers.push(timer);
      run();
    }
  }

  stop() {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.started.clear();
    for (const e of this.state.values()) e.nextTickAt = null;
  }

  /** Each scheduled kind: its interval, last and next pass, and what the last pass did. */
  status(): ScheduleStatus[] {
    return [...this.state.values()].map((e) => ({ ...e }));
  }

  private entry(job: PeriodicJob): ScheduleStatus {
    let e = this.state.get(job.kind);
    if (!e) {
      e = { kind: job.kind, everyMinutes: job.everyMs / 60_000, lastTickAt: null, nextTickAt: null, lastEnqueued: 0, lastSkippedBusy: 0, failing: false };
      this.state.set(job.kind, e);
    }
    return e;
  }
}
