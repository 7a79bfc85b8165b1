import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/engine.js';
import { jobs } from '../db/schema.js';
import type { JobRunner } from './runner.js';

export interface PeriodicJob {
  kind: string;
  everyMs: number;
  params?: unknown;
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

  constructor(
    private readonly db: Database,
    private readonly runner: JobRunner,
    private readonly tenants: () => Promise<string[]>,
  ) {}

  /** One pass for one kind: what was enqueued, per tenant (tenants with a pending run are skipped). */
  async tick(job: PeriodicJob): Promise<string[]> {
    if (this.ticking.has(job.kind)) return [];
    this.ticking.add(job.kind);
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
      return enqueued;
    } finally {
      this.ticking.delete(job.kind);
    }
  }

  /** Ticks each job now and then every `everyMs`; errors are reported, never thrown into the timer. */
  start(periodic: PeriodicJob[], onError: (err: unknown, kind: string) => void = () => {}) {
    for (const job of periodic) {
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
  }
}
