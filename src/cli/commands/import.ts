import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { ValidationError } from '../../core/errors.js';
import { printJson, withContext } from '../context.js';
import { progressBar, type Progress } from '../progress.js';
import { IMPORT_KIND_NAMES, kindAndMapping } from '../../modules/identity/import/kinds.js';
import { parseMappingJson } from '../../modules/identity/import/mapping.js';
import { runImport, type ImportProgress, type ImportSummary, type OnError } from '../../modules/identity/import/importer.js';
import { issueFiles } from '../../modules/identity/import/issues.js';
import { planTarget } from '../../modules/identity/import/target.js';

interface ImportFlags {
  source: string;
  division?: string;
  map: string;
  onError: OnError;
  kind?: string;
  errorsOut?: string;
  warningsOut?: string;
  batchSize?: string;
  json?: boolean;
}

export function registerImport(program: Command) {
  program
    .command('import')
    .description("import a division's records from CSV/TSV or JSON Lines; re-running the same file changes nothing")
    .argument('<file>', 'the file to import')
    .requiredOption('--source <code>', 'source system the records come from (created on first import)')
    .option('--division <name>', 'division that owns the source (needed when the source is new)')
    .requiredOption('--map <mapping.json>', 'mapping file: {"columns": {"<input column>": "<canonical field>"}} (see identity/import/README.md)')
    .addOption(new Option('--on-error <mode>', 'bad rows: skip them, or abort and write nothing').choices(['skip', 'abort']).default('skip'))
    .addOption(new Option('--kind <kind>', 'what the rows are (default: the mapping\'s "kind", else persons)').choices(IMPORT_KIND_NAMES))
    .option('--errors-out <file>', 'write bad rows as CSV (line, field, reason, raw)')
    .option('--warnings-out <file>', 'write normalisation warnings as CSV (line, field, reason, raw)')
    .option('--batch-size <n>', 'rows per transaction (default 1000 on PGlite, 5000 on PostgreSQL)')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: ImportFlags) => {
      const batchSize = opts.batchSize === undefined ? undefined : Number(opts.batchSize);
      if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)) throw new ValidationError('--batch-size must be a whole number from 1 to 100000');
      let mappingText: string;
      try {
        mappingText = fs.readFileSync(opts.map, 'utf8');
      } catch (err) {
        throw new ValidationError(`cannot read the mapping file ${opts.map}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      // Mapping and file mistakes are reported before the database is even opened.
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new ValidationError(`file not found: ${file}`);
      const { kind, mapping } = kindAndMapping(parseMappingJson(mappingText, `mapping ${path.basename(opts.map)}`), opts.kind);

      await withContext(async ({ db, services }) => {
        const actor = systemActor(DEFAULT_TENANT);
        const target = await planTarget(services.org, actor, { source: opts.source, division: opts.division });
        const issues = issueFiles({ errors: opts.errorsOut, warnings: opts.warningsOut });
        const bars = new Bars(Boolean(opts.json));
        try {
          const summary = await runImport({ db, kind, file, mapping, nameHint: file, onError: opts.onError, target, issues, batchSize, onProgress: (p) => bars.update(p) });
          bars.stop();
          if (opts.json) printJson(summary);
          else printSummary(file, opts, summary);
        } finally {
          bars.stop();
          await issues.close();
        }
      });
    });
}

/** One bar per pass: bytes while validating, rows while writing. */
class Bars {
  private bar: Progress | null = null;
  private phase: ImportProgress['phase'] | null = null;
  constructor(private readonly quiet: boolean) {}

  update(p: ImportProgress) {
    if (p.phase !== this.phase) {
      this.bar?.stop();
      this.phase = p.phase;
      this.bar = progressBar(p.phase === 'validate' ? 'validating (bytes)' : 'importing (rows)', { quiet: this.quiet });
    }
    if (p.phase === 'validate') this.bar!.update(p.bytes, p.totalBytes);
    else this.bar!.update(p.rows, p.totalRows ?? undefined);
  }

  stop() {
    this.bar?.stop();
    this.bar = null;
  }
}

function printSummary(file: string, opts: ImportFlags, s: ImportSummary) {
  const n = (v: number) => v.toLocaleString('en-US').padStart(12);
  const how = s.format === 'csv' ? `csv, delimiter ${JSON.stringify(s.delimiter)}` : 'json lines';
  console.log(`${path.basename(file)} (${how}) -> source ${opts.source}`);
  console.log(`  rows read  ${n(s.rowsRead)}`);
  console.log(`  inserted   ${n(s.inserted)}`);
  console.log(`  updated    ${n(s.updated)}`);
  console.log(`  unchanged  ${n(s.unchanged)}`);
  if (s.suppressed) console.log(`  suppressed ${n(s.suppressed)}  (erased people: their rows are not re-created)`);
  console.log(`  bad        ${n(s.bad)}${s.bad ? (opts.errorsOut ? `  (all in ${opts.errorsOut})` : '  (skipped; --errors-out FILE lists them all)') : ''}`);
  console.log(`  warnings   ${n(s.warnings)}${s.warnings && opts.warningsOut ? `  (all in ${opts.warningsOut})` : ''}`);
  console.log(`  seconds    ${s.seconds.toFixed(2).padStart(12)}`);
  const show = (label: string, items: ImportSummary['sample']['errors'], total: number) => {
    if (!items.length) return;
    console.log(`${label}${total > items.length ? ` (first ${items.length} of ${total})` : ''}:`);
    for (const i of items) console.log(`  line ${i.line}  ${i.field}: ${i.reason}`);
  };
  show('bad rows', s.sample.errors, s.bad);
  show('warnings', s.sample.warnings, s.warnings);
}
