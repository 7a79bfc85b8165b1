import fs from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { ValidationError } from '../../core/errors.js';
import { printJson, withContext } from '../context.js';

export function registerPrivacy(program: Command) {
  const privacy = program.command('privacy').description('data-subject requests: export everything held about a person, or erase them');
  privacy
    .command('export <id>')
    .description('everything held about one person (golden customer id or source record id) as JSON')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--tenant <id>', 'tenant', DEFAULT_TENANT)
    .action(async (id: string, opts: { out?: string; tenant: string }) => {
      await withContext(async ({ services }) => {
        const data = await services.privacy.export(systemActor(opts.tenant), id);
        if (!opts.out) return printJson(data);
        fs.writeFileSync(opts.out, `${JSON.stringify(data, null, 2)}\n`);
        const tables = Object.values(data.data).flatMap((c) => Object.entries(c ?? {}));
        console.error(`wrote ${tables.reduce((n, [, rows]) => n + rows.length, 0)} rows from ${tables.length} tables (+${data.audit.length} audit entries) about ${data.subject.customerId} to ${opts.out}`);
      });
    });
  privacy
    .command('erase <id>')
    .description('anonymise one person everywhere (figures kept, re-import suppressed); needs --yes')
    .requiredOption('--request <ref>', 'the data-subject request this answers (ticket or letter reference)')
    .option('--yes', 'really erase: this cannot be undone')
    .option('--tenant <id>', 'tenant', DEFAULT_TENANT)
    .action(async (id: string, opts: { request: string; yes?: boolean; tenant: string }) => {
      if (!opts.yes) throw new ValidationError('erasure cannot be undone: add --yes to go ahead');
      await withContext(async ({ services }) => printJson(await services.privacy.erase(systemActor(opts.tenant), id, opts.request)));
    });
}
