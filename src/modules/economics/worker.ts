/**
 * Fitting and scoring off the main thread. Both are pure functions over typed arrays, so a worker
 * receives the columns as transferable buffers (moved, not copied), works, and posts back a small
 * JSON fit or the score columns (moved back): the API keeps answering while a million customers
 * are fitted or scored.
 */
import { ValidationError, type FieldIssue } from '../../core/errors.js';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { bgnbdModel, fitBgNbd, type BgNbdFit, type BgNbdParams } from './bgnbd.js';
import type { FitOptions } from './fit.js';
import { fitGammaGamma, type GammaGammaFit } from './gammaGamma.js';
import { fitParetoNbd, paretoNbdModel, type ParetoNbdFit, type ParetoNbdParams } from './paretoNbd.js';
import { scoreCustomers, type ClvOptions, type CustomerScores } from './score.js';

export type FitRequest =
  | { model: 'bgnbd' | 'paretoNbd'; x: Float64Array; tx: Float64Array; T: Float64Array; weight?: Float64Array; options?: FitOptions }
  | { model: 'gammaGamma'; x: Float64Array; monetary: Float64Array; weight?: Float64Array; options?: FitOptions };

export type AnyFit = BgNbdFit | ParetoNbdFit | GammaGammaFit;

export function runFit(req: FitRequest): AnyFit {
  switch (req.model) {
    case 'bgnbd':
      return fitBgNbd(req, req.options);
    case 'paretoNbd':
      return fitParetoNbd(req, req.options);
    case 'gammaGamma':
      return fitGammaGamma(req, req.options);
  }
}

export type ScoreRequest = {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  horizon: number;
  clv?: { spend: Float64Array; options: ClvOptions };
} & ({ model: 'bgnbd'; params: BgNbdParams } | { model: 'paretoNbd'; params: ParetoNbdParams });

export function runScore(req: ScoreRequest): CustomerScores {
  const model = req.model === 'bgnbd' ? bgnbdModel(req.params) : paretoNbdModel(req.params);
  return scoreCustomers(model, req, req.horizon, req.clv);
}

const MARKER = 'rapport-economics-worker';
type Task = { task: 'fit'; request: FitRequest } | { task: 'score'; request: ScoreRequest };

function buffersOf(...arrays: (Float64Array | undefined)[]): ArrayBuffer[] {
  return [...new Set(arrays.filter((v): v is Float64Array => v instanceof Float64Array).map((v) => v.buffer as ArrayBuffer))];
}

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === MARKER) {
  const port = parentPort;
  port.on('message', (msg: Task) => {
    try {
      if (msg.task === 'fit') port.postMessage({ ok: true, result: runFit(msg.request) });
      else {
        const scores = runScore(msg.request);
        port.postMessage({ ok: true, result: scores }, buffersOf(scores.expectedPurchases, scores.probabilityAlive, scores.clv));
      }
    } catch (e) {
      const err = e as Error & { issues?: unknown; type?: string };
      port.postMessage({ ok: false, error: { name: err.name, message: err.message, issues: err.issues ?? [] } });
    }
  });
}

function runInWorker<R>(task: Task, transfer: ArrayBuffer[]): Promise<R> {
  const url = new URL(import.meta.url);
  // Under tsx (development, tests, bench) the worker must register the TypeScript loader itself
  // before loading this file: Node 20 workers do not inherit --import hooks.
  const worker = url.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: { role: MARKER } })
    : new Worker(url, { workerData: { role: MARKER } });
  return new Promise<R>((resolve, reject) => {
    worker.once('message', (msg: { ok: true; result: R } | { ok: false; error: { name: string; message: string; issues: FieldIssue[] } }) => {
      void worker.terminate();
      if (msg.ok) resolve(msg.result);
      else if (msg.error.name === 'ValidationError') reject(new ValidationError(msg.error.message, msg.error.issues));
      else reject(Object.assign(new Error(msg.error.message), msg.error));
    });
    worker.once('error', (e) => {
      void worker.terminate();
      reject(e);
    });
    worker.postMessage(task, transfer);
  });
}

/**
 * Runs one fit in a fresh worker thread. The request's arrays are transferred: the caller must
 * not use them afterwards (pass copies to keep them).
 */
export function fitInWorker(req: FitRequest): Promise<AnyFit> {
  const r = req as { x: Float64Array; tx?: Float64Array; T?: Float64Array; monetary?: Float64Array; weight?: Float64Array };
  return runInWorker<AnyFit>({ task: 'fit', request: req }, buffersOf(r.x, r.tx, r.T, r.monetary, r.weight));
}

/** Scores every customer in a fresh worker thread; input arrays are transferred, score columns come back. */
export function scoreInWorker(req: ScoreRequest): Promise<CustomerScores> {
  return runInWorker<CustomerScores>({ task: 'score', request: req }, buffersOf(req.x, req.tx, req.T, req.clv?.spend));
}
