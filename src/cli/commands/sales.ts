import type { Command } from 'commander';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { seedSalesDemo } from '../../modules/sales/demo.js';
import { printJson, withContext } from '../context.js';

export function registerSales(program: Command) {
  const sales = program.command('sales').description('selling: webhooks out, the equipment demo');
  sales
    .command('deliver-webhooks')
    .description('send the order events that are due from the sales outbox, signed (run it from cron, or with --every)')
    .option('--every <seconds>', 'keep running, delivering every N seconds')
    .option('--json', 'print each result as JSON')
    .action(async (opts: { every?: string; json?: boolean }) => {
      await withContext(async ({ services }) => {
        const every = opts.every ? Number(opts.every) * 1000 : 0;
        for (;;) {
          const r = await services.sales.fulfilment.deliverOutbox();
          if (opts.json) printJson(r);
          else console.log(`sent ${r.sent}, failed ${r.failed} (failures are retried with backoff)`);
          if (!every) return;
          await new Promise((resolve) => setTimeout(resolve, every));
        }
      });
    });
  sales
    .command('demo')
    .description('seed an equipment division: configurable products, subcontracted components, two subcontractors, pipelines, a quote and a routed order')
    .option('--tenant <id>', 'tenant', DEFAULT_TENANT)
    .option('--customer <id>', 'golden customer for the sample quote (default: a new organisation)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { tenant: string; customer?: string; json?: boolean }) => {
      await withContext(async ({ services }) => {
        const r = await seedSalesDemo(services, { tenantId: opts.tenant, customerId: opts.customer });
        if (opts.json) return printJson(r);
        console.log(`equipment division ${r.divisionId}: price list ${r.priceList}, pipelines ${r.pipelines.join(', ')}`);
        console.log(`sample quote ${r.quoteId}${r.orderId ? `, routed order ${r.orderId}` : ''}`);
        for (const f of r.fulfillers) if (f.callbackSecret) console.log(`fulfiller ${f.code} (${f.id}) callback secret ${f.callbackSecret}`);
      });
    });
}
