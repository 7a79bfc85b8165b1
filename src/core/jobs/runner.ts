import { and, asc, eq, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/engine.js';
import { jobs } from '../db/schema.js';
import { NotFoundError, RapportError } from '../errors.js';

export type Job = typeof jobs.$inferSelect;

export interface JobContext<P> {
  job: Job;
  params: P;
  /** Record progress; also the heartbeat that tells a restarted process this job is still alive. */
  progress(done: number, total?: number | null): Promise<void>;
  signal: AbortSignal;
}

/** A job handler must be idempotent: after a crash the job is simply run again from the start. */
export type JobHandler<P = unknown, R = unknown> = (ctx: JobContext<P>) => Promise<R>;

const STALE_AFTER_MS = 60_000;
const HEARTBEAT_EVERY_MS = 1_000;

/**
 * Durable, in-process job runner. Jobs live in the `jobs` table, so a job queued or running when the
 * process dies is picked up again on the next start. One job runs at a time: on PGlite every query
 * shares one connection anyway, and handlers chunk their work so API requests interleave.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler<never>>();
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly db: Database) {}

  register<P, R>(kind: string, handler: JobHandler<P, R>) {
    this.handlers.set(kind, handler as JobHandler<never>);
  }

  async enqueue(tenantId: string, kind: string, params: unknown, createdBy?: string | null): Promise<Job> {
    if (!this.handlers.has(kind)) throw new NotFoundError('job kind', kind);
    const [row] = await this.db.orm.insert(jobs).values({ tenantId, kind, params: params as object, createdBy: createdBy ?? null }).returning();
    this.kick();
    return row;
  }

  async get(tenantId: string, id: string): Promise<Job> {
    const [row] = await this.db.orm.select().from(jobs).where(and(eq(jobs.tenantId, tenantId), eq(jobs.id, id)));
    if (!row) throw new NotFoundError('job', id);
    return row;
  }

  /** Polls for work every `intervalMs` until stop(). */
  start(intervalMs = 500) {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.running;
  }

  /** Runs queued jobs until none is left; resolves when idle. Used by the CLI to run a job in the foreground. */
  async drain(): Promise<void> {
    while (await this.runNext()) {
      // keep going
    }
  }

  /** Waits for one job to finish (whoever runs it) and returns its final row. */
  async waitFor(tenantId: string, id: string): Promise<Job> {
    for (;;) {
      await this.drain();
      const job = await this.get(tenantId, id);
      if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') return job;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private kick() {
    if (this.running) return;
    this.running = this.drain()
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
      });
  }

  /** Claims the oldest queued job, or one whose runner stopped sending heartbeats (a crash), and runs it. */
  private async runNext(): Promise<boolean> {
    if (this.abort.signal.aborted) return false;
    const stale = new Date(Date.now() - STALE_AFTER_MS);
    const [candidate] = await this.db.orm.select().from(jobs)
      .where(or(eq(jobs.status, 'queued'), and(eq(jobs.status, 'running'), lt(jobs.heartbeatAt, stale))))
      .orderBy(asc(jobs.createdAt)).limit(1);
    if (!candidate) return false;
    const [job] = await this.db.orm.update(jobs)
      .set({ status: 'running', startedAt: new Date(), heartbeatAt: new Date(), attempts: sql`${jobs.attempts} + 1`, error: null })
      // attempts rises with every claim, so it guards the claim on both engines (updated_at round-trips through a JS Date at ms precision and never matches PostgreSQL's µs)
      .where(and(eq(jobs.tenantId, candidate.tenantId), eq(jobs.id, candidate.id), eq(jobs.attempts, candidate.attempts)))
      .returning();
    if (!job) return true; // someone else claimed it
    const handler = this.handlers.get(job.kind);
    if (!handler) {
      await this.finish(job, 'failed', null, `no handler for job kind ${job.kind}`);
      return true;
    }
    let lastBeat = 0;
    const ctx: JobContext<never> = {
      job,
      params: job.params as never,
      signal: this.abort.signal,
      progress: async (done, total) => {
        const now = Date.now();
        if (now - lastBeat < HEARTBEAT_EVERY_MS && (total == null || done < total)) return;
        lastBeat = now;
        await this.db.orm.update(jobs)
          .set({ progressDone: done, ...(total !== undefined ? { progressTotal: total } : {}), heartbeatAt: new Date(), updatedAt: new Date() })
          .where(and(eq(jobs.tenantId, job.tenantId), eq(jobs.id, job.id)));
      },
    };
    try {
      const result = await handler(ctx);
      await this.finish(job, 'succeeded', result ?? null, null);
    } catch (err) {
      const message = err instanceof RapportError || err instanceof Error ? err.message : String(err);
      await this.finish(job, 'failed', err instanceof RapportError ? { issues: err.issues } : null, message);
    }
    return true;
  }

  private async finish(job: Job, status: 'succeeded' | 'failed', result: unknown, error: string | null) {
    await this.db.orm.update(jobs)
      .set({ status, result: result as object, error, finishedAt: new Date(), updatedAt: new Date(), heartbeatAt: new Date() })
      .where(and(eq(jobs.tenantId, job.tenantId), eq(jobs.id, job.id)));
  }
}
