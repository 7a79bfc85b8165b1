/**
 * Holdout validation in the style of Fader, Hardie & Lee (2005, figs. 2-4) and the BTYD
 * "tracking plots": fit on the calibration period, then compare the repeat purchases the model
 * expects in each holdout period with what the customers actually did.
 */
import { ValidationError } from '../../core/errors.js';
import { groupByFrequencyAge, type PurchaseModel } from './score.js';
import { checkRfData, compress, type RfData } from './summary.js';

export interface HoldoutData extends RfData {
  /** Repeat purchase days per customer in the holdout. */
  holdoutX: Float64Array;
  /** Holdout length in periods (may be fractional; the last period is then partial). */
  holdoutLength: number;
  /** Actual purchase days of all customers per holdout period k = 1..ceil(holdoutLength). */
  holdoutByPeriod: Float64Array;
}

export interface TrackingPoint {
  /** Period index k = 1..K and its end, in periods after the calibration end. */
  period: number;
  t: number;
  actual: number;
  predicted: number;
  actualCumulative: number;
  predictedCumulative: number;
}

export interface FrequencyBucket {
  /** Calibration repeat purchases; the last bucket is "this many or more". */
  x: number;
  orMore: boolean;
  customers: number;
  actualMean: number;
  predictedMean: number;
}

export interface ErrorMeasures {
  /** Mean |predicted − actual| of the cumulative curve over the periods. */
  maeCumulative: number;
  /** Mean |predicted − actual| / actual of the cumulative curve, in %, over periods with actual > 0. */
  mapeCumulative: number;
  /** Mean |predicted − actual| of the period-by-period (incremental) counts. */
  maeIncremental: number;
  /** (predicted − actual) / actual at the end of the holdout, in %. */
  totalErrorPct: number;
}

export interface HoldoutValidation {
  model: PurchaseModel['model'];
  customers: number;
  holdoutLength: number;
  tracking: TrackingPoint[];
  byFrequency: FrequencyBucket[];
  errors: ErrorMeasures;
  /** Per-customer mean absolute error of the holdout count. */
  customerMae: number;
}

export function errorMeasures(actualCumulative: ArrayLike<number>, predictedCumulative: ArrayLike<number>): ErrorMeasures {
  const n = actualCumulative.length;
  let mae = 0;
  let mape = 0;
  let mapeN = 0;
  let maeInc = 0;
  for (let k = 0; k < n; k++) {
    const a = actualCumulative[k];
    const p = predictedCumulative[k];
    mae += Math.abs(p - a);
    if (a > 0) {
      mape += Math.abs(p - a) / a;
      mapeN++;
    }
    const ai = a - (k > 0 ? actualCumulative[k - 1] : 0);
    const pi = p - (k > 0 ? predictedCumulative[k - 1] : 0);
    maeInc += Math.abs(pi - ai);
  }
  const lastA = n ? actualCumulative[n - 1] : 0;
  const lastP = n ? predictedCumulative[n - 1] : 0;
  return {
    maeCumulative: n ? mae / n : 0,
    mapeCumulative: mapeN ? (100 * mape) / mapeN : 0,
    maeIncremental: n ? maeInc / n : 0,
    totalErrorPct: lastA > 0 ? (100 * (lastP - lastA)) / lastA : 0,
  };
}

/**
 * Predicted cumulative holdout purchases at the end of period k is Σ_i E[Y_i(t_k) | x_i, t_x,i, T_i]
 * with t_k = min(k, holdoutLength): every customer is conditioned on their own calibration history.
 */
export function validateHoldout(model: PurchaseModel, data: HoldoutData, maxFrequencyBucket = 7): HoldoutValidation {
  const n = data.x.length;
  if (data.holdoutX.length !== n) throw new ValidationError('holdoutX must have one value per customer', [{ path: 'holdoutX', message: `got ${data.holdoutX.length} for ${n} customers` }]);
  if (!(data.holdoutLength > 0)) throw new ValidationError('no holdout period', [{ path: 'holdoutEnd', message: 'build the summary with a holdout end after the calibration end' }]);
  const K = data.holdoutByPeriod.length;
  checkRfData(data);
  const c = compress(data);
  const rows = c.x.length;
  const g = groupByFrequencyAge(c.x, c.T);
  // Σ_i P(alive)_i · E[Y(t) | alive, x_i, T_i]: sum the P(alive) weights per (x, T) group once.
  const groupAlive = new Float64Array(g.x.length);
  const rowAlive = new Float64Array(rows);
  for (let j = 0; j < rows; j++) {
    rowAlive[j] = model.probabilityAlive(c.x[j], c.tx[j], c.T[j]);
    groupAlive[g.groupOf[j]] += c.weight[j] * rowAlive[j];
  }
  const predictedCumulative = new Float64Array(K);
  const groupFinal = new Float64Array(g.x.length);
  for (let k = 1; k <= K; k++) {
    const t = Math.min(k, data.holdoutLength);
    let sum = 0;
    for (let q = 0; q < g.x.length; q++) {
      const e = model.expectedPurchasesIfAlive(t, g.x[q], g.T[q]);
      sum += groupAlive[q] * e;
      if (k === K) groupFinal[q] = e;
    }
    predictedCumulative[k - 1] = sum;
  }
  const rowFinal = new Float64Array(rows);
  for (let j = 0; j < rows; j++) rowFinal[j] = rowAlive[j] * groupFinal[g.groupOf[j]];
  const tracking: TrackingPoint[] = [];
  let actualCum = 0;
  const actualCumulative = new Float64Array(K);
  for (let k = 1; k <= K; k++) {
    actualCum += data.holdoutByPeriod[k - 1];
    actualCumulative[k - 1] = actualCum;
    tracking.push({
      period: k,
      t: Math.min(k, data.holdoutLength),
      actual: data.holdoutByPeriod[k - 1],
      predicted: predictedCumulative[k - 1] - (k > 1 ? predictedCumulative[k - 2] : 0),
      actualCumulative: actualCum,
      predictedCumulative: predictedCumulative[k - 1],
    });
  }

  const buckets = maxFrequencyBucket + 1;
  const cnt = new Float64Array(buckets);
  const act = new Float64Array(buckets);
  const pred = new Float64Array(buckets);
  let customerAbs = 0;
  let customers = 0;
  for (let i = 0; i < n; i++) {
    const w = data.weight ? data.weight[i] : 1;
    const bkt = Math.min(data.x[i], maxFrequencyBucket);
    const e = K > 0 ? rowFinal[c.rowOf[i]] : 0;
    cnt[bkt] += w;
    act[bkt] += w * data.holdoutX[i];
    pred[bkt] += w * e;
    customerAbs += w * Math.abs(e - data.holdoutX[i]);
    customers += w;
  }
  const byFrequency: FrequencyBucket[] = [];
  for (let b = 0; b < buckets; b++) {
    if (cnt[b] === 0) continue;
    byFrequency.push({ x: b, orMore: b === maxFrequencyBucket, customers: cnt[b], actualMean: act[b] / cnt[b], predictedMean: pred[b] / cnt[b] });
  }
  return {
    model: model.model,
    customers,
    holdoutLength: data.holdoutLength,
    tracking,
    byFrequency,
    errors: errorMeasures(actualCumulative, predictedCumulative),
    customerMae: customers ? customerAbs / customers : 0,
  };
}

/**
 * Expected cumulative repeat purchases of a whole cohort at the end of each period since the
 * cohort began, Σ_i E[X(k − b_i)] over customers already acquired (b_i < k), b_i being customer
 * i's first purchase in periods since the cohort start. Unconditional: this checks the fitted
 * population, not individual histories (the BTYD "cumulative tracking" curve).
 */
export function expectedCumulativeRepeatPurchases(model: PurchaseModel, births: ArrayLike<number>, periods: number): Float64Array {
  // Births repeat heavily (a cohort's customers arrive on a few dozen days): evaluate each once.
  const counts = new Map<number, number>();
  for (let i = 0; i < births.length; i++) counts.set(births[i], (counts.get(births[i]) ?? 0) + 1);
  const out = new Float64Array(periods);
  for (let k = 1; k <= periods; k++) {
    let sum = 0;
    for (const [b, w] of counts) if (b < k) sum += w * model.expectedPurchasesPopulation(k - b);
    out[k - 1] = sum;
  }
  return out;
}
