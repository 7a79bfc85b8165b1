/**
 * A preview of an upload read in the browser: format, delimiter, header and the first rows, decided the way the
 * server's reader decides them (src/modules/identity/import/readers.ts), so the columns offered for mapping are
 * the ones the server will see. Only the start of the file is read; the server still validates all of it.
 */

export type FileFormat = 'csv' | 'tsv' | 'jsonl';

export interface FilePreview {
  format: FileFormat;
  /** For csv/tsv; null for JSON Lines. */
  delimiter: string | null;
  columns: string[];
  /** The first rows, one value per column ('' when absent). */
  rows: string[][];
  /** True when the sample ended before the file did: `rows` is not every row. */
  truncated: boolean;
}

export const PREVIEW_BYTES = 64 * 1024;
const DELIMITERS = [',', '\t', ';', '|'];

export function formatFromName(name: string): FileFormat | undefined {
  const ext = name.toLowerCase().match(/\.[a-z0-9]+$/)?.[0];
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.csv') return 'csv';
  return undefined;
}

export function sniffDelimiter(firstLine: string): string {
  const counts = new Map(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** RFC 4180 records from text; a record cut off by the end of the sample is dropped when `partial`. */
export function parseDelimited(text: string, delimiter: string, partial: boolean, maxRows: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    if (!(row.length === 1 && row[0] === '')) rows.push(row.map((v) => v.trim()));
    row = [];
    field = '';
  };
  while (i < text.length && rows.length < maxRows) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (text.startsWith(delimiter, i)) {
      row.push(field);
      field = '';
      i += delimiter.length;
      continue;
    } else if (ch === '\n' || ch === '\r') {
      endRow();
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
    } else field += ch;
    i += 1;
  }
  if (rows.length < maxRows && !partial && (field !== '' || row.length)) endRow();
  return rows;
}

/**
 * Reads a preview from the first bytes of a file. `complete` says the sample is the whole file (so the last
 * line is not cut off). Throws with a reader-friendly message when nothing usable is found.
 */
export function previewFile(sample: string, fileName: string, complete: boolean, maxRows = 8): FilePreview {
  const text = sample.replace(/^\uFEFF/, '');
  if (!text.trim()) throw new Error('The file is empty.');
  const format = formatFromName(fileName) ?? (text.trimStart().startsWith('{') ? 'jsonl' : 'csv');
  if (format === 'jsonl') return previewJsonLines(text, complete, maxRows);
  const delimiter = format === 'tsv' ? '\t' : sniffDelimiter(text.split(/\r?\n/, 1)[0] ?? '');
  const [header, ...rows] = parseDelimited(text, delimiter, !complete, maxRows + 1);
  if (!header || header.every((h) => !h)) throw new Error('The first line should name the columns, but it is empty.');
  const columns = header.map((h, i) => h || `column ${i + 1}`);
  return { format, delimiter, columns, rows: rows.map((r) => columns.map((_, i) => r[i] ?? '')), truncated: !complete || rows.length >= maxRows };
}

function previewJsonLines(text: string, complete: boolean, maxRows: number): FilePreview {
  const lines = text.split(/\r?\n/);
  if (!complete) lines.pop();
  const objects: Record<string, unknown>[] = [];
  for (const line of lines) {
    if (objects.length >= maxRows) break;
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) objects.push(value as Record<string, unknown>);
    } catch {
      // A bad line is the server's to report, with its line number; the preview shows the good ones.
    }
  }
  if (!objects.length) throw new Error('No line of this file is a JSON object.');
  const columns = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  const show = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return { format: 'jsonl', delimiter: null, columns, rows: objects.map((o) => columns.map((c) => show(o[c]))), truncated: !complete || lines.filter((l) => l.trim()).length > maxRows };
}

export function describeLayout(p: Pick<FilePreview, 'format' | 'delimiter'>): string {
  if (p.format === 'jsonl') return 'JSON Lines';
  const names: Record<string, string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', '|': 'pipe' };
  return `${p.format === 'tsv' ? 'TSV' : 'CSV'}, ${names[p.delimiter ?? ','] ?? `“${p.delimiter}”`}-separated`;
}
