import type { Command } from 'commander';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { ValidationError } from '../../core/errors.js';
import { printJson, withContext } from '../context.js';
import { progressBar } from '../progress.js';

export function registerSla(program: Command) {
  const sla = program.command('sla').description('service levels: the SLA check');
  sla
    .command('check')
    .description('read every case whose SLA timers may have changed, store warnings and breaches, and escalate (as the scheduled job does)')
    .option('--full', 're-read every open case, not only those due (after a calendar or policy correction)')
    .option('--now <iso>', 'check as of this instant instead of now (for rehearsals)')
    .option('--tenant <id>', 'tenant to check', DEFAULT_TENANT)
    .option('--json', 'print the result as JSON')
    .action(async (opts: { full?: boolean; now?: string; tenant: string; json?: boolean }) => {
      const now = opts.now ? new Date(opts.now) : undefined;
      if (now && Number.isNaN(now.getTime())) throw new ValidationError(`--now ${opts.now} is not an ISO date-time`);
      await withContext(async ({ services }) => {
        const bar = progressBar('Checking SLAs', { quiet: opts.json });
        const r = await services.service.sla.run(opts.tenant, { full: opts.full, now }, (d, t) => bar.update(d, t ?? undefined));
        bar.stop();
        if (opts.json) return printJson(r);
        const n = (x: number) => x.toLocaleString('en-US');
        console.log(`examined ${n(r.examined)} cases in ${r.seconds} s (${r.chunks} chunks), ${n(r.changed)} changed`);
        console.log(`  warnings ${n(r.warnings)}, breaches ${n(r.breaches)}, priority raised ${n(r.priorityRaised)}, reassigned ${n(r.reassigned)}, notifications ${n(r.notifications)}`);
      });
    });
}
