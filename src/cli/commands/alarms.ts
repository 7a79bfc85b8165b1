import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { ValidationError } from '../../core/errors.js';
import { ALARM_KINDS } from '../../modules/service/schema.js';
import { printJson, withContext } from '../context.js';
import { progressBar } from '../progress.js';

export function registerAlarms(program: Command) {
  program
    .command('alarms')
    .description('run the neglect-alarm job and list the customers who need attention, each with the reason')
    .option('--no-run', 'only list the alarms already raised')
    .option('--kind <kind>', `only one kind: ${ALARM_KINDS.join(', ')}`)
    .option('--limit <n>', 'how many alarms to list', '50')
    .option('--tenant <id>', 'tenant', DEFAULT_TENANT)
    .option('--json', 'print the run summary and the alarms as JSON')
    .action(async (opts: { run: boolean; kind?: string; limit: string; tenant: string; json?: boolean }) => {
      if (opts.kind && !(ALARM_KINDS as readonly string[]).includes(opts.kind)) throw new ValidationError(`--kind must be one of ${ALARM_KINDS.join(', ')}`);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ValidationError('--limit must be a whole number from 1 to 500');
      await withContext(async ({ services }) => {
        let run = null;
        if (opts.run) {
          const bar = progressBar('Looking for neglect', { quiet: opts.json });
          run = await services.service.alarms.run(opts.tenant, {}, (d, t) => bar.update(d, t ?? undefined));
          bar.stop();
        }
        const page = await services.service.alarms.list(systemActor(opts.tenant), { kind: opts.kind as (typeof ALARM_KINDS)[number] | undefined, limit });
        if (opts.json) return printJson({ run, alarms: page.items.map((a) => ({ ...a, customerPath: `/api/v1/customers/${a.customerId}/360` })) });
        if (run) {
          const raised = Object.entries(run.raised).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
          console.log(`checked ${run.customers.toLocaleString('en-US')} customers and ${run.complaintsChecked} overdue complaints in ${run.seconds} s: ${raised}; ${run.newAlarms} new, ${run.resolved} resolved`);
        }
        if (!page.items.length) return console.log('no open alarms');
        for (const a of page.items) console.log(`${a.severity.padEnd(8)} ${a.kind.padEnd(17)} customer ${a.customerId}  ${a.reason}`);
        if (page.nextCursor) console.log(`… more: rapport alarms --no-run --limit ${Math.min(500, limit * 2)}`);
      });
    });
}
