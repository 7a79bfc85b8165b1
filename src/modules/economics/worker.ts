/**
 * Fitting off the main thread. Fits are pure functions over typed arrays, so a worker receives
 * the columns as transferable buffers (moved, not copied), fits, and posts back a small JSON
 * result: the API keeps answering while a million-customer fit runs.
 */
import { ValidationError, type FieldIssue } from '../../core/errors.js';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { fitBgNbd, type BgNbdFit } from './bgnbd.js';
import type { FitOptions } from './fit.js';
import { fitGammaGamma, type GammaGammaFit } from './gammaGamma.js';
import { fitParetoNbd, type ParetoNbdFit } from './paretoNbd.js';

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

const MARKER = 'rapport-economics-fit';

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === MARKER) {
  const port = parentPort;
  port.on('message', (req: FitRequest) => {
    try {
      port.postMessage({ ok: true, fit: runFit(req) });
    } catch (e) {
      const err = e as Error & { issues?: unknown; type?: string };
      port.postMessage({ ok: false, error: { name: err.name, message: err.message, issues: err.issues ?? [] } });
    }
  });
}

/**
 * Runs one fit in a fresh worker thread. The request's arrays are transferred: the caller must
 * not use them afterwards (pass copies to keep them).
 */
export function fitInWorker(req: FitRequest): Promise<AnyFit> {
  const url = new URL(import.meta.url);
  // Under tsx (development, tests, bench) the worker must register the TypeScript loader itself
  // before loading this file: Node 20 workers do not inherit --import hooks.
  const worker = url.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: { role: MARKER } })
    : new Worker(url, { workerData: { role: MARKER } });
  const buffers = Object.values(req)
    .filter((v): v is Float64Array => v instanceof Float64Array)
    .map((v) => v.buffer as ArrayBuffer);
  return new Promise<AnyFit>((resolve, reject) => {
    worker.once('message', (msg: { ok: true; fit: AnyFit } | { ok: false; error: { name: string; message: string; issues: FieldIssue[] } }) => {
      void worker.terminate();
      if (msg.ok) resolve(msg.fit);
      else if (msg.error.name === 'ValidationError') reject(new ValidationError(msg.error.message, msg.error.issues));
      else reject(Object.assign(new Error(msg.error.message), msg.error));
    });
    worker.once('error', (e) => {
      void worker.terminate();
      reject(e);
    });
    worker.postMessage(req, [...new Set(buffers)]);
  });
}
