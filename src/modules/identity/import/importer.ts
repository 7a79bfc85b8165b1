import fs from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Database } from '../../../core/db/engine.js';
import { ConflictError, UnprocessableError, ValidationError, type FieldIssue } from '../../../core/errors.js';
import { applyTransforms, requiredColumns, type BaseMapping, type Transform } from './mapping.js';
import { detectLayout, openRowReader, type Layout, type SourceRow } from './readers.js';
import { SeenKeys, sha256, stableStringify } from './hashing.js';
import type { ImportKind, ImportTarget, MappedRow } from './kinds.js';
import type { IssueSink, RowIssue } from './issues.js';

export type OnError = 'skip' | 'abort';

export interface ImportProgress {
  phase: 'validate' | 'write';
  rows: number;
  /** Known once the validation pass has counted the rows. */
  totalRows: number | null;
  bytes: number;
  totalBytes: number;
}

export interface ImportRequest {
  db: Database;
  kind: ImportKind;
  file: string;
  /** Already checked by kind.parseMapping. */
  mapping: BaseMapping;
  /** A file name used only to recognise .csv/.tsv/.jsonl when the mapping does not say. */
  nameHint?: string;
  onError: OnError;
  /** Finds or creates the source system; called after validation passed, right before the first write. */
  target: () => Promise<ImportTarget>;
  issues?: IssueSink;
  onProgress?: (p: ImportProgress) => void | Promise<void>;
  batchSize?: number;
  signal?: AbortSignal;
  /** Runs after each committed batch: the seam tests use to simulate a crash part-way. */
  afterBatch?: (batch: number) => void | Promise<void>;
}

export interface ImportSummary {
  kind: string;
  format: Layout['format'];
  delimiter: string | null;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of erased people (privacy tombstones), not written. */
  suppressed: number;
  bad: number;
  warnings: number;
  batches: number;
  seconds: number;
  /** Of which the validation pass (reads the whole file once, writes nothing). */
  validateSeconds: number;
  /** The first few bad rows and warnings; all of them go to the issue files. */
  sample: { errors: RowIssue[]; warnings: RowIssue[] };
}

/**
 * Rows per transaction. On PGlite a transaction holds the only connection and runs on this thread, so the batch
 * size is the longest an API request waits (measured with bench/import.ts); a server engine takes bigger batches.
 */
export const defaultBatchSize = (db: Database) => (db.engine === 'pglite' ? 1_000 : 5_000);
const SAMPLE_SIZE = 20;
/** Rows between turns of the event loop: PGlite and this loop share the thread with every API request. */
const YIELD_EVERY = 250;
const MAX_ID_LENGTH = 256;

interface ColumnPlan {
  column: string;
  field?: string;
  attribute?: string;
  transforms: Transform[];
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function storable(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('\0') && !UNPAIRED_SURROGATE.test(value);
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(storable);
  return Object.entries(value).every(([k, v]) => storable(k) && storable(v));
}

type RowOutcome = { ok: true; row: MappedRow } | { ok: false; issue: RowIssue };

/** The mapping compiled once for the per-row loop. */
class RowMapper {
  private readonly plan: ColumnPlan[];
  private readonly nullValues: Set<string>;
  private readonly idColumn: ColumnPlan | undefined;
  seen = new SeenKeys();
  /** For row-occurrence ids: row contents seen once, and how often those seen again have occurred so far. */
  private readonly contents = new SeenKeys();
  private readonly repeats = new Map<string, number>();

  constructor(
    private readonly mapping: BaseMapping,
    private readonly idField: string,
    private readonly format: Layout['format'],
  ) {
    this.plan = Object.entries(mapping.columns).map(([column, t]) => ({ column, ...t }));
    this.nullValues = new Set(mapping.nullValues);
    this.idColumn = this.plan.find((p) => p.field === idField);
  }

  private text(value: unknown): string | null | { invalid: string } {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return { invalid: Array.isArray(value) ? 'an array' : 'an object' };
  }

  private value(c: ColumnPlan, values: Record<string, unknown>): string | null | { invalid: string } {
    const t = this.text(values[c.column]);
    if (t === null || typeof t !== 'string') return t;
    if (this.nullValues.has(t.trim())) return null;
    const out = applyTransforms(t, c.transforms);
    return out === '' ? null : out;
  }

  private externalId(row: SourceRow): string | { field: string; reason: string } {
    const rule = this.mapping.externalId;
    if (!rule) {
      const v = this.value(this.idColumn!, row.values);
      if (v !== null && typeof v !== 'string') return { field: this.idColumn!.column, reason: `expected text, found ${v.invalid}` };
      return (v ?? '').trim();
    }
    if ('generate' in rule) {
      const hash = sha256(stableStringify(row.values)).slice(0, 32);
      if (rule.generate === 'row-hash') return `h:${hash}`;
      // Identical rows can be genuine repeats (two equal purchases on one day): numbered in file order, each keeps
      // its key on a re-import. Only contents that do repeat are counted in the Map; the rest cost a 64-bit hash.
      const n = this.contents.addOrGet(hash, row.line) === 0 ? 1 : (this.repeats.get(hash) ?? 1) + 1;
      if (n > 1) this.repeats.set(hash, n);
      return `r:${hash}:${n}`;
    }
    const parts: string[] = [];
    for (const column of rule.columns) {
      const v = this.text(row.values[column]);
      if (v !== null && typeof v !== 'string') return { field: column, reason: `expected text, found ${v.invalid}` };
      parts.push((v ?? '').trim());
    }
    return parts.every((p) => p === '') ? '' : parts.join(rule.separator);
  }

  /**
   * Deterministic, so the validation pass and the write pass agree on which rows are bad. The id is checked first
   * (and recorded) so a second row claiming an id is a duplicate even when the first row is bad for another reason.
   */
  map(row: SourceRow): RowOutcome {
    const bad = (field: string, reason: string): RowOutcome => ({ ok: false, issue: { line: row.line, field, reason, raw: row.raw } });
    if (row.problem) return bad('(row)', row.problem);
    // PostgreSQL text and jsonb cannot hold NUL, nor jsonb an unpaired surrogate: reject the row rather than fail a batch.
    if (this.format === 'jsonl' ? !storable(row.values) : row.raw.includes('\0')) return bad('(row)', 'contains a NUL character or an unpaired surrogate');
    const id = this.externalId(row);
    if (typeof id !== 'string') return bad(id.field, id.reason);
    if (!id) return bad(this.idField, 'the external id is empty');
    if (id.length > MAX_ID_LENGTH) return bad(this.idField, `the external id is longer than ${MAX_ID_LENGTH} characters`);
    const first = this.seen.addOrGet(id, row.line);
    if (first) return bad(this.idField, `duplicate external id "${id}" (first seen on line ${first})`);
    const fields: Record<string, string | null> = {};
    const raw: Record<string, unknown> = { ...row.values };
    for (const c of this.plan) {
      const v = this.value(c, row.values);
      if (v !== null && typeof v !== 'string') return bad(c.column, `expected text or a number, found ${v.invalid}`);
      if (c.field) fields[c.field] = v;
      else {
        delete raw[c.column];
        raw[c.attribute!] = v;
      }
    }
    return { ok: true, row: { line: row.line, externalId: id, fields, raw } };
  }
}

function checkHeader(columns: string[], mapping: BaseMapping) {
  const present = new Set(columns);
  const issues: FieldIssue[] = requiredColumns(mapping)
    .filter((c) => !present.has(c))
    .map((c) => ({ path: mapping.columns[c] ? `mapping/columns/${c}` : 'mapping/externalId/columns', message: `column "${c}" is not in the file` }));
  if (issues.length) {
    throw new ValidationError(`the file lacks ${issues.length === 1 ? 'a mapped column' : `${issues.length} mapped columns`}; its header has: ${columns.join(', ')}`, issues);
  }
  for (const [column, t] of Object.entries(mapping.columns)) {
    if (t.attribute && t.attribute !== column && present.has(t.attribute)) {
      throw new ValidationError(`attribute name "${t.attribute}" is also a column of the file`, [{ path: `mapping/columns/${column}/attribute`, message: 'clashes with a column of the file' }]);
    }
  }
}

/** Reads the header and checks the mapping against it, without reading further: a fast pre-flight for the API. */
export async function checkFileAgainstMapping(file: string, mapping: BaseMapping, nameHint?: string): Promise<Layout> {
  const layout = await detectLayout(file, mapping, nameHint);
  if (layout.format === 'csv') {
    const reader = await openRowReader(file, layout);
    reader.close();
    checkHeader(reader.columns!, mapping);
  }
  return layout;
}

/**
 * Imports one file in two passes. The validation pass reads everything (encoding, CSV structure, header, ids,
 * duplicates) and writes nothing, so a broken file, and with --on-error abort any bad row, leaves the database
 * untouched. The write pass then upserts batches, each in its own transaction: a crash keeps the batches already
 * committed, and a re-run converges because unchanged rows are no-ops.
 */
export async function runImport(req: ImportRequest): Promise<ImportSummary> {
  const started = performance.now();
  const batchSize = req.batchSize ?? defaultBatchSize(req.db);
  const { kind, mapping } = req;
  const before = await fs.promises.stat(req.file);
  const layout = await detectLayout(req.file, mapping, req.nameHint);
  const sample = { errors: [] as RowIssue[], warnings: [] as RowIssue[] };
  let warnings = 0;
  const reportError = (issue: RowIssue) => {
    if (sample.errors.length < SAMPLE_SIZE) sample.errors.push(issue);
    req.issues?.error(issue);
  };
  const reportWarning = (issue: RowIssue) => {
    warnings++;
    if (sample.warnings.length < SAMPLE_SIZE) sample.warnings.push(issue);
    req.issues?.warning(issue);
  };
  const progress = (p: Omit<ImportProgress, 'totalBytes'>) => req.onProgress?.({ ...p, totalBytes: before.size });
  const checkAborted = () => {
    if (req.signal?.aborted) throw new ConflictError('the import was interrupted; run it again to finish (re-runs are safe)');
  };

  // Pass 1: validate. Writes nothing; finds every bad row, so abort can refuse before the first batch.
  let rows = 0;
  let bad = 0;
  {
    const reader = await openRowReader(req.file, layout);
    try {
      if (reader.columns) checkHeader(reader.columns, mapping);
      const mapper = new RowMapper(mapping, kind.idField, layout.format);
      const unseen = new Set(layout.format === 'jsonl' ? requiredColumns(mapping) : []);
      for await (const source of reader.rows) {
        rows++;
        if (unseen.size) for (const c of unseen) if (c in source.values) unseen.delete(c);
        const outcome = mapper.map(source);
        const problem = outcome.ok ? kind.validate?.(outcome.row, mapping) : null;
        if (!outcome.ok || problem) {
          bad++;
          reportError(outcome.ok ? { line: source.line, field: problem!.field, reason: problem!.reason, raw: source.raw } : outcome.issue);
        }
        if (rows % YIELD_EVERY === 0) await yieldToEventLoop();
        if (rows % batchSize === 0) {
          await req.issues?.flush();
          await progress({ phase: 'validate', rows, totalRows: null, bytes: reader.bytesRead() });
          checkAborted();
        }
      }
      if (unseen.size) {
        throw new ValidationError(`no line of the file has ${[...unseen].map((c) => `"${c}"`).join(', ')}`, [...unseen].map((c) => ({ path: `mapping/columns/${c}`, message: 'never present in the file' })));
      }
    } finally {
      reader.close();
      await req.issues?.flush();
    }
  }
  if (bad && req.onError === 'abort') {
    throw new UnprocessableError(
      `${bad.toLocaleString('en-US')} bad ${bad === 1 ? 'row' : 'rows'} of ${rows.toLocaleString('en-US')}; nothing was written (--on-error abort)`,
      sample.errors.map((e) => ({ path: `line ${e.line}/${e.field}`, message: e.reason })),
    );
  }
  const validateSeconds = Math.round(performance.now() - started) / 1000;
  await progress({ phase: 'write', rows: 0, totalRows: rows - bad, bytes: 0 });

  const target = await req.target();
  const after = await fs.promises.stat(req.file);
  if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) throw new ConflictError('the file changed while it was being imported; run the import again');

  // Pass 2: write.
  const counts = { inserted: 0, updated: 0, unchanged: 0, suppressed: 0 };
  let batches = 0;
  let written = 0;
  let read = 0;
  let batch: unknown[] = [];
  const reader = await openRowReader(req.file, layout);
  const flush = async () => {
    if (!batch.length) return;
    const records = batch;
    batch = [];
    const c = await req.db.transaction((q) => kind.writeBatch(q, target, records));
    counts.inserted += c.inserted;
    counts.updated += c.updated;
    counts.unchanged += c.unchanged;
    counts.suppressed += c.suppressed ?? 0;
    written += records.length;
    batches++;
    await req.issues?.flush();
    await req.afterBatch?.(batches);
    await progress({ phase: 'write', rows: written, totalRows: rows - bad, bytes: reader.bytesRead() });
    checkAborted();
    // PGlite runs on this thread: give queued API requests a turn between batches.
    await yieldToEventLoop();
  };
  try {
    const mapper = new RowMapper(mapping, kind.idField, layout.format);
    for await (const source of reader.rows) {
      if (++read % YIELD_EVERY === 0) await yieldToEventLoop();
      const outcome = mapper.map(source);
      // Bad rows were reported by the validation pass, which ran the same deterministic checks.
      if (!outcome.ok || kind.validate?.(outcome.row, mapping)) continue;
      const prepared = kind.prepare(outcome.row, mapping);
      for (const w of prepared.warnings) reportWarning({ line: source.line, field: w.field, reason: w.message, raw: source.raw });
      batch.push(prepared.record);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    reader.close();
    await req.issues?.flush();
  }

  return {
    kind: kind.name,
    format: layout.format,
    delimiter: layout.format === 'csv' ? layout.delimiter : null,
    rowsRead: rows,
    ...counts,
    bad,
    warnings,
    batches,
    seconds: Math.round(performance.now() - started) / 1000,
    validateSeconds,
    sample,
  };
}
