import fs from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { ValidationError } from '../../core/errors.js';
import { withContext } from '../context.js';

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function registerExport(program: Command) {
  program
    .command('export <what>')
    .description('export "links" (one row per source record: source, external_id, customer_id, match probability, method) or "customers" (golden profiles)')
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (what: string, opts: { format: string; out?: string }) => {
      if (!['links', 'customers'].includes(what)) throw new ValidationError(`cannot export "${what}": choose links or customers`);
      if (!['csv', 'jsonl'].includes(opts.format)) throw new ValidationError(`unknown format "${opts.format}": choose csv or jsonl`);
      await withContext(async ({ services }) => {
        const out = opts.out ? fs.createWriteStream(opts.out) : process.stdout;
        const write = (line: string) => new Promise<void>((resolve) => (out.write(line) ? resolve() : out.once('drain', () => resolve())));
        const rows =
          what === 'links'
            ? (async function* () {
                for await (const r of services.resolution.exportLinks(DEFAULT_TENANT)) {
                  yield { source: r.source, external_id: r.external_id, customer_id: r.customer_id, match_probability: r.match_probability, method: r.method, rule: r.rule };
                }
              })()
            : services.resolution.exportCustomers(DEFAULT_TENANT);
        let header: string[] | null = null;
        let count = 0;
        for await (const row of rows as AsyncIterable<Record<string, unknown>>) {
          if (opts.format === 'jsonl') await write(`${JSON.stringify(row)}\n`);
          else {
            if (!header) {
              header = Object.keys(row);
              await write(`${header.join(',')}\n`);
            }
            await write(`${header.map((k) => csvCell(row[k])).join(',')}\n`);
          }
          count++;
        }
        if (opts.out) {
          await new Promise<void>((resolve) => (out as fs.WriteStream).end(resolve));
          console.error(`wrote ${count.toLocaleString('en-US')} ${what} to ${opts.out}`);
        }
      });
    });
}
