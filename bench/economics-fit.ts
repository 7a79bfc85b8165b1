/**
 * Customer economics at scale: simulate N customers (default 1,000,000) from known BG/NBD and
 * Gamma-Gamma parameters, fit both models, and score every customer (expected purchases, P(alive),
 * expected spend, discounted CLV). Prints JSON: timings, parameter recovery error, peak RSS, and a
 * baseline measured in the same run (derivative-free Nelder-Mead on the same compressed rows, and
 * one uncompressed likelihood pass).
 *   npx tsx bench/economics-fit.ts [--customers=1000000] [--seed=1] [--grid=24] [--baseline=1] [--worker=1]
 * --grid: purchase-time grid points per day (24 = hourly; 1 = day-grained like a real event log,
 * where merging same-day purchases biases alpha upward by a few % at these parameters).
 */
import os from 'node:os';
import { bgnbdLogLikelihood, bgnbdModel, fitBgNbd, type BgNbdParams } from '../src/modules/economics/bgnbd.js';
import { fitGammaGamma, gammaGammaExpectedSpendAll, type GammaGammaParams } from '../src/modules/economics/gammaGamma.js';
import { scoreCustomers } from '../src/modules/economics/score.js';
import { simulateBgNbdGammaGamma } from '../src/modules/economics/simulate.js';
import { compress, DAYS_PER_PERIOD } from '../src/modules/economics/summary.js';
import { fitInWorker } from '../src/modules/economics/worker.js';
import { arg, peakRssMiB, round } from './lib.js';

const N = arg('customers', 1_000_000);
const SEED = arg('seed', 1);
const GRID = arg('grid', 24);
const BASELINE = arg('baseline', 1) === 1;
const WORKER = arg('worker', 1) === 1;

const TRUE_BGNBD: BgNbdParams = { r: 0.25, alpha: 4.4, a: 0.8, b: 2.4 };
const TRUE_GG: GammaGammaParams = { p: 6, q: 3.7, gamma: 15 };

const ms = (t0: number) => round(performance.now() - t0, 1);
// Wall time on a shared 2-core machine mostly measures the neighbours; process CPU time is
// printed beside it so a loaded run can still be read.
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return round((c.user + c.system) / 1000, 1);
};
function recovery<P extends object>(fitted: P, truth: P): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(truth) as (keyof P)[]) {
    out[String(k)] = round((100 * ((fitted[k] as number) - (truth[k] as number))) / (truth[k] as number), 2);
  }
  return out;
}

async function main() {
  let t0 = performance.now();
  // Weeks, a 12-week acquisition window and one year of observation, as in the CDNOW set-up.
  const sim = simulateBgNbdGammaGamma(TRUE_BGNBD, TRUE_GG, { customers: N, seed: SEED, daysPerPeriod: 7 * GRID, cohortDays: 84 * GRID, calibrationDays: 365 * GRID });
  const simulateMs = ms(t0);
  let repeatBuyers = 0;
  for (let i = 0; i < N; i++) if (sim.x[i] > 0) repeatBuyers++;

  const loadAverage = os.loadavg().map((v) => round(v, 2));
  t0 = performance.now();
  const total = performance.now();
  const cpuTotal = process.cpuUsage();
  let c0 = process.cpuUsage();
  const bg = fitBgNbd(sim);
  const fitBgNbdMs = ms(t0);
  const fitBgNbdCpuMs = cpuMs(c0);

  t0 = performance.now();
  c0 = process.cpuUsage();
  const gg = fitGammaGamma(sim);
  const fitGammaGammaMs = ms(t0);
  const fitGammaGammaCpuMs = cpuMs(c0);

  t0 = performance.now();
  c0 = process.cpuUsage();
  const spend = gammaGammaExpectedSpendAll(gg.params, sim);
  const scores = scoreCustomers(bgnbdModel(bg.params), sim, 52, {
    spend,
    options: { horizon: 52, margin: 0.3, annualDiscountRate: 0.1, periodsPerYear: 365.25 / DAYS_PER_PERIOD.week },
  });
  const scoreMs = ms(t0);
  const scoreCpuMs = cpuMs(c0);
  const totalMs = ms(total);
  const totalCpuMs = cpuMs(cpuTotal);

  let clvSum = 0;
  let aliveSum = 0;
  for (let i = 0; i < N; i++) {
    clvSum += scores.clv?.[i] ?? 0;
    aliveSum += scores.probabilityAlive[i];
  }

  const baseline: Record<string, unknown> = {};
  const c = compress(sim);
  c0 = process.cpuUsage();
  bgnbdLogLikelihood(bg.params, sim);
  baseline.uncompressedLogLikelihoodPassCpuMs = cpuMs(c0);
  c0 = process.cpuUsage();
  bgnbdLogLikelihood(bg.params, c);
  baseline.compressedLogLikelihoodPassCpuMs = cpuMs(c0);
  if (BASELINE) {
    // The derivative-free route the gradient replaces, on the same compressed rows.
    t0 = performance.now();
    c0 = process.cpuUsage();
    const nm = fitBgNbd(c, { method: 'nelder-mead' });
    baseline.nelderMeadBgNbd = { ms: ms(t0), cpuMs: cpuMs(c0), evaluations: nm.evaluations, converged: nm.converged, logLikelihoodDiff: round(nm.logLikelihood - bg.logLikelihood, 6) };
  }

  let worker: Record<string, unknown> | undefined;
  if (WORKER) {
    // The same fit in a worker thread, with a timer on the main thread proving it stays responsive.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    t0 = performance.now();
    const fit = await fitInWorker({ model: 'bgnbd', x: c.x.slice(), tx: c.tx.slice(), T: c.T.slice(), weight: c.weight.slice() });
    const elapsed = ms(t0);
    clearInterval(timer);
    worker = { fitBgNbdMs: elapsed, mainThreadTicks10ms: ticks, sameResult: Math.abs(fit.logLikelihood - bg.logLikelihood) < 1e-6 * Math.abs(bg.logLikelihood) };
  }

  console.log(
    JSON.stringify(
      {
        bench: 'economics-fit',
        customers: N,
        repeatBuyers,
        distinctRows: c.x.length,
        gridPerDay: GRID,
        node: process.version,
        loadAverageAtStart: loadAverage,
        timingsMs: { simulate: simulateMs, fitBgNbd: fitBgNbdMs, fitGammaGamma: fitGammaGammaMs, scoreAll: scoreMs, fitBothAndScore: totalMs },
        cpuMs: { fitBgNbd: fitBgNbdCpuMs, fitGammaGamma: fitGammaGammaCpuMs, scoreAll: scoreCpuMs, fitBothAndScore: totalCpuMs },
        targetMs: 10_000,
        withinTarget: totalMs <= 10_000,
        bgnbd: { params: bg.params, converged: bg.converged, evaluations: bg.evaluations, recoveryErrorPct: recovery(bg.params, TRUE_BGNBD) },
        gammaGamma: { params: gg.params, converged: gg.converged, evaluations: gg.evaluations, customers: gg.customers, recoveryErrorPct: recovery(gg.params, TRUE_GG) },
        scores: { meanClv: round(clvSum / N, 2), meanProbabilityAlive: round(aliveSum / N, 4) },
        baseline,
        worker,
        peakRssMiB: peakRssMiB(),
      },
      null,
      2,
    ),
  );
}

await main();
