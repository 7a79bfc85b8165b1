/**
 * Customer economics as a service: fits the purchase and spend models on imported transactions, scores every
 * golden customer (CLV, P(alive), tier, disposition, RFM, profit) and stores the results with the run and model
 * version they came from; answers for one customer, for the book, and for the lookups sales and service use.
 * Fits and scores run in worker threads (worker.ts) so that the API keeps answering during a run.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { and, desc, eq } from 'drizzle-orm';
import type { Actor } from '../../core/actor.js';
import type { Database } from '../../core/db/engine.js';
import { decodeCursor, encodeCursor } from '../../core/http/pagination.js';
import { ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from '../../core/errors.js';
import type { CustomerService } from '../identity/service.js';
import type { OrgService } from '../org/service.js';
import type { CustomerEconomicsLookup } from '../sales/economics.js';
import type { CustomerValueLookup, ValueTrend } from '../service/value.js';
import { purchaseModelOf, scoreBook, scoreRequest, type EconomicsFits, type PurchaseFit } from './analysis.js';
import type { BgNbdFit } from './bgnbd.js';
import type { ModelName } from './fit.js';
import type { GammaGammaFit } from './gammaGamma.js';
import type { ParetoNbdFit } from './paretoNbd.js';
import { bookProfitability, whaleCurve, type ContactSums, type CustomerProfit, type TransactionSums } from './profitability.js';
import { caseSums, daysBefore, endOfDay, eventLog, heldFamilies, interactionSums, productFamilies, purchaseSpan, scopeKeys, transactionSums, unresolvedBuyers, type CustomerScope } from './reads.js';
import { estimateWallets, type CategoryRevenue, type WalletEstimate } from './wallet.js';
import { customerEconomics, economicsFits, economicsRuns, economicsSettings } from './schema.js';
import { DEFAULT_SETTINGS, dispositionsOf, economicsSettingsSchema, type EconomicsSettings } from './settings.js';
import { buildSummary, dayToIso, DAYS_PER_PERIOD, mergeSummaries, type CustomerSummary, type Period } from './summary.js';
import { validateHoldout, type HoldoutValidation } from './validate.js';
import { fitInWorker, scoreInWorker, type FitRequest } from './worker.js';

/** Bumped when a change to the models or the scoring pass changes stored results. */
export const MODEL_VERSION = 'rapport-economics/2';

export const CLI_MODELS = ['bgnbd', 'pareto-nbd', 'gamma-gamma'] as const;
export type CliModel = (typeof CLI_MODELS)[number];
const INTERNAL: Record<CliModel, ModelName> = { bgnbd: 'bgnbd', 'pareto-nbd': 'paretoNbd', 'gamma-gamma': 'gammaGamma' };
const EXTERNAL: Record<ModelName, CliModel> = { bgnbd: 'bgnbd', paretoNbd: 'pareto-nbd', gammaGamma: 'gamma-gamma' };
export const cliModelName = (m: ModelName): CliModel => EXTERNAL[m];

export type Progress = (done: number, total: number, phase: string) => void | Promise<void>;

export interface FitInput {
  model: CliModel;
  period: Period;
  calibrationEnd: string;
  /** Fit on this source system's own records instead of golden customers. */
  source?: string;
}

export interface FitReport {
  model: CliModel;
  params: Record<string, number>;
  logLikelihood: number;
  customers: number;
  converged: boolean;
  iterations: number;
  warnings: string[];
  period: Period;
  calibrationEnd: string;
  source: string | null;
  /** Customers in the summary (Gamma-Gamma fits only those with a repeat purchase). */
  customersInSummary: number;
  fitId: string;
}

export interface ValidateInput {
  calibrationEnd: string;
  /** Default: the last purchase day in scope. */
  holdoutEnd?: string;
  model?: Exclude<CliModel, 'gamma-gamma'>;
  period?: Period;
  source?: string;
}

export interface ScoreInput {
  /** The calibration end: purchases up to this day count (default today, UTC). */
  asOf?: string;
  signal?: AbortSignal;
}

export interface RunReport {
  runId: string;
  modelVersion: string;
  calibrationEnd: string;
  period: Period;
  customers: number;
  scored: number;
  withoutPurchases: number;
  fits: { purchase: FitSummary; spend: FitSummary | null };
  tiers: Record<string, number>;
  dispositions: Record<string, number>;
  warnings: string[];
  seconds: number;
  /** Seconds per phase (reading, fitting, summing, scoring, writing). */
  timings: Record<string, number>;
}

type FitSummary = Pick<FitReport, 'model' | 'params' | 'logLikelihood' | 'customers' | 'converged' | 'warnings'>;

const todayUtc = () => new Date().toISOString().slice(0, 10);
const WRITE_BATCH = 500;
/** Customers per read: each query then takes about 0.1-0.2 s on PGlite (some 17k demo-bank transactions). */
const READ_CHUNK = 150;

function requireIsoDate(value: string, path: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new ValidationError(`${path} must be a date YYYY-MM-DD`, [{ path, message: `got ${JSON.stringify(value)}` }]);
  }
  return value;
}

/** A number for storage: NaN and ±Infinity become null and are counted, never stored silently. */
class FiniteGuard {
  replaced = 0;
  v(x: number | null | undefined): number | null {
    if (x === null || x === undefined) return null;
    if (Number.isFinite(x)) return x;
    this.replaced++;
    return null;
  }
}

export class EconomicsService {
  /** For sales pricing: tier and yearly profit of a customer, or null before the first run. */
  readonly pricingLookup: CustomerEconomicsLookup;
  /** For service routing, SLAs and alarms: tiers, and P(alive) and spend trends. */
  readonly valueLookup: CustomerValueLookup;

  constructor(
    private readonly db: Database,
    private readonly deps: { customers: CustomerService; org: OrgService },
  ) {
    this.pricingLookup = {
      profileOf: async (tenantId, customerId) => {
        const [row] = await this.db.query<{ tier: string; profit: number }>('SELECT tier, profit FROM customer_economics WHERE tenant_id = $1 AND customer_id = $2', [tenantId, customerId]);
        return row ? { tier: asValueTier(row.tier), profitability: row.profit } : null;
      },
    };
    this.valueLookup = {
      tierOf: async (tenantId, customerIds) => {
        const out = new Map(customerIds.map((id) => [id, 'rest' as const] as [string, ReturnType<typeof asValueTier>]));
        if (!customerIds.length) return out;
        const rows = await this.db.query<{ id: string; tier: string }>('SELECT customer_id::text AS id, tier FROM customer_economics WHERE tenant_id = $1 AND customer_id = ANY($2::uuid[])', [tenantId, customerIds]);
        for (const r of rows) out.set(r.id, asValueTier(r.tier));
        return out;
      },
      trendsOf: async (tenantId, customerIds) => {
        const out = new Map<string, ValueTrend>();
        if (!customerIds.length) return out;
        const rows = await this.db.query<{ id: string; p: number | null; pp: number | null; spend: number; prev: number }>(
          `SELECT customer_id::text AS id, probability_alive AS p, probability_alive_previous AS pp, spend_recent AS spend, spend_previous AS prev
             FROM customer_economics WHERE tenant_id = $1 AND customer_id = ANY($2::uuid[])`,
          [tenantId, customerIds],
        );
        for (const r of rows) {
          const t: ValueTrend = { spend: r.spend, spendPrevious: r.prev };
          if (r.p !== null) t.pAlive = r.p;
          if (r.pp !== null) t.pAlivePrevious = r.pp;
          out.set(r.id, t);
        }
        return out;
      },
    };
  }

  // ---- settings -------------------------------------------------------------------------------------------

  async settings(tenantId: string): Promise<EconomicsSettings> {
    const [row] = await this.db.orm.select().from(economicsSettings).where(eq(economicsSettings.tenantId, tenantId));
    if (!row) return DEFAULT_SETTINGS;
    const parsed = economicsSettingsSchema.safeParse(row.settings);
    // A stored document that no longer parses (a removed key) falls back to defaults key by key rather than failing every run.
    return parsed.success ? parsed.data : { ...DEFAULT_SETTINGS, ...economicsSettingsSchema.partial().catch({}).parse(row.settings) };
  }

  async updateSettings(actor: Actor, input: unknown): Promise<EconomicsSettings> {
    if (!actor.can('economics', 'admin')) throw new ForbiddenError('only administrators change the economics settings');
    const result = economicsSettingsSchema.safeParse(input);
    if (!result.success) {
      throw new ValidationError('invalid economics settings', result.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('/'), message: i.message })));
    }
    await this.db.orm
      .insert(economicsSettings)
      .values({ tenantId: actor.tenantId, settings: result.data as Record<string, unknown> })
      .onConflictDoUpdate({ target: economicsSettings.tenantId, set: { settings: result.data as Record<string, unknown>, updatedAt: new Date() } });
    return result.data;
  }

  // ---- fit and validate -----------------------------------------------------------------------------------

  private async scopeOf(actor: Actor, source: string | undefined): Promise<CustomerScope> {
    if (!source) return { kind: 'golden' };
    const system = await this.deps.org.getSourceSystemByCode(actor, source);
    if (!system || (actor.divisionIds && !actor.divisionIds.includes(system.divisionId))) throw new NotFoundError('source', source);
    return { kind: 'source', sourceSystemId: system.id };
  }

  /**
   * The summary of every customer in scope up to the calibration end (and the holdout, for validation), read and
   * built chunk by chunk of customers: on PGlite each query runs on the API's thread, so none may be long. With
   * `earlierEnd`, also the summary as it stood then, for the P(alive) trend.
   */
  private async readSummary(
    tenantId: string,
    scope: CustomerScope,
    kinds: readonly string[],
    o: { calibrationEnd: string; period: Period; holdoutEnd?: string; earlierEnd?: string; signal?: AbortSignal; progress?: (done: number, total: number) => Promise<void> | void },
  ): Promise<{ summary: CustomerSummary; earlier: CustomerSummary | null; warnings: string[] }> {
    const keys = await scopeKeys(this.db, tenantId, scope);
    const parts: CustomerSummary[] = [];
    const earlierParts: CustomerSummary[] = [];
    let buyers = 0;
    for (let k = 0; k < keys.length; k += READ_CHUNK) {
      if (o.signal?.aborted) throw new UnprocessableError('the run was interrupted');
      const log = await eventLog(this.db, tenantId, scope, keys.slice(k, k + READ_CHUNK), o.holdoutEnd ?? o.calibrationEnd, kinds);
      buyers += new Set(log.map((t) => t.customerId)).size;
      // A chunk whose customers all started after the calibration end adds nobody (buildSummary would refuse it).
      if (log.some((t) => (t.date as string) <= o.calibrationEnd)) parts.push(buildSummary(log, { calibrationEnd: o.calibrationEnd, period: o.period, ...(o.holdoutEnd ? { holdoutEnd: o.holdoutEnd } : {}) }));
      if (o.earlierEnd && log.some((t) => (t.date as string) <= o.earlierEnd!)) earlierParts.push(buildSummary(log, { calibrationEnd: o.earlierEnd, period: o.period }));
      await o.progress?.(Math.min(keys.length, k + READ_CHUNK), keys.length);
      await yieldToEventLoop();
    }
    const unlinked = scope.kind === 'golden' ? await unresolvedBuyers(this.db, tenantId) : 0;
    const warnings: string[] = [];
    if (unlinked) warnings.push(`${unlinked} customer records with transactions are not resolved into customers yet and are left out (run rapport resolve)`);
    if (!parts.length) {
      const span = await purchaseSpan(this.db, tenantId, scope, kinds);
      if (!span.first && unlinked) {
        throw new ValidationError('no transaction belongs to a golden customer yet', [{ path: 'source', message: `${unlinked} customer records with transactions wait to be resolved: run rapport resolve (or fit one source with --source)` }]);
      }
      if (!span.first) throw new ValidationError('there are no transactions to fit on', [{ path: 'source', message: 'import transactions first: rapport import FILE --kind transactions' }]);
      throw new ValidationError('the calibration end is before the first purchase', [{ path: 'calibrationEnd', message: `${o.calibrationEnd} is before the earliest purchase (${span.first})` }]);
    }
    const summary = mergeSummaries(parts);
    // Each chunk reports its own late starters; one count for the whole scope reads better.
    const late = buyers - summary.customerIds.length;
    summary.warnings = summary.warnings.filter((w) => w.path !== 'calibrationEnd');
    if (late > 0) summary.warnings.push({ path: 'calibrationEnd', message: `${late} customers first purchased after ${o.calibrationEnd} and are left out of the summary` });
    warnings.push(...summary.warnings.map((w) => w.message));
    return { summary, earlier: earlierParts.length ? mergeSummaries(earlierParts) : null, warnings };
  }

  /** Fits one model, in a worker thread, on golden customers or on one source's records; the fit is stored. */
  async fit(actor: Actor, input: FitInput, progress?: Progress): Promise<FitReport> {
    if (!actor.can('economics', 'read')) throw new ForbiddenError('you may not fit economics models');
    const calibrationEnd = requireIsoDate(input.calibrationEnd, 'calibrationEnd');
    const scope = await this.scopeOf(actor, input.source);
    const settings = await this.settings(actor.tenantId);
    await progress?.(0, 3, 'reading transactions');
    const { summary, warnings } = await this.readSummary(actor.tenantId, scope, settings.eventKinds, { calibrationEnd, period: input.period });
    await progress?.(1, 3, `fitting ${input.model}`);
    const fit = await fitModel(INTERNAL[input.model], summary);
    await progress?.(2, 3, 'storing the fit');
    const fitId = await this.storeFit(actor.tenantId, null, fit, summary, scope);
    await progress?.(3, 3, 'done');
    return {
      model: input.model,
      params: { ...fit.params },
      logLikelihood: fit.logLikelihood,
      customers: fit.customers,
      converged: fit.converged,
      iterations: fit.iterations,
      warnings: [...warnings, ...fit.warnings],
      period: input.period,
      calibrationEnd,
      source: input.source ?? null,
      customersInSummary: summary.customerIds.length,
      fitId,
    };
  }

  /** Fits on the calibration period and compares predicted with actual repeat purchases in the holdout, period by period. */
  async validate(actor: Actor, input: ValidateInput): Promise<HoldoutValidation & { params: Record<string, number>; logLikelihood: number; converged: boolean; calibrationEnd: string; holdoutEnd: string; period: Period; warnings: string[] }> {
    if (!actor.can('economics', 'read')) throw new ForbiddenError('you may not validate economics models');
    const calibrationEnd = requireIsoDate(input.calibrationEnd, 'calibrationEnd');
    const scope = await this.scopeOf(actor, input.source);
    const settings = await this.settings(actor.tenantId);
    const period = input.period ?? settings.period;
    const span = await purchaseSpan(this.db, actor.tenantId, scope, settings.eventKinds);
    const holdoutEnd = input.holdoutEnd ? requireIsoDate(input.holdoutEnd, 'holdoutEnd') : span.last;
    if (!holdoutEnd || holdoutEnd <= calibrationEnd) {
      throw new ValidationError('nothing to validate against: no purchase after the calibration end', [{ path: 'holdoutEnd', message: `the last purchase is ${span.last ?? 'none'}; choose an earlier calibration end` }]);
    }
    const { summary, warnings } = await this.readSummary(actor.tenantId, scope, settings.eventKinds, { calibrationEnd, period, holdoutEnd });
    const fit = (await fitModel(INTERNAL[input.model ?? 'bgnbd'], summary)) as PurchaseFit;
    const v = validateHoldout(purchaseModelOf(fit), summary);
    return { ...v, params: { ...fit.params }, logLikelihood: fit.logLikelihood, converged: fit.converged, calibrationEnd, holdoutEnd, period, warnings: [...warnings, ...fit.warnings] };
  }

  private async storeFit(tenantId: string, runId: string | null, fit: BgNbdFit | ParetoNbdFit | GammaGammaFit, summary: CustomerSummary, scope: CustomerScope): Promise<string> {
    const values = Object.values(fit.params);
    if (!Number.isFinite(fit.logLikelihood) || values.some((v) => !Number.isFinite(v))) {
      throw new UnprocessableError(`the ${EXTERNAL[fit.model]} fit ended without a finite likelihood`, [{ path: 'fit', message: fit.warnings.join('; ') || 'non-finite parameters' }]);
    }
    const [row] = await this.db.orm
      .insert(economicsFits)
      .values({
        tenantId,
        runId,
        model: fit.model,
        modelVersion: MODEL_VERSION,
        sourceSystemId: scope.kind === 'source' ? scope.sourceSystemId : null,
        period: summary.period,
        calibrationEnd: summary.calibrationEnd,
        params: { ...fit.params },
        logLikelihood: fit.logLikelihood,
        customers: Math.round(fit.customers),
        converged: fit.converged,
        iterations: fit.iterations,
        warnings: fit.warnings,
      })
      .returning({ id: economicsFits.id });
    return row.id;
  }

  async listFits(actor: Actor, limit = 20) {
    if (!actor.can('economics', 'read')) throw new ForbiddenError('you may not read economics fits');
    const rows = await this.db.orm.select().from(economicsFits).where(eq(economicsFits.tenantId, actor.tenantId)).orderBy(desc(economicsFits.createdAt), desc(economicsFits.id)).limit(limit);
    return rows.map((r) => ({ ...r, model: EXTERNAL[r.model] }));
  }

  // ---- scoring ----------------------------------------------------------------------------------------------

  /**
   * Scores every active golden customer as of `asOf`: fits the purchase model and Gamma-Gamma on all customers'
   * purchases (transactions of all their source records), projects CLV at each customer's own margin, ranks tiers
   * over the whole book, decides dispositions, sums profit per division, and replaces the stored results.
   */
  async score(actor: Actor, input: ScoreInput = {}, progress?: Progress): Promise<RunReport> {
    if (!actor.can('economics', 'admin')) throw new ForbiddenError('only administrators score the customer base');
    const started = performance.now();
    const tenantId = actor.tenantId;
    const settings = await this.settings(tenantId);
    const calibrationEnd = requireIsoDate(input.asOf ?? todayUtc(), 'asOf');
    if (calibrationEnd > todayUtc()) throw new ValidationError('asOf is in the future', [{ path: 'asOf', message: `${calibrationEnd} is after today` }]);
    const period = settings.period;
    const [run] = await this.db.orm
      .insert(economicsRuns)
      .values({ tenantId, modelVersion: MODEL_VERSION, period, calibrationEnd, settings: settings as unknown as Record<string, unknown> })
      .returning({ id: economicsRuns.id });
    const runId = run.id;
    const timings: Record<string, number> = {};
    let phaseStarted = performance.now();
    let currentPhase = '';
    const step = (done: number, phase: string) => {
      if (phase !== currentPhase) {
        const now = performance.now();
        if (currentPhase) timings[currentPhase] = Math.round(now - phaseStarted) / 1000;
        currentPhase = phase;
        phaseStarted = now;
      }
      return progress?.(done, 100, phase);
    };
    try {
      await step(0, 'reading transactions');
      const scope: CustomerScope = { kind: 'golden' };
      const earlierEnd = dayToIso(Date.parse(`${calibrationEnd}T00:00:00Z`) / 86_400_000 - settings.trendDays);
      const { summary, earlier, warnings } = await this.readSummary(tenantId, scope, settings.eventKinds, {
        calibrationEnd,
        period,
        earlierEnd,
        signal: input.signal,
        progress: (d, t) => step(Math.round((15 * d) / Math.max(1, t)), 'reading transactions'),
      });
      const customerIds = await scopeKeys(this.db, tenantId, scope);
      const inSummary = new Set(summary.customerIds);
      const withoutPurchases = customerIds.filter((id) => !inSummary.has(id));

      await step(15, 'fitting the models');
      const purchaseName = INTERNAL[settings.purchaseModel];
      const [purchase, spend] = await Promise.all([
        fitModel(purchaseName, summary) as Promise<PurchaseFit>,
        (fitModel('gammaGamma', summary) as Promise<GammaGammaFit>).catch((err: unknown) => {
          if (err instanceof ValidationError) {
            warnings.push(`no Gamma-Gamma fit: ${err.issues[0]?.message ?? err.message}`);
            return null;
          }
          throw err;
        }),
      ]);
      warnings.push(...purchase.warnings, ...(spend?.warnings ?? []));
      const fits: EconomicsFits = { period, purchase, spend };

      await step(45, 'summing revenue and costs');
      const end = endOfDay(calibrationEnd);
      const windows = { end, profitFrom: daysBefore(end, settings.profitWindowDays), recentFrom: daysBefore(end, settings.trendDays), previousFrom: daysBefore(end, 2 * settings.trendDays) };
      const revenue: TransactionSums[] = [];
      const contacts: ContactSums[] = [];
      const cases: ContactSums[] = [];
      const held: { customerId: string; category: string }[] = [];
      for (let k = 0; k < customerIds.length; k += READ_CHUNK) {
        if (input.signal?.aborted) throw new UnprocessableError('the run was interrupted');
        const chunk = customerIds.slice(k, k + READ_CHUNK);
        revenue.push(...(await transactionSums(this.db, tenantId, windows, chunk)));
        contacts.push(...(await interactionSums(this.db, tenantId, windows, chunk)));
        cases.push(...(await caseSums(this.db, tenantId, windows, chunk)));
        held.push(...(await heldFamilies(this.db, tenantId, chunk)));
        await step(45 + Math.round((10 * Math.min(customerIds.length, k + READ_CHUNK)) / customerIds.length), 'summing revenue and costs');
        await yieldToEventLoop();
      }
      const book = bookProfitability(revenue, contacts, cases, settings);
      const margins = Float64Array.from(summary.customerIds, (id) => book.customers.get(id)?.marginRatio ?? settings.defaultMargin);

      await step(55, 'scoring customers');
      const horizon = (settings.horizonMonths * (365.25 / 12)) / DAYS_PER_PERIOD[period];
      const holdings = familyRevenue(held, revenue, await productFamilies(this.db, tenantId));
      const wallets = (tiers: ReadonlyMap<string, string>) => estimateWallets(tiers, holdings, { minPeerAdoption: settings.walletPeerAdoption });
      const scoreOptions = { horizon, margin: margins, annualDiscountRate: settings.annualDiscountRate, dispositions: dispositionsOf(settings), withoutPurchases, wallets };
      const scores = await scoreInWorker(scoreRequest(summary, fits, scoreOptions));
      const result = scoreBook(summary, fits, scoreOptions, scores);
      warnings.push(...result.warnings);
      const previous = earlierProbabilityAlive(earlier, fits);

      await step(70, 'writing results');
      const computedAt = new Date();
      const guard = new FiniteGuard();
      const rows: Record<string, unknown>[] = [];
      const profitOf = (id: string): CustomerProfit => book.customers.get(id) ?? { revenue: 0, grossMargin: 0, costToServe: 0, profit: 0, spendRecent: 0, spendPrevious: 0, marginRatio: null, byDivision: {} };
      for (const [i, e] of result.scored.entries()) {
        const p = profitOf(e.customerId);
        rows.push({
          customer_id: e.customerId,
          x: guard.v(e.x),
          t_x: guard.v(e.tx),
          big_t: guard.v(e.T),
          monetary: guard.v(summary.monetary[i]),
          expected_purchases: guard.v(e.expectedPurchases),
          probability_alive: guard.v(e.probabilityAlive),
          probability_alive_previous: guard.v(previous.get(e.customerId)),
          expected_spend: guard.v(e.expectedSpend),
          clv: guard.v(e.clv),
          tier: e.tier,
          disposition: e.disposition,
          reasons: e.reasons,
          rfm_r: e.rfm.r,
          rfm_f: e.rfm.f,
          rfm_m: e.rfm.m,
          rfm_segment: e.rfm.segment,
          recency_days: summary.recencyDays[i],
          ...walletColumns(e.wallet, guard),
          ...profitColumns(p, guard),
        });
      }
      for (const u of result.unscored) {
        rows.push({ customer_id: u.customerId, clv: 0, tier: u.tier, disposition: u.disposition, reasons: u.reasons, ...walletColumns(u.wallet, guard), ...profitColumns(profitOf(u.customerId), guard) });
      }
      if (guard.replaced) warnings.push(`${guard.replaced} values were not finite numbers and are stored as empty (null)`);
      for (let k = 0; k < rows.length; k += WRITE_BATCH) {
        await this.writeResults(tenantId, runId, computedAt, rows.slice(k, k + WRITE_BATCH));
        await step(70 + Math.round((25 * Math.min(rows.length, k + WRITE_BATCH)) / Math.max(1, rows.length)), 'writing results');
        await yieldToEventLoop();
      }
      // Customers retired or removed since the last run keep no stale economics.
      await this.db.query('DELETE FROM customer_economics WHERE tenant_id = $1 AND run_id <> $2', [tenantId, runId]);

      await step(96, 'storing fits');
      const fitIds = [await this.storeFit(tenantId, runId, purchase, summary, scope)];
      if (spend) fitIds.push(await this.storeFit(tenantId, runId, spend, summary, scope));
      await step(98, 'done');
      const count = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {});
      const report: RunReport = {
        runId,
        modelVersion: MODEL_VERSION,
        calibrationEnd,
        period,
        customers: rows.length,
        scored: result.scored.length,
        withoutPurchases: result.unscored.length,
        fits: { purchase: fitSummary(purchase), spend: spend ? fitSummary(spend) : null },
        tiers: count([...result.scored.map((r) => r.tier), ...result.unscored.map((r) => r.tier)]),
        dispositions: count([...result.scored.map((r) => r.disposition), ...result.unscored.map((r) => r.disposition)]),
        warnings,
        seconds: Math.round(performance.now() - started) / 1000,
        timings,
      };
      await this.db.orm
        .update(economicsRuns)
        .set({ status: 'succeeded', finishedAt: new Date(), warnings, stats: { ...report, fitIds, costByDivisionTouchPoint: book.costByDivisionTouchPoint, horizonMonths: settings.horizonMonths, profitWindowDays: settings.profitWindowDays } })
        .where(and(eq(economicsRuns.tenantId, tenantId), eq(economicsRuns.id, runId)));
      await progress?.(100, 100, 'done');
      return report;
    } catch (err) {
      await this.db.orm
        .update(economicsRuns)
        .set({ status: 'failed', finishedAt: new Date(), error: err instanceof Error ? err.message : String(err) })
        .where(and(eq(economicsRuns.tenantId, tenantId), eq(economicsRuns.id, runId)));
      throw err;
    }
  }

  private async writeResults(tenantId: string, runId: string, computedAt: Date, rows: Record<string, unknown>[]) {
    await this.db.query(
      `INSERT INTO customer_economics (tenant_id, customer_id, run_id, model_version, computed_at, ${RESULT_COLUMNS.map((c) => c[0]).join(', ')}, created_at, updated_at)
       SELECT $1, r.customer_id, $2, $3, $4::timestamptz, ${RESULT_COLUMNS.map((c) => `coalesce(r.${c[0]}, ${c[2]})`).join(', ')}, now(), now()
         FROM jsonb_to_recordset($5::jsonb) AS r(customer_id uuid, ${RESULT_COLUMNS.map((c) => `${c[0]} ${c[1]}`).join(', ')})
       ON CONFLICT (tenant_id, customer_id) DO UPDATE SET run_id = excluded.run_id, model_version = excluded.model_version, computed_at = excluded.computed_at,
         ${RESULT_COLUMNS.map((c) => `${c[0]} = excluded.${c[0]}`).join(', ')}, updated_at = now()`,
      [tenantId, runId, MODEL_VERSION, computedAt.toISOString(), JSON.stringify(rows)],
    );
  }

  // ---- reading results --------------------------------------------------------------------------------------

  /**
   * The held families a division-scoped actor may know of: those their own divisions sell. The share and the gap
   * are figures about the whole relationship, like CLV; which other products a customer holds elsewhere is not.
   */
  private async visibleFamilies(actor: Actor, held: string[]): Promise<string[]> {
    if (!actor.divisionIds || held.length === 0) return held;
    const rows = await this.db.query<{ category: string }>(
      'SELECT DISTINCT category FROM products WHERE tenant_id = $1 AND category = ANY($2::text[]) AND division_id = ANY($3::uuid[])',
      [actor.tenantId, held, actor.divisionIds],
    );
    const visible = new Set(rows.map((r) => r.category));
    return held.filter((f) => visible.has(f));
  }

  /** One customer's economics as the actor may see them (profit only for their own divisions), or null before a run. */
  async ofCustomer(actor: Actor, customerId: string): Promise<CustomerEconomicsView | null> {
    await this.deps.customers.getCustomer(actor, customerId);
    const [row] = await this.db.orm
      .select()
      .from(customerEconomics)
      .innerJoin(economicsRuns, and(eq(economicsRuns.tenantId, customerEconomics.tenantId), eq(economicsRuns.id, customerEconomics.runId)))
      .where(and(eq(customerEconomics.tenantId, actor.tenantId), eq(customerEconomics.customerId, customerId)));
    if (!row) return null;
    const e = row.customer_economics;
    const run = row.economics_runs;
    const divisions = new Map((await this.deps.org.listDivisions(actor)).map((d) => [d.id, d.name]));
    const visible = (id: string) => !actor.divisionIds || actor.divisionIds.includes(id);
    const runSettings = run.settings as Partial<EconomicsSettings>;
    return {
      customerId,
      runId: e.runId,
      modelVersion: e.modelVersion,
      computedAt: e.computedAt,
      calibrationEnd: run.calibrationEnd,
      period: run.period,
      horizonMonths: runSettings.horizonMonths ?? DEFAULT_SETTINGS.horizonMonths,
      currency: runSettings.currency ?? DEFAULT_SETTINGS.currency,
      clv: e.clv,
      probabilityAlive: e.probabilityAlive,
      probabilityAlivePrevious: e.probabilityAlivePrevious,
      expectedPurchases: e.expectedPurchases,
      expectedSpend: e.expectedSpend,
      tier: e.tier,
      disposition: e.disposition,
      reasons: e.reasons,
      rfm: e.rfmR === null || e.rfmF === null || e.rfmM === null ? null : { r: e.rfmR, f: e.rfmF, m: e.rfmM, segment: e.rfmSegment ?? '' },
      wallet: {
        shareOfWallet: e.shareOfWallet,
        walletGap: e.walletGap,
        held: await this.visibleFamilies(actor, e.wallet.held ?? []),
        untapped: e.wallet.untapped ?? [],
      },
      history: { x: e.x, tx: e.tX, T: e.bigT, monetary: e.monetary, recencyDays: e.recencyDays },
      profit: {
        windowDays: runSettings.profitWindowDays ?? DEFAULT_SETTINGS.profitWindowDays,
        revenue: e.revenue,
        grossMargin: e.grossMargin,
        costToServe: e.costToServe,
        profit: e.profit,
        spendRecent: e.spendRecent,
        spendPrevious: e.spendPrevious,
        byDivision: Object.entries(e.byDivision)
          .filter(([id]) => visible(id))
          .map(([divisionId, v]) => ({ divisionId, divisionName: divisions.get(divisionId) ?? 'Unknown', ...v })),
      },
    };
  }

  /**
   * The book at a glance, over the customers the actor may see: tier and disposition counts, the CLV histogram,
   * the RFM grid, profitability by division and touch point, and the cumulative-profit curve.
   */
  /**
   * Scored customers, most valuable first, optionally of one tier, disposition or RFM segment: where the
   * Economics page's counts click through to. Keyset-paged on (CLV, id); unscored CLVs sort last.
   */
  async listCustomers(actor: Actor, query: { tier?: string; disposition?: string; segment?: string; limit: number; cursor?: string }) {
    if (!actor.can('economics', 'read')) throw new ForbiddenError('you may not read customer economics');
    const params: unknown[] = [actor.tenantId];
    const where = ['e.tenant_id = $1', "g.status = 'active'"];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (actor.divisionIds !== null) add('g.division_ids && ?::uuid[]', actor.divisionIds);
    if (query.tier) add('e.tier = ?', query.tier);
    if (query.disposition) add('e.disposition = ?', query.disposition);
    if (query.segment) add('e.rfm_segment = ?', query.segment);
    const after = decodeCursor(query.cursor);
    if (after) {
      params.push(typeof after.v === 'number' ? after.v : -1, after.id);
      where.push(`(coalesce(e.clv, -1), e.customer_id) < ($${params.length - 1}::float8, $${params.length}::uuid)`);
    }
    params.push(query.limit + 1);
    const rows = await this.db.query<{ customerId: string; displayName: string; clv: number | null; probabilityAlive: number | null; tier: string; disposition: string; segment: string | null; profit: number }>(
      `SELECT e.customer_id::text AS "customerId", g.display_name AS "displayName", e.clv, e.probability_alive AS "probabilityAlive",
              e.tier, e.disposition, e.rfm_segment AS segment, e.profit
         FROM customer_economics e JOIN golden_customers g ON g.tenant_id = e.tenant_id AND g.id = e.customer_id
        WHERE ${where.join(' AND ')}
        ORDER BY coalesce(e.clv, -1) DESC, e.customer_id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ v: last.clv ?? -1, id: last.customerId }) : null };
  }

  async summary(actor: Actor): Promise<EconomicsSummary> {
    if (!actor.can('economics', 'read')) throw new ForbiddenError('you may not read the economics summary');
    const tenantId = actor.tenantId;
    const scoped = actor.divisionIds !== null;
    const mine = actor.divisionIds ?? [];
    // Division-scoped staff see the customers any of whose records their divisions hold, as the customer list does.
    const from = scoped
      ? `customer_economics e JOIN golden_customers g ON g.tenant_id = e.tenant_id AND g.id = e.customer_id AND g.division_ids && $2::uuid[]`
      : `customer_economics e`;
    const params: unknown[] = scoped ? [tenantId, mine] : [tenantId];
    const q = <T>(select: string, tail = '') => this.db.query<T>(`SELECT ${select} FROM ${from} WHERE e.tenant_id = $1 ${tail}`, params);
    const [[totals], tiers, dispositions, clv, rfm, whale, byDivision, [lastRun]] = await Promise.all([
      q<{ customers: number; clv: number | null; profit: number | null; revenue: number | null; costToServe: number | null }>(
        'count(*)::int AS customers, sum(e.clv)::float8 AS clv, sum(e.profit)::float8 AS profit, sum(e.revenue)::float8 AS revenue, sum(e.cost_to_serve)::float8 AS "costToServe"',
      ),
      q<{ key: string; customers: number; clv: number | null }>('e.tier AS key, count(*)::int AS customers, sum(e.clv)::float8 AS clv', 'GROUP BY 1'),
      q<{ key: string; customers: number; clv: number | null }>('e.disposition AS key, count(*)::int AS customers, sum(e.clv)::float8 AS clv', 'GROUP BY 1'),
      q<{ bucket: number; customers: number; clv: number | null }>(
        `CASE WHEN e.clv IS NULL OR e.clv < 1 THEN 0 ELSE floor(log(e.clv))::int + 1 END AS bucket, count(*)::int AS customers, sum(e.clv)::float8 AS clv`,
        'GROUP BY 1 ORDER BY 1',
      ),
      q<{ r: number; fm: number; segment: string; customers: number }>(
        `e.rfm_r AS r, ((e.rfm_f + e.rfm_m + 1) / 2)::int AS fm, e.rfm_segment AS segment, count(*)::int AS customers`,
        'AND e.rfm_r IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1 DESC, 2',
      ),
      this.db.query<{ bucket: number; customers: number; profit: number }>(
        `SELECT bucket, count(*)::int AS customers, sum(profit)::float8 AS profit
           FROM (SELECT e.profit, ntile(100) OVER (ORDER BY e.profit DESC, e.customer_id) AS bucket FROM ${from} WHERE e.tenant_id = $1) ranked
          GROUP BY bucket ORDER BY bucket`,
        params,
      ),
      this.db.query<{ divisionId: string; customers: number; revenue: number; grossMargin: number; costToServe: number; profit: number }>(
        `SELECT d.key AS "divisionId", count(*)::int AS customers, sum((d.value->>'revenue')::float8)::float8 AS revenue,
                sum((d.value->>'grossMargin')::float8)::float8 AS "grossMargin", sum((d.value->>'costToServe')::float8)::float8 AS "costToServe",
                sum((d.value->>'profit')::float8)::float8 AS profit
           FROM ${from} CROSS JOIN LATERAL jsonb_each(e.by_division) d WHERE e.tenant_id = $1 GROUP BY 1`,
        params,
      ),
      this.db.orm.select().from(economicsRuns).where(and(eq(economicsRuns.tenantId, tenantId), eq(economicsRuns.status, 'succeeded'))).orderBy(desc(economicsRuns.startedAt)).limit(1),
    ]);
    const divisions = new Map((await this.deps.org.listDivisions(actor)).map((d) => [d.id, d.name]));
    const visible = (id: string) => !scoped || mine.includes(id);
    const costs = ((lastRun?.stats as { costByDivisionTouchPoint?: Record<string, Record<string, { interactions: number; cases: number; cost: number }>> } | null)?.costByDivisionTouchPoint ?? {});
    const byTouchPoint = new Map<string, { interactions: number; cases: number; costToServe: number }>();
    for (const [divisionId, tps] of Object.entries(costs)) {
      if (!visible(divisionId)) continue;
      for (const [tp, v] of Object.entries(tps)) {
        const t = byTouchPoint.get(tp) ?? { interactions: 0, cases: 0, costToServe: 0 };
        t.interactions += v.interactions;
        t.cases += v.cases;
        t.costToServe = Math.round((t.costToServe + v.cost) * 100) / 100;
        byTouchPoint.set(tp, t);
      }
    }
    return {
      run: lastRun ? { runId: lastRun.id, modelVersion: lastRun.modelVersion, calibrationEnd: lastRun.calibrationEnd, period: lastRun.period, finishedAt: lastRun.finishedAt } : null,
      customers: totals?.customers ?? 0,
      totals: { clv: totals?.clv ?? 0, revenue: totals?.revenue ?? 0, costToServe: totals?.costToServe ?? 0, profit: totals?.profit ?? 0 },
      tiers: tiers.map((t) => ({ tier: t.key, customers: t.customers, clv: t.clv ?? 0 })),
      dispositions: dispositions.map((t) => ({ disposition: t.key, customers: t.customers, clv: t.clv ?? 0 })),
      clvHistogram: clv.map((b) => ({ from: b.bucket === 0 ? 0 : 10 ** (b.bucket - 1), to: 10 ** b.bucket, customers: b.customers, clv: b.clv ?? 0 })),
      rfmGrid: rfm.map((c) => ({ r: c.r, fm: c.fm, segment: c.segment, customers: c.customers })),
      profitByDivision: byDivision
        .filter((d) => visible(d.divisionId))
        .map((d) => ({ ...d, divisionName: divisions.get(d.divisionId) ?? 'Unknown' }))
        .sort((a, b) => b.profit - a.profit),
      costByTouchPoint: [...byTouchPoint.entries()].map(([touchPoint, v]) => ({ touchPoint, ...v })).sort((a, b) => b.costToServe - a.costToServe),
      whaleCurve: whaleCurve(whale),
    };
  }
}

export interface CustomerEconomicsView {
  customerId: string;
  runId: string;
  modelVersion: string;
  computedAt: Date;
  calibrationEnd: string;
  period: Period;
  horizonMonths: number;
  currency: string;
  clv: number | null;
  probabilityAlive: number | null;
  probabilityAlivePrevious: number | null;
  expectedPurchases: number | null;
  expectedSpend: number | null;
  tier: string;
  disposition: string;
  reasons: string[];
  rfm: { r: number; f: number; m: number; segment: string } | null;
  /** Share of wallet estimated from product families held against the customer's tier (wallet.ts). */
  wallet: { shareOfWallet: number | null; walletGap: number; held: string[]; untapped: { category: string; typicalRevenue: number; peerAdoption: number }[] };
  history: { x: number | null; tx: number | null; T: number | null; monetary: number | null; recencyDays: number | null };
  profit: {
    windowDays: number;
    revenue: number;
    grossMargin: number;
    costToServe: number;
    profit: number;
    spendRecent: number;
    spendPrevious: number;
    byDivision: { divisionId: string; divisionName: string; revenue: number; grossMargin: number; costToServe: number; profit: number }[];
  };
}

export interface EconomicsSummary {
  run: { runId: string; modelVersion: string; calibrationEnd: string; period: string; finishedAt: Date | null } | null;
  customers: number;
  totals: { clv: number; revenue: number; costToServe: number; profit: number };
  tiers: { tier: string; customers: number; clv: number }[];
  dispositions: { disposition: string; customers: number; clv: number }[];
  clvHistogram: { from: number; to: number; customers: number; clv: number }[];
  rfmGrid: { r: number; fm: number; segment: string; customers: number }[];
  profitByDivision: { divisionId: string; divisionName: string; customers: number; revenue: number; grossMargin: number; costToServe: number; profit: number }[];
  costByTouchPoint: { touchPoint: string; interactions: number; cases: number; costToServe: number }[];
  whaleCurve: { customerShare: number; profitShare: number }[];
}

/** [column, SQL type, value when absent] of customer_economics written per customer. */
const RESULT_COLUMNS: [string, string, string][] = [
  ['x', 'float8', 'NULL'],
  ['t_x', 'float8', 'NULL'],
  ['big_t', 'float8', 'NULL'],
  ['monetary', 'float8', 'NULL'],
  ['expected_purchases', 'float8', 'NULL'],
  ['probability_alive', 'float8', 'NULL'],
  ['probability_alive_previous', 'float8', 'NULL'],
  ['expected_spend', 'float8', 'NULL'],
  ['clv', 'float8', 'NULL'],
  ['tier', 'text', "'rest'"],
  ['disposition', 'text', "''"],
  ['reasons', 'jsonb', "'[]'::jsonb"],
  ['rfm_r', 'smallint', 'NULL'],
  ['rfm_f', 'smallint', 'NULL'],
  ['rfm_m', 'smallint', 'NULL'],
  ['rfm_segment', 'text', 'NULL'],
  ['recency_days', 'int', 'NULL'],
  ['revenue', 'float8', '0'],
  ['gross_margin', 'float8', '0'],
  ['cost_to_serve', 'float8', '0'],
  ['profit', 'float8', '0'],
  ['spend_recent', 'float8', '0'],
  ['spend_previous', 'float8', '0'],
  ['by_division', 'jsonb', "'{}'::jsonb"],
  ['share_of_wallet', 'float8', 'NULL'],
  ['wallet_gap', 'float8', '0'],
  ['wallet', 'jsonb', `'{"held":[],"untapped":[]}'::jsonb`],
];

function walletColumns(w: WalletEstimate | undefined, guard: FiniteGuard) {
  if (!w) return {};
  return { share_of_wallet: guard.v(w.shareOfWallet), wallet_gap: guard.v(w.walletGap), wallet: { held: w.held, untapped: w.untapped } };
}

/**
 * Each held family with the customer's revenue from it over the profit window (transactions name their product
 * by code). Revenue from a family no longer held (a closed account) is not part of the share.
 */
function familyRevenue(held: readonly { customerId: string; category: string }[], revenue: readonly TransactionSums[], families: ReadonlyMap<string, string>): CategoryRevenue[] {
  const key = (customerId: string, category: string) => `${customerId}\u0000${category}`;
  const sums = new Map<string, number>();
  for (const r of revenue) {
    const category = r.product ? families.get(r.product) : undefined;
    if (category) sums.set(key(r.customerId, category), (sums.get(key(r.customerId, category)) ?? 0) + r.window);
  }
  return held.map((h) => ({ customerId: h.customerId, category: h.category, revenue: sums.get(key(h.customerId, h.category)) ?? 0 }));
}

function profitColumns(p: CustomerProfit, guard: FiniteGuard) {
  return {
    revenue: guard.v(p.revenue),
    gross_margin: guard.v(p.grossMargin),
    cost_to_serve: guard.v(p.costToServe),
    profit: guard.v(p.profit),
    spend_recent: guard.v(p.spendRecent),
    spend_previous: guard.v(p.spendPrevious),
    by_division: p.byDivision,
  };
}

function fitSummary(fit: BgNbdFit | ParetoNbdFit | GammaGammaFit): FitSummary {
  return { model: EXTERNAL[fit.model], params: { ...fit.params }, logLikelihood: fit.logLikelihood, customers: fit.customers, converged: fit.converged, warnings: fit.warnings };
}

/** Service and sales know the default tiers only; a tenant's own tier ids count as the standard level there. */
function asValueTier(tier: string): 'top1' | 'top5' | 'top20' | 'rest' {
  return tier === 'top1' || tier === 'top5' || tier === 'top20' ? tier : 'rest';
}

/** One fit in a worker thread, on copies of the summary's columns (the worker takes its buffers). */
export async function fitModel(model: ModelName, summary: CustomerSummary): Promise<BgNbdFit | ParetoNbdFit | GammaGammaFit> {
  const req: FitRequest =
    model === 'gammaGamma'
      ? { model, x: summary.x.slice(), monetary: summary.monetary.slice() }
      : { model, x: summary.x.slice(), tx: summary.tx.slice(), T: summary.T.slice() };
  return (await fitInWorker(req)) as BgNbdFit | ParetoNbdFit | GammaGammaFit;
}

/** P(alive) one trend window before the calibration end, with the same fit: what the service alarms compare against. */
function earlierProbabilityAlive(earlier: CustomerSummary | null, fits: EconomicsFits): Map<string, number> {
  const out = new Map<string, number>();
  if (!earlier) return out;
  const model = purchaseModelOf(fits.purchase);
  for (let i = 0; i < earlier.customerIds.length; i++) out.set(earlier.customerIds[i], model.probabilityAlive(earlier.x[i], earlier.tx[i], earlier.T[i]));
  return out;
}
