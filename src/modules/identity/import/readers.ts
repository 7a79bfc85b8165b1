import fs from 'node:fs';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { UnprocessableError, ValidationError } from '../../../core/errors.js';
import type { BaseMapping } from './mapping.js';

/** How a file is read: decided once from the mapping, the file name and the first bytes. */
export interface Layout {
  format: 'csv' | 'jsonl';
  delimiter: string;
  quote: string;
  encoding: 'utf8' | 'latin1';
  trim: boolean;
}

/** One record as read. `problem` marks a row that is structurally bad (wrong field count, not JSON). */
export interface SourceRow {
  /** 1-based physical line where the record starts. */
  line: number;
  /** The record's text as it appeared in the file (for the error file). */
  raw: string;
  values: Record<string, unknown>;
  problem?: string;
}

export interface RowReader {
  /** The header row (CSV), or null for JSON Lines where each row names its own keys. */
  columns: string[] | null;
  rows: AsyncIterable<SourceRow>;
  bytesRead(): number;
  close(): void;
}

const SAMPLE_BYTES = 64 * 1024;
/** An unclosed quote would otherwise buffer the rest of the file into one field. */
const MAX_RECORD_CHARS = 1_000_000;
/** A physical line longer than this is not a record of a division's export (and would otherwise be buffered whole). */
const MAX_LINE_BYTES = 16 * 2 ** 20;
const DELIMITER_CANDIDATES = [',', '\t', ';', '|'];

export function formatFromName(name: string | undefined): 'csv' | 'tsv' | 'jsonl' | undefined {
  const ext = name ? path.extname(name).toLowerCase() : '';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.csv') return 'csv';
  return undefined;
}

/** The delimiter that occurs most often outside quotes in the first line; ',' when nothing else does. */
export function sniffDelimiter(firstLine: string, quote = '"'): string {
  const counts = new Map<string, number>(DELIMITER_CANDIDATES.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === quote) quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** Decides format and delimiter. `nameHint` is only used to choose among known extensions, never as a path. */
export async function detectLayout(file: string, mapping: BaseMapping, nameHint?: string): Promise<Layout> {
  const sample = await readSample(file);
  if (sample.length === 0) throw new UnprocessableError('the file is empty');
  const text = sample.toString(mapping.encoding === 'latin1' ? 'latin1' : 'utf8').replace(/^\uFEFF/, '');
  const declared = mapping.format ?? formatFromName(nameHint) ?? (text.trimStart().startsWith('{') ? 'jsonl' : 'csv');
  const base = { quote: mapping.quote, encoding: mapping.encoding, trim: mapping.trim };
  if (declared === 'jsonl') return { ...base, format: 'jsonl', delimiter: '' };
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = mapping.delimiter ?? (declared === 'tsv' ? '\t' : sniffDelimiter(firstLine, mapping.quote));
  return { ...base, format: 'csv', delimiter };
}

async function readSample(file: string): Promise<Buffer> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ValidationError(code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file}: ${code ?? (err as Error).message}`);
  }
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SAMPLE_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function countNewlines(buf: Buffer, end = buf.length): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

function invalidUtf8(lineNo: number): UnprocessableError {
  return new UnprocessableError(`line ${lineNo} is not valid UTF-8; if the file is Latin-1, set "encoding": "latin1" in the mapping`, [
    { path: `line ${lineNo}`, message: 'invalid UTF-8 byte sequence' },
  ]);
}

/**
 * Bytes to text, line-aligned. UTF-8 is checked strictly (a lenient decoder would turn bad bytes into U+FFFD and
 * store them); the check runs on whole lines so a failure names its line (multi-byte sequences never contain \n).
 */
export async function* decodeLines(input: AsyncIterable<Buffer>, encoding: 'utf8' | 'latin1', counter: { bytes: number }): AsyncGenerator<string> {
  let pending: Buffer = Buffer.alloc(0);
  let lineBase = 1;
  let first = true;
  const check = (buf: Buffer) => {
    if (encoding !== 'utf8' || isUtf8(buf)) return;
    let start = 0;
    for (let line = lineBase; ; line++) {
      const nl = buf.indexOf(10, start);
      const end = nl === -1 ? buf.length : nl;
      if (!isUtf8(buf.subarray(start, end))) throw invalidUtf8(line);
      if (nl === -1) break;
      start = nl + 1;
    }
    throw invalidUtf8(lineBase);
  };
  for await (const chunk of input) {
    counter.bytes += chunk.length;
    let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    if (first) {
      if (buf.length < 3) {
        pending = buf;
        continue;
      }
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      first = false;
    }
    const lastNl = buf.lastIndexOf(10);
    if (lastNl === -1) {
      if (buf.length > MAX_LINE_BYTES) throw new UnprocessableError(`line ${lineBase} is longer than ${MAX_LINE_BYTES / 2 ** 20} MiB; is this a text file?`, [{ path: `line ${lineBase}`, message: 'line too long' }]);
      pending = buf;
      continue;
    }
    const complete = buf.subarray(0, lastNl + 1);
    check(complete);
    lineBase += countNewlines(complete);
    // Copy the tail so the (possibly large) chunk it came from can be collected.
    pending = Buffer.from(buf.subarray(lastNl + 1));
    yield complete.toString(encoding);
  }
  if (first && pending.length >= 3 && pending[0] === 0xef && pending[1] === 0xbb && pending[2] === 0xbf) pending = pending.subarray(3);
  if (pending.length) {
    check(pending);
    yield pending.toString(encoding);
  }
}

export async function openRowReader(file: string, layout: Layout): Promise<RowReader> {
  const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  const counter = { bytes: 0 };
  const text = decodeLines(stream, layout.encoding, counter);
  const close = () => stream.destroy();
  if (layout.format === 'jsonl') return { columns: null, rows: jsonLines(text), bytesRead: () => counter.bytes, close };
  const records = csvRecords(text, layout)[Symbol.asyncIterator]();
  // Ending the generator runs its finally (which tears down the parser pipe) even when the caller stops early.
  const closeCsv = () => {
    void records.return(undefined).catch(() => undefined);
    close();
  };
  let first: IteratorResult<CsvRecord>;
  try {
    first = await records.next();
  } catch (err) {
    close();
    throw err;
  }
  if (first.done) {
    close();
    throw new UnprocessableError('the file has no header row');
  }
  let columns: string[];
  try {
    columns = headerColumns(first.value.fields);
  } catch (err) {
    closeCsv();
    throw err;
  }
  const rows = (async function* () {
    for (;;) {
      const next = await records.next();
      if (next.done) return;
      const { fields, line, raw } = next.value;
      if (fields.length !== columns.length) {
        yield { line, raw, values: {}, problem: `expected ${columns.length} fields, found ${fields.length}` };
        continue;
      }
      const values: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) values[columns[i]] = fields[i];
      yield { line, raw, values };
    }
  })();
  return { columns, rows, bytesRead: () => counter.bytes, close: closeCsv };
}

function headerColumns(fields: string[]): string[] {
  const seen = new Set<string>();
  return fields.map((f, i) => {
    const name = f === '' ? `column_${i + 1}` : f;
    if (seen.has(name)) throw new UnprocessableError(`column "${name}" appears twice in the header row`, [{ path: 'line 1', message: `duplicate column "${name}"` }]);
    seen.add(name);
    return name;
  });
}

interface CsvRecord {
  fields: string[];
  line: number;
  raw: string;
}

async function* csvRecords(text: AsyncIterable<string>, layout: Layout): AsyncGenerator<CsvRecord> {
  const parser = parse({
    delimiter: layout.delimiter,
    quote: layout.quote,
    trim: layout.trim,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const source = Readable.from(text, { objectMode: false });
  let sourceError: unknown = null;
  source.on('error', (err) => {
    sourceError = err;
    parser.destroy(err);
  });
  source.pipe(parser);
  let lastLine = 0;
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
      // info.lines is where the record ends; raw carries skipped blank lines before it and its line break after.
      const body = rec.raw.replace(/^(?:\r?\n)+/, '').replace(/\r?\n$/, '');
      let inner = 0;
      for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) inner++;
      lastLine = rec.info.lines;
      yield { fields: rec.record, line: rec.info.lines - inner, raw: body.replace(/\r$/, '') };
    }
  } catch (err) {
    throw sourceError ?? csvFailure(err, lastLine + 1);
  } finally {
    source.destroy();
  }
}

const CSV_REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_MAX_RECORD_SIZE: `a record is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters (an unclosed quote?)`,
  CSV_INVALID_CLOSING_QUOTE: 'text follows the closing quote of a field',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows the closing quote of a field',
  CSV_INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted field',
};

/** A structural CSV error makes every later record suspect, so it fails the whole file rather than one row. */
function csvFailure(err: unknown, nextRecordLine: number): unknown {
  if (!(err instanceof CsvError)) return err;
  const reported = (err as CsvError & { lines?: number }).lines;
  // An unclosed quote is only noticed at the end of the file: name the line where the broken record starts.
  const line = err.code === 'CSV_QUOTE_NOT_CLOSED' || err.code === 'CSV_MAX_RECORD_SIZE' ? nextRecordLine : (reported ?? nextRecordLine);
  const reason = CSV_REASONS[err.code] ?? err.message;
  return new UnprocessableError(`malformed CSV at line ${line}: ${reason}`, [{ path: `line ${line}`, message: CSV_REASONS[err.code] ? err.code : err.message }]);
}

async function* jsonLines(text: AsyncIterable<string>): AsyncGenerator<SourceRow> {
  let carry = '';
  let line = 0;
  const toRow = (rawLine: string): SourceRow | null => {
    line++;
    const raw = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (!raw.trim()) return null;
    try {
      const value: unknown = JSON.parse(raw);
      if (!value || typeof value !== 'object' || Array.isArray(value)) return { line, raw, values: {}, problem: 'the line is not a JSON object' };
      return { line, raw, values: value as Record<string, unknown> };
    } catch (err) {
      return { line, raw, values: {}, problem: `invalid JSON: ${(err as Error).message}` };
    }
  };
  for await (const chunk of text) {
    const parts = (carry + chunk).split('\n');
    carry = parts.pop() ?? '';
    for (const part of parts) {
      const row = toRow(part);
      if (row) yield row;
    }
  }
  if (carry) {
    const row = toRow(carry);
    if (row) yield row;
  }
}
