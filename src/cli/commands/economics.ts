import { Option, type Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { printJson, withContext } from '../context.js';
import { progressBar } from '../progress.js';
import { CLI_MODELS, type CliModel, type FitReport, type RunReport } from '../../modules/economics/service.js';
import type { Period } from '../../modules/economics/summary.js';

const PERIODS = ['day', 'week', 'month'];

function warn(warnings: string[]) {
  for (const w of warnings) console.error(`warning: ${w}`);
}

export function registerEconomics(program: Command) {
  const economics = program.command('economics').description('customer economics: fit the purchase and spend models, score every customer, validate on a holdout');

  economics
    .command('fit')
    .description('fit one model by maximum likelihood and print its parameters')
    .addOption(new Option('--model <model>', 'bgnbd, pareto-nbd or gamma-gamma').choices([...CLI_MODELS]).makeOptionMandatory())
    .addOption(new Option('--period <unit>', 'time unit of the model').choices(PERIODS).default('week'))
    .requiredOption('--calibration-end <date>', 'last day whose purchases the fit sees (YYYY-MM-DD)')
    .option('--source <code>', "fit on one source system's own customer records (default: golden customers)")
    .option('--json', 'print {"model", "params", "logLikelihood", "customers", ...} as JSON')
    .action(async (opts: { model: CliModel; period: Period; calibrationEnd: string; source?: string; json?: boolean }) => {
      await withContext(async ({ services }) => {
        const bar = progressBar('Fitting', { quiet: opts.json });
        let report: FitReport;
        try {
          report = await services.economics.fit(systemActor(DEFAULT_TENANT), { model: opts.model, period: opts.period, calibrationEnd: opts.calibrationEnd, source: opts.source }, (d, t) => bar.update(d, t));
        } finally {
          bar.stop();
        }
        warn(report.warnings);
        if (opts.json) return printJson(report);
        const params = Object.entries(report.params).map(([k, v]) => `${k} ${v.toPrecision(6)}`).join(', ');
        console.log(`${report.model} on ${report.customers.toLocaleString('en-US')} customers (${report.source ? `source ${report.source}` : 'golden customers'}, ${report.period}s, calibration end ${report.calibrationEnd})`);
        console.log(`  ${params}`);
        console.log(`  log-likelihood ${report.logLikelihood.toFixed(2)}, ${report.converged ? 'converged' : 'DID NOT CONVERGE'} after ${report.iterations} iterations (fit ${report.fitId})`);
      });
    });

  economics
    .command('score')
    .description('score every golden customer: fit BG/NBD and Gamma-Gamma, then CLV, P(alive), tiers, dispositions, RFM and profit, stored with the model version')
    .option('--as-of <date>', 'calibration end: purchases up to this day count (default today)')
    .option('--json', 'print the run report as JSON')
    .action(async (opts: { asOf?: string; json?: boolean }) => {
      await withContext(async ({ services }) => {
        const bar = progressBar('Scoring customers (%)', { quiet: opts.json });
        let report: RunReport;
        try {
          report = await services.economics.score(systemActor(DEFAULT_TENANT), { asOf: opts.asOf }, (d, t) => bar.update(d, t));
        } finally {
          bar.stop();
        }
        warn(report.warnings);
        if (opts.json) return printJson(report);
        const n = (x: number) => x.toLocaleString('en-US');
        const p = report.fits.purchase;
        console.log(`Scored ${n(report.customers)} customers as of ${report.calibrationEnd} in ${report.seconds} s (run ${report.runId}, ${report.modelVersion})`);
        console.log(`  ${n(report.scored)} with purchases, ${n(report.withoutPurchases)} without`);
        console.log(`  ${p.model}: ${Object.entries(p.params).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ')}${p.converged ? '' : ' (did not converge)'}`);
        if (report.fits.spend) console.log(`  gamma-gamma: ${Object.entries(report.fits.spend.params).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ')}`);
        console.log(`  tiers: ${Object.entries(report.tiers).map(([k, v]) => `${k} ${n(v)}`).join(', ')}`);
        console.log(`  dispositions: ${Object.entries(report.dispositions).map(([k, v]) => `${k} ${n(v)}`).join(', ')}`);
      });
    });

  economics
    .command('validate')
    .description('fit on purchases up to the calibration end, then compare predicted and actual repeat purchases period by period')
    .requiredOption('--calibration-end <date>', 'end of the calibration period (YYYY-MM-DD)')
    .option('--holdout-end <date>', 'end of the holdout (default: the last purchase day)')
    .addOption(new Option('--model <model>', 'purchase model').choices(['bgnbd', 'pareto-nbd']).default('bgnbd'))
    .addOption(new Option('--period <unit>', 'time unit (default: the settings)').choices(PERIODS))
    .option('--source <code>', "validate on one source system's own customer records")
    .option('--json', 'print the comparison as JSON')
    .action(async (opts: { calibrationEnd: string; holdoutEnd?: string; model: 'bgnbd' | 'pareto-nbd'; period?: Period; source?: string; json?: boolean }) => {
      await withContext(async ({ services }) => {
        const v = await services.economics.validate(systemActor(DEFAULT_TENANT), opts);
        warn(v.warnings);
        if (opts.json) return printJson(v);
        console.log(`${v.model}: calibration to ${v.calibrationEnd}, holdout to ${v.holdoutEnd} (${v.holdoutLength.toFixed(2)} ${v.period}s), ${v.customers.toLocaleString('en-US')} customers`);
        console.log(`${'period'.padStart(6)} ${'actual'.padStart(10)} ${'predicted'.padStart(10)} ${'cum actual'.padStart(11)} ${'cum pred'.padStart(10)} ${'error %'.padStart(8)}`);
        for (const t of v.tracking) {
          const err = t.actualCumulative > 0 ? ((100 * (t.predictedCumulative - t.actualCumulative)) / t.actualCumulative).toFixed(1) : '';
          console.log(`${String(t.period).padStart(6)} ${t.actual.toFixed(0).padStart(10)} ${t.predicted.toFixed(1).padStart(10)} ${t.actualCumulative.toFixed(0).padStart(11)} ${t.predictedCumulative.toFixed(1).padStart(10)} ${err.padStart(8)}`);
        }
        const e = v.errors;
        console.log(`MAE cumulative ${e.maeCumulative.toFixed(2)}, MAPE cumulative ${e.mapeCumulative.toFixed(2)} %, MAE per period ${e.maeIncremental.toFixed(2)}, error at the end ${e.totalErrorPct.toFixed(2)} %`);
      });
    });
}
