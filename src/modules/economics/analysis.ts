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
import { scoreCustomers, type PurchaseModel } from './score.js';
import type { CustomerSummary, Period } from './summary.js';
import { assignTiers, decideDisposition, DEFAULT_DISPOSITION_CONFIG, type Disposition, type DispositionConfig } from './tiers.js';

export type PurchaseFit = BgNbdFit | ParetoNbdFit;

export interface EconomicsFits {
  period: Period;
  purchase: PurchaseFit;
  spend: GammaGammaFit;
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
  margin: number;
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
}

export function scoreEconomics(summary: CustomerSummary, fits: EconomicsFits, options: ScoreEconomicsOptions): CustomerEconomics[] {
  const periodsPerYear = 365.25 / summary.daysPerPeriod;
  const horizon = options.horizon ?? periodsPerYear;
  const config = options.dispositions ?? DEFAULT_DISPOSITION_CONFIG;
  const spend = gammaGammaExpectedSpendAll(fits.spend.params, summary);
  const scores = scoreCustomers(purchaseModelOf(fits.purchase), summary, horizon, {
    spend,
    options: { horizon, margin: options.margin, annualDiscountRate: options.annualDiscountRate, periodsPerYear },
  });
  const clv = scores.clv as Float64Array;
  const rfm = rfmScores({ recencyDays: summary.recencyDays, frequency: Float64Array.from(summary.x, (x) => x + 1), monetary: summary.totalValue });
  const tiers = assignTiers(clv, config);
  return summary.customerIds.map((customerId, i) => {
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
    };
  });
}
