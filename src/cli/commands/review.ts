import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { printJson, withContext } from '../context.js';

interface FieldContribution {
  comparison: string;
  level: string;
  weight: number;
}

export function registerReview(program: Command) {
  const review = program.command('review').description('the queue of pairs the matcher was unsure about');
  review
    .command('list')
    .description('pending pairs, most uncertain first, with the weight each field contributed')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print as JSON')
    .action(async (opts: { limit: string; json?: boolean }) => {
      await withContext(async ({ services, db }) => {
        const pairs = await services.resolution.listReviewPairs(systemActor(DEFAULT_TENANT), { status: 'pending', limit: Math.min(200, Number(opts.limit) || 20) });
        if (opts.json) return printJson(pairs);
        if (!pairs.length) return console.log('No pairs waiting for review.');
        for (const p of pairs as { id: string; record_a: string; record_b: string; match_probability: number; explanation: { fields?: FieldContribution[] } }[]) {
          const names = await db.query<{ id: string; label: string }>(
            `SELECT r.id, concat_ws(' ', s.code, r.external_id, '·', coalesce(nullif(concat_ws(' ', r.given_name, r.family_name), ''), r.full_name), r.date_of_birth::text) AS label
               FROM source_records r JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id WHERE r.id = ANY($1::uuid[])`,
            [[p.record_a, p.record_b]],
          );
          const label = (id: string) => names.find((n) => n.id === id)?.label ?? id;
          console.log(`${p.id}  p=${p.match_probability.toFixed(3)}`);
          console.log(`  A ${label(p.record_a)}\n  B ${label(p.record_b)}`);
          const fields = (p.explanation.fields ?? []).filter((f) => f.level !== 'null');
          console.log(`  ${fields.map((f) => `${f.comparison}:${f.level} ${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(1)}`).join('  ')}`);
        }
        console.log('\nDecide with: rapport review accept|reject <pair id> [--reason "..."]');
      });
    });
  for (const verdict of ['accept', 'reject'] as const) {
    review
      .command(`${verdict} <pairId>`)
      .description(verdict === 'accept' ? 'the two records are the same person: merge their customers' : 'the two records are different people: keep them apart for good')
      .option('--reason <text>', 'why, for the history')
      .option('--json', 'print the outcome as JSON')
      .action(async (pairId: string, opts: { reason?: string; json?: boolean }) => {
        await withContext(async ({ services }) => {
          const out = await services.resolution.reviewPair(systemActor(DEFAULT_TENANT), pairId, verdict, opts.reason ?? null);
          if (opts.json) return printJson(out);
          console.log(`${verdict}ed: ${out.applied}${'customerId' in out && out.customerId ? ` (customer ${out.customerId})` : ''}`);
        });
      });
  }
}
