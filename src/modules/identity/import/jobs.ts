import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { systemActor } from '../../../core/actor.js';
import { loadConfig } from '../../../core/config.js';
import type { Database } from '../../../core/db/engine.js';
import type { JobRunner } from '../../../core/jobs/runner.js';
import { NotFoundError, UnprocessableError, ValidationError } from '../../../core/errors.js';
import type { OrgService } from '../../org/service.js';
import { runImport, type ImportSummary } from './importer.js';
import { issueFiles } from './issues.js';
import { kindAndMapping } from './kinds.js';
import { planTarget } from './target.js';

export const IMPORT_JOB = 'identity.import';

export const importJobParams = z.object({
  /** Server-generated upload id: the only thing that names the upload's folder, so no client text reaches a path. */
  uploadId: z.uuid(),
  kind: z.string().optional(),
  mapping: z.unknown(),
  source: z.string(),
  division: z.string().optional(),
  onError: z.enum(['skip', 'abort']),
  /** "upload.csv" / "upload.tsv" / "upload.jsonl" when the client's file name said so; never the name itself. */
  nameHint: z.string().optional(),
  batchSize: z.number().int().min(1).max(100_000).optional(),
});
export type ImportJobParams = z.infer<typeof importJobParams>;

/** Where uploads and their issue files live: <data dir>/imports/<upload id>/{input,errors.csv,warnings.csv}. */
export class ImportStore {
  constructor(readonly root: string) {}

  static fromConfig() {
    return new ImportStore(path.join(loadConfig().dataDir, 'imports'));
  }

  dir(uploadId: string): string {
    // A uuid has no separators or dots, but check anyway: this path is built from job params.
    if (!z.uuid().safeParse(uploadId).success) throw new NotFoundError('import', uploadId);
    return path.join(this.root, uploadId);
  }

  input = (uploadId: string) => path.join(this.dir(uploadId), 'input');
  errors = (uploadId: string) => path.join(this.dir(uploadId), 'errors.csv');
  warnings = (uploadId: string) => path.join(this.dir(uploadId), 'warnings.csv');

  async create(uploadId: string): Promise<string> {
    const dir = this.dir(uploadId);
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  async remove(uploadId: string) {
    await fs.promises.rm(this.dir(uploadId), { recursive: true, force: true });
  }
}

/** Registers the import job with the runner. Called once from createServices, after the runner exists. */
export function registerImportJobs(jobs: JobRunner, db: Database, org: OrgService, store: ImportStore = ImportStore.fromConfig()) {
  jobs.register<ImportJobParams, ImportSummary>(IMPORT_JOB, async ({ job, params, progress, signal }) => {
    const p = importJobParams.parse(params);
    const input = store.input(p.uploadId);
    // The job re-runs from the start after a crash; the upsert makes that converge, and the issue files are rewritten.
    const { kind, mapping } = kindAndMapping(p.mapping, p.kind);
    const target = await planTarget(org, systemActor(job.tenantId), { source: p.source, division: p.division });
    const issues = issueFiles({ errors: store.errors(p.uploadId), warnings: store.warnings(p.uploadId) });
    let finished = false;
    try {
      const summary = await runImport({
        db,
        kind,
        file: input,
        mapping,
        nameHint: p.nameHint,
        onError: p.onError,
        target,
        issues,
        signal,
        batchSize: p.batchSize,
        // Progress counts KiB read over both passes, so it moves smoothly from validation into writing.
        onProgress: (pr) => progress(Math.ceil(((pr.phase === 'write' ? pr.totalBytes : 0) + pr.bytes) / 1024), Math.ceil((2 * pr.totalBytes) / 1024)),
      });
      finished = true;
      return summary;
    } catch (err) {
      // Bad input will not get better on a re-run; anything else (interruption, database) keeps the upload for one.
      finished = err instanceof ValidationError || err instanceof UnprocessableError;
      throw err;
    } finally {
      await issues.close();
      if (finished) await fs.promises.rm(input, { force: true });
    }
  });
}
