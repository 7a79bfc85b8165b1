import fs from 'node:fs';
import { once } from 'node:events';
import { parse } from 'csv-parse';

/** A bad row or a normalisation warning, located in the input file. */
export interface RowIssue {
  line: number;
  field: string;
  reason: string;
  /** The record as it appeared in the file. */
  raw: string;
}

export interface IssueSink {
  error(issue: RowIssue): void;
  warning(issue: RowIssue): void;
  /** Called between batches so buffered issues reach disk with bounded memory. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const ISSUE_COLUMNS = ['line', 'field', 'reason', 'raw'] as const;

function csvCell(value: string | number): string {
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Appends issues to a CSV file (line, field, reason, raw), header first. */
export class IssueCsvWriter {
  private readonly stream: fs.WriteStream;
  private buffer: string[] = [];
  private failed: Error | null = null;

  constructor(readonly file: string) {
    this.stream = fs.createWriteStream(file, { encoding: 'utf8' });
    this.stream.on('error', (err) => {
      this.failed = err;
    });
    this.buffer.push(`${ISSUE_COLUMNS.join(',')}\n`);
  }

  add(issue: RowIssue) {
    this.buffer.push(`${issue.line},${csvCell(issue.field)},${csvCell(issue.reason)},${csvCell(issue.raw)}\n`);
  }

  async flush() {
    if (this.failed) throw this.failed;
    if (!this.buffer.length) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close() {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/** Errors and warnings to two optional CSV files. */
export function issueFiles(paths: { errors?: string; warnings?: string }): IssueSink {
  const errors = paths.errors ? new IssueCsvWriter(paths.errors) : null;
  const warnings = paths.warnings ? new IssueCsvWriter(paths.warnings) : null;
  return {
    error: (i) => errors?.add(i),
    warning: (i) => warnings?.add(i),
    async flush() {
      await errors?.flush();
      await warnings?.flush();
    },
    async close() {
      await errors?.close();
      await warnings?.close();
    },
  };
}

/** Reads back a page of an issue file written by IssueCsvWriter. */
export async function readIssues(file: string, offset: number, limit: number): Promise<{ items: RowIssue[]; total: number }> {
  const items: RowIssue[] = [];
  let total = 0;
  const parser = fs.createReadStream(file).pipe(parse({ columns: true, relax_column_count: false }));
  for await (const rec of parser as AsyncIterable<Record<string, string>>) {
    if (total >= offset && items.length < limit) items.push({ line: Number(rec.line), field: rec.field, reason: rec.reason, raw: rec.raw });
    total++;
  }
  return { items, total };
}
