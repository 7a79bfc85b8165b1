import type { Job } from './queries';

/** The summary an import job returns (ImportSummary in src/modules/identity/import/importer.ts). */
export interface ImportResult {
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  bad: number;
  warnings: number;
  seconds: number;
}

/** The summary a resolution job returns (RunSummary in src/modules/identity/resolution.ts). */
export interface ResolutionResult {
  mode: 'full' | 'incremental';
  records: number;
  customers: number;
  created: number;
  changed: number;
  retired: number;
  autoLinks: number;
  reviewPairs: number;
  seconds: number;
}

function numbers<T>(value: unknown, keys: (keyof T & string)[]): T | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  return keys.every((k) => typeof v[k] === 'number') ? (v as T) : null;
}

export const importResult = (job: Job | undefined) => numbers<ImportResult>(job?.result, ['rowsRead', 'inserted', 'updated', 'unchanged', 'bad', 'warnings']);
export const resolutionResult = (job: Job | undefined) => numbers<ResolutionResult>(job?.result, ['records', 'customers', 'created', 'changed', 'retired', 'autoLinks', 'reviewPairs']);

/** Percent done, or null while the job has not said how much there is. */
export function jobPercent(job: Job | undefined): number | null {
  if (!job) return null;
  if (job.status === 'succeeded') return 100;
  if (!job.progressTotal) return null;
  return Math.min(100, Math.round((job.progressDone / job.progressTotal) * 100));
}
