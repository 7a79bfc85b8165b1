/**
 * Resolution off the main thread. Matching a million records is a minute of pure CPU (blocking, comparisons,
 * EM, scoring, clustering); on the main thread the API would not answer for that minute. One long-lived worker
 * per process runs `resolve` and `resolveIncremental` and keeps each tenant's in-memory index (the
 * `ResolverState`: table, blocks, model, clusters) between runs, so an incremental run still compares only the
 * new records. Only plain data crosses the thread boundary: the records in, the clusters, links and review
 * pairs out. If the worker dies, the next run starts a new one and, having no index, recomputes in full.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { newId } from '../../core/ids.js';
import { resolve, resolveIncremental, type ResolveOptions, type ResolveRecord, type ResolveResult, type ResolverState } from './pipeline.js';
import { defaultSettings, type ResolutionSettings } from './settings.js';

/** What crosses back: the result without the state, which stays in the worker. */
export type WorkerResolveResult = Omit<ResolveResult, 'state'>;

/** The settings that are data; the rule sets are code, and the worker uses its defaults. */
export type ResolverTunables = Omit<ResolutionSettings, 'comparisons' | 'blockingRules' | 'deterministicRules'>;
type FullOptions = Omit<ResolveOptions, 'newClusterId' | 'truth' | 'settings'> & { settings: ResolverTunables };
type Task =
  | { id: number; kind: 'full'; key: string; stamp: string; records: readonly ResolveRecord[]; options: FullOptions }
  | { id: number; kind: 'incremental'; key: string; stamp: string; expect: string; records: readonly ResolveRecord[]; options: Pick<ResolveOptions, 'decisions'> };
type Reply = { id: number; ok: true; result: WorkerResolveResult } | { id: number; ok: false; error: { name: string; message: string } };

const MARKER = 'rapport-resolver-worker';

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === MARKER) {
  const port = parentPort;
  const states = new Map<string, { state: ResolverState; stamp: string }>();
  port.on('message', (task: Task) => {
    try {
      let result: ResolveResult;
      if (task.kind === 'full') {
        result = resolve(task.records, { ...task.options, settings: defaultSettings(task.options.settings), newClusterId: newId });
      } else {
        const held = states.get(task.key);
        if (!held || held.stamp !== task.expect) throw Object.assign(new Error('the resolver index is gone; run in full'), { name: 'IndexLost' });
        result = resolveIncremental(held.state, task.records, { ...task.options, newClusterId: newId });
      }
      states.set(task.key, { state: result.state, stamp: task.stamp });
      const { state: _kept, ...rest } = result;
      port.postMessage({ id: task.id, ok: true, result: rest } satisfies Reply);
    } catch (e) {
      const err = e as Error;
      port.postMessage({ id: task.id, ok: false, error: { name: err.name, message: err.message } } satisfies Reply);
    }
  });
}

/** The main thread's handle on the worker: which index it holds, and the runs waiting for it. */
class ResolverThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: WorkerResolveResult) => void; reject: (e: Error) => void }>();
  /** key -> stamp of the index the worker holds (forgotten when the worker exits). */
  private readonly stamps = new Map<string, string>();

  holds(key: string, stamp: string): boolean {
    return this.worker !== null && this.stamps.get(key) === stamp;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const url = new URL(import.meta.url);
    // Under tsx (development, tests, bench) the worker registers the TypeScript loader itself: Node 20 workers
    // do not inherit --import hooks.
    const worker = url.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: { role: MARKER } })
      : new Worker(url, { workerData: { role: MARKER } });
    // An idle resolver must not keep a CLI command or a test process alive.
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    });
    const fail = (err: Error) => {
      this.worker = null;
      this.stamps.clear();
      for (const w of this.pending.values()) w.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the resolver worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private send(task: Task): Promise<WorkerResolveResult> {
    const worker = this.start();
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(task.id, { resolve, reject });
      worker.postMessage(task);
    });
  }

  async full(key: string, stamp: string, records: readonly ResolveRecord[], options: FullOptions): Promise<WorkerResolveResult> {
    this.stamps.delete(key);
    const result = await this.send({ id: this.nextId++, kind: 'full', key, stamp, records, options });
    this.stamps.set(key, stamp);
    return result;
  }

  async incremental(key: string, expect: string, stamp: string, records: readonly ResolveRecord[], options: Pick<ResolveOptions, 'decisions'>): Promise<WorkerResolveResult> {
    this.stamps.delete(key);
    const result = await this.send({ id: this.nextId++, kind: 'incremental', key, stamp, expect, records, options });
    this.stamps.set(key, stamp);
    return result;
  }

  /** Stops the worker (its indexes are lost; the next run starts a new one). */
  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.stamps.clear();
    if (w) await w.terminate();
  }
}

/** One resolver thread per process, shared by every ResolutionService in it. */
export const resolverThread = new ResolverThread();
