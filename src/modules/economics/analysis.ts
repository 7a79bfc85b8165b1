/**
 * The whole economics pass over one customer base, still pure: summary → fitted purchase and
 * spend models → per-customer expected purchases, P(alive), expected spend, CLV, RFM segment,
 * value tier and disposition with reasons. The service, CLI and API call these two functions.
 */
import { bgnbdModel, fitBgNbd, type BgNbdFit } from './bgnbd.js';
import type { FitOptions } from './fit.js';
import { fitGammaGamma, gammaGammaExpectedSpendAll, type GammaGammaFit } from './gammaGamma.js';
import { fitParetoNbd, paretoNbdModel, type ParetoNbdFit } from './paretoNbd.js';
import { rfmScores, type RfmSegment } from './rfm.js';
import { scoreCustomers, type CustomerScores, type PurchaseModel } from './score.js';
import type { WalletEstimate } from './wallet.js';
import type { ScoreRequest } from './worker.js';
import type { CustomerSummary, Period } from './summary.js';
import { assignTiers, decideDisposition, DEFAULT_DISPOSITION_CONFIG, type Disposition, type DispositionConfig } from './tiers.js';

export type PurchaseFit = BgNbdFit | ParetoNbdFit;

export interface EconomicsFits {
  period: Period;
  purchase: PurchaseFit;
  /** Null when no customer has a repeat purchase with a value (CLV then uses each customer's own mean spend). */
  spend: GammaGammaFit | null;
}

export interface FitEconomicsOptions {
  purchaseModel?: 'bgnbd' | 'paretoNbd';
  fit?: FitOptions;
}

export function fitEconomics(summary: CustomerSummary, options: FitEconomicsOptions = {}): EconomicsFits {
  const purchase = options.purchaseModel === 'paretoNbd' ? fitParetoNbd(summary, options.fit) : fitBgNbd(summary, options.fit);
  return { period: summary.period, purchase, spend: fitGammaGamma(summary, options.fit) };
}

export function purchaseModelOf(fit: PurchaseFit): PurchaseModel {
  return fit.model === 'bgnbd' ? bgnbdModel(fit.params) : paretoNbdModel(fit.params);
}

export interface ScoreEconomicsOptions {
  /** Horizon for expected purchases and CLV, in the summary's periods (default: one year). */
  horizon?: number;
  /** Margin on revenue in [0, 1]: one for everyone, or one per customer in summary order (a mix of products). */
  margin: number | ArrayLike<number>;
  annualDiscountRate: number;
  dispositions?: DispositionConfig;
}

export interface CustomerEconomics {
  customerId: string;
  x: number;
  tx: number;
  T: number;
  expectedPurchases: number;
  probabilityAlive: number;
  expectedSpend: number;
  clv: number;
  rfm: { r: number; f: number; m: number; segment: RfmSegment };
  tier: string;
  disposition: Disposition;
  reasons: string[];
  wallet?: WalletEstimate;
}

export function scoreEconomics(summary: CustomerSummary, fits: EconomicsFits, options: ScoreEconomicsOptions): CustomerEconomics[] {
  return scoreBook(summary, fits, options).scored;
}

/**
 * What `scoreCustomers` needs, for a worker thread (`scoreInWorker`): copies of the columns (the worker takes
 * them), and the spend per purchase already multiplied by each customer's margin, so that one CLV formula
 * with margin 1 gives every customer their own margin.
 */
export function scoreRequest(summary: CustomerSummary, fits: EconomicsFits, options: ScoreEconomicsOptions): ScoreRequest {
  const { spend, horizon, periodsPerYear } = spendAndHorizon(summary, fits, options);
  const margined = new Float64Array(spend.length);
  for (let i = 0; i < spend.length; i++) margined[i] = spend[i] * marginOf(options.margin, i);
  const base = { x: summary.x.slice(), tx: summary.tx.slice(), T: summary.T.slice(), horizon, clv: { spend: margined, options: { horizon, margin: 1, annualDiscountRate: options.annualDiscountRate, periodsPerYear } } };
  return fits.purchase.model === 'bgnbd' ? { ...base, model: 'bgnbd', params: fits.purchase.params } : { ...base, model: 'paretoNbd', params: fits.purchase.params };
}

function marginOf(margin: number | ArrayLike<number>, i: number): number {
  return typeof margin === 'number' ? margin : margin[i];
}

/**
 * Expected spend per purchase. Gamma-Gamma's mean is infinite for q <= 1 (a spend distribution with a very heavy
 * tail, as a bank's mix of fees and mortgage margins can be): then each customer's own mean per purchase day is
 * used instead, with a warning, rather than no CLV at all.
 */
function spendAndHorizon(summary: CustomerSummary, fits: EconomicsFits, options: ScoreEconomicsOptions) {
  const periodsPerYear = 365.25 / summary.daysPerPeriod;
  const horizon = options.horizon ?? periodsPerYear;
  const warnings: string[] = [];
  let spend: Float64Array;
  if (fits.spend && fits.spend.params.q > 1) spend = gammaGammaExpectedSpendAll(fits.spend.params, summary);
  else {
    spend = Float64Array.from(summary.totalValue, (v, i) => v / (summary.x[i] + 1));
    warnings.push(
      fits.spend
        ? `Gamma-Gamma q = ${fits.spend.params.q.toPrecision(3)} <= 1 (infinite mean spend): CLV uses each customer's own mean spend per purchase day`
        : "no Gamma-Gamma fit: CLV uses each customer's own mean spend per purchase day",
    );
  }
  return { spend, horizon, periodsPerYear, warnings };
}

export interface ScoreBookOptions extends ScoreEconomicsOptions {
  /** Customers with no purchase by the calibration end: ranked into tiers with CLV 0, without model figures. */
  withoutPurchases?: readonly string[];
  /**
   * Share-of-wallet estimates, given every customer's tier (peers are the customers of the same tier, so the
   * estimate can only be made once tiers are ranked); their wallet gap feeds the disposition rules.
   */
  wallets?: (tiers: ReadonlyMap<string, string>) => ReadonlyMap<string, WalletEstimate>;
}

export interface UnscoredCustomer {
  customerId: string;
  clv: 0;
  tier: string;
  disposition: Disposition;
  reasons: string[];
  wallet?: WalletEstimate;
}

/**
 * The whole customer base: model scores (computed here, or passed in from `scoreInWorker` with `scoreRequest`)
 * for customers with purchases, then tiers ranked over everyone, customers without purchases included at CLV 0,
 * so that "top 1 %" means 1 % of the book.
 */
export function scoreBook(
  summary: CustomerSummary,
  fits: EconomicsFits,
  options: ScoreBookOptions,
  precomputed?: CustomerScores,
): { scored: CustomerEconomics[]; unscored: UnscoredCustomer[]; warnings: string[] } {
  const config = options.dispositions ?? DEFAULT_DISPOSITION_CONFIG;
  const { spend, warnings } = spendAndHorizon(summary, fits, options);
  let scores = precomputed;
  if (!scores) {
    const req = scoreRequest(summary, fits, options);
    scores = scoreCustomers(purchaseModelOf(fits.purchase), req, req.horizon, req.clv);
  }
  const clv = scores.clv as Float64Array;
  const n = summary.customerIds.length;
  const others = options.withoutPurchases ?? [];
  const allClv = new Float64Array(n + others.length);
  allClv.set(clv);
  const tiers = assignTiers(allClv, config);
  const wallets = options.wallets?.(new Map([...summary.customerIds, ...others].map((id, i) => [id, tiers[i]])));
  const rfm = rfmScores({ recencyDays: summary.recencyDays, frequency: Float64Array.from(summary.x, (x) => x + 1), monetary: summary.totalValue });
  const scored = summary.customerIds.map((customerId, i) => {
    const decision = decideDisposition(
      {
        clv: clv[i],
        tier: tiers[i],
        probabilityAlive: scores.probabilityAlive[i],
        expectedPurchases: scores.expectedPurchases[i],
        expectedSpend: spend[i],
        frequency: summary.x[i],
        recencyDays: summary.recencyDays[i],
        tenureDays: Math.round(summary.T[i] * summary.daysPerPeriod),
        walletGap: wallets?.get(customerId)?.walletGap,
        segment: rfm.segment[i],
      },
      config,
    );
    return {
      customerId,
      x: summary.x[i],
      tx: summary.tx[i],
      T: summary.T[i],
      expectedPurchases: scores.expectedPurchases[i],
      probabilityAlive: scores.probabilityAlive[i],
      expectedSpend: spend[i],
      clv: clv[i],
      rfm: { r: rfm.r[i], f: rfm.f[i], m: rfm.m[i], segment: rfm.segment[i] },
      tier: tiers[i],
      disposition: decision.disposition,
      reasons: decision.reasons,
      wallet: wallets?.get(customerId),
    };
  });
  const unscored = others.map((customerId, k): UnscoredCustomer => {
    const tier = tiers[n + k];
    const wallet = wallets?.get(customerId);
    const decision = decideDisposition({ clv: 0, tier, probabilityAlive: Number.NaN, walletGap: wallet?.walletGap }, config);
    return { customerId, clv: 0, tier, disposition: decision.disposition, reasons: [`no purchase recorded by ${summary.calibrationEnd}`, ...decision.reasons], wallet };
  });
  return { scored, unscored, warnings };
}
