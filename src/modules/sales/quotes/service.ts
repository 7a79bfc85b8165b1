import { and, asc, desc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import { noteChange, type Actor } from '../../../core/actor.js';
import { afterCursor, finishPage } from '../../../core/db/list.js';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError, type FieldIssue } from '../../../core/errors.js';
import { requireAction, requireDivision, scopeFilter, type SalesContext } from '../context.js';
import { componentsOf, validateConfiguration, violationIssues } from '../catalogue/configuration.js';
import type { Configuration } from '../catalogue/model.js';
import type { CatalogueService, SalesProduct } from '../catalogue/service.js';
import { toIsoDate } from '../fulfilment/calendar.js';
import type { DeliveryPlan } from '../fulfilment/planning.js';
import type { FulfilmentService } from '../fulfilment/service.js';
import { enqueueEvent } from '../fulfilment/outbox.js';
import { authorityOf, discountsAboveAuthority } from '../pricing/authority.js';
import { priceQuote, type PricedQuote, type TrailStep } from '../pricing/engine.js';
import type { PriceListRow, PricingService } from '../pricing/service.js';
import { salesOpportunities, salesQuotes, salesQuoteVersions, type Prospect } from '../schema.js';
import { formatNumber, nextNumber } from '../tx.js';
import { renderQuotePdf } from './pdf.js';
import { systemActor } from '../../../core/actor.js';
import { DEFAULT_TENANT } from '../../../core/ids.js';

export interface QuoteLineInput {
  product: string;
  quantity: number;
  /** A product's options; for a bundle, each item's options keyed by the item's product code. */
  configuration?: Record<string, unknown>;
  manualDiscountPercent?: number;
}

export interface PricingRequest {
  divisionId: string;
  customerId?: string;
  prospect?: Prospect;
  priceList?: string;
  currency?: string;
  needBy?: string;
  lines: QuoteLineInput[];
}

export interface QuoteRequest extends PricingRequest {
  title?: string;
  opportunityId?: string;
  requestedAt?: Date;
  validDays?: number;
  channel?: string;
  note?: string;
}

export type RevisionRequest = Omit<QuoteRequest, 'divisionId' | 'customerId' | 'prospect' | 'opportunityId' | 'requestedAt' | 'channel'>;

/** One priced, planned line as a customer and a rep see it. */
export interface DraftLine {
  lineNo: number;
  product: string;
  name: string;
  unit: string;
  quantity: number;
  configuration: Configuration;
  /** The options in words, in the order the product lists them ("Length: 25 m", "Jacket: Low-smoke zero-halogen"). */
  summary: string[];
  customised: boolean;
  bundle: string | null;
  listUnitPrice: number;
  unitPrice: number;
  listAmount: number;
  netAmount: number;
  policyDiscountPercent: number;
  manualDiscountPercent: number;
  discountPercent: number;
  floorPrice: number | null;
  trail: TrailStep[];
  deliveryDate: string;
  /** Business days our plant needs once the components are in: kept so acceptance can re-plan without the catalogue. */
  assemblyDays: number;
  components: { component: string; quantity: number; fulfiller: string; readyOn: string }[];
}

/** What pricing a request produces: the body of a quote version, and the answer of the live pricing endpoint. */
export interface QuoteDraft {
  pricedOn: string;
  currency: string;
  priceList: { id: string; code: string; name: string; validTo: string | null };
  customer: PricedQuote['customer'];
  lines: DraftLine[];
  totals: PricedQuote['totals'];
  approval: PricedQuote['approval'];
  delivery: {
    date: string;
    needBy: string | null;
    meetsNeedBy: boolean | null;
    critical: DeliveryPlan['critical'];
    routes: DeliveryPlan['routes'];
  };
  /** What the fulfillers charge us, by the plan; never printed on the customer's document. */
  cost: number;
  marginPercent: number | null;
}

export type QuoteRow = typeof salesQuotes.$inferSelect;
export type VersionRow = typeof salesQuoteVersions.$inferSelect;

interface Expanded {
  source: number;
  product: SalesProduct;
  quantity: number;
  bundle: string | null;
  manual?: number;
  raw: Record<string, unknown>;
  path: string;
}

/** Configure, price and plan in one call; quotes as immutable versions with approval; the PDF. */
export class QuoteService {
  constructor(
    private readonly ctx: SalesContext,
    private readonly catalogue: CatalogueService,
    private readonly pricing: PricingService,
    private readonly fulfilment: FulfilmentService,
  ) {}

  private get db() {
    return this.ctx.db;
  }

  /**
   * Validates every line's configuration, prices it on the resolved list with the customer's value profile,
   * plans delivery from fulfillers' capacity and lead times, and checks the floor and the actor's authority.
   * Nothing is written: this is what the rep and the customer look at while they configure.
   */
  async draft(actor: Actor, req: PricingRequest): Promise<QuoteDraft & { priceListRow: PriceListRow }> {
    requireAction(actor, 'read', 'price quotes');
    requireDivision(actor, req.divisionId);
    if (!!req.customerId === !!req.prospect) throw new ValidationError('name a customer or a prospect', [{ path: 'body/customerId', message: 'give customerId or prospect, not both' }]);
    const at = this.ctx.today();
    const [, profile, priceListRow] = await Promise.all([
      req.customerId ? this.ctx.customers.getCustomer(actor, req.customerId) : null,
      req.customerId ? this.ctx.economics.profileOf(actor.tenantId, req.customerId) : Promise.resolve(null),
      this.pricing.resolvePriceList(actor, { divisionId: req.divisionId, priceList: req.priceList, currency: req.currency, at }),
    ]);

    const expanded = await this.expand(actor, req);
    const configured = expanded.map((e) => ({ ...e, result: validateConfiguration(e.product.definition, e.raw) }));
    const issues: FieldIssue[] = configured.flatMap((c) => (c.result.ok ? [] : violationIssues(c.result.violations, c.path)));
    if (issues.length) {
      const first = configured.find((c) => !c.result.ok)!;
      const v = first.result.ok ? undefined : first.result.violations[0];
      const what = v && !v.rule.startsWith('option:') ? `breaks rule ${v.rule}: ${v.message}` : v?.message;
      throw new ValidationError(`the configuration of ${first.product.code} is not valid: ${what}`, issues);
    }

    const { priceList, rules } = await this.pricing.pricingInputs(actor.tenantId, priceListRow);
    const unpriced = configured.flatMap((c) => (priceList.items.has(c.product.code) ? [] : [{ path: `body/lines/${c.source}/product`, message: `${c.product.code} has no price on ${priceList.code}` }]));
    if (unpriced.length) throw new UnprocessableError(`some products have no price on ${priceList.code}`, unpriced);

    const lines = configured.map((c, i) => ({
      lineNo: i + 1,
      product: c.product.code,
      configuration: c.result.ok ? c.result.configuration : {},
      quantity: c.quantity,
      bundle: c.bundle ?? undefined,
      manualDiscountPercent: c.manual,
    }));
    const priced = priceQuote({ at, priceList, rules, customer: profile, lines });
    const sourcePath = (i: number) => `body/lines/${configured[i].source}/manualDiscountPercent`;
    const below = priced.lines.flatMap((l, i) => (l.belowFloor ? [{ path: sourcePath(i), message: `takes ${l.product} to ${l.unitPrice}, below its floor of ${l.floorPrice}` }] : []));
    if (below.length) throw new UnprocessableError('a discount takes a price below its floor', below);
    const authority = authorityOf(actor, this.ctx.authority);
    const above = discountsAboveAuthority(priced, authority, sourcePath);
    if (above.length) throw new ForbiddenError(`a discount of ${priced.approval.maxManualDiscountPercent}% is above your authority of ${authority.offer}%`, above);

    const demands = lines.flatMap((l, i) => componentsOf(configured[i].product.definition, l.configuration, l.quantity).map((c) => ({ lineNo: l.lineNo, ...c })));
    const plan = await this.fulfilment.plan(actor.tenantId, {
      start: at,
      needBy: req.needBy,
      lines: lines.map((l, i) => ({ lineNo: l.lineNo, assemblyDays: configured[i].product.definition.assemblyDays })),
      demands,
    });
    if (plan.unavailable.length) {
      throw new UnprocessableError(
        `nobody offers ${[...new Set(plan.unavailable.map((u) => u.component))].join(', ')}: the quote cannot be dated`,
        plan.unavailable.map((u) => ({ path: `body/lines/${configured[u.lineNo - 1].source}`, message: `no fulfiller offers component ${u.component}` })),
      );
    }

    const draftLines: DraftLine[] = priced.lines.map((p, i) => {
      const c = configured[i];
      const linePlan = plan.lines.find((l) => l.lineNo === p.lineNo)!;
      return {
        lineNo: p.lineNo,
        product: c.product.code,
        name: c.product.name,
        unit: c.product.unit,
        quantity: p.quantity,
        configuration: lines[i].configuration,
        summary: describeConfiguration(c.product, lines[i].configuration),
        customised: c.product.kind === 'configurable' && c.result.ok && c.result.customised,
        bundle: c.bundle,
        listUnitPrice: p.listUnitPrice,
        unitPrice: p.unitPrice,
        listAmount: p.listAmount,
        netAmount: p.netAmount,
        policyDiscountPercent: p.policyDiscountPercent,
        manualDiscountPercent: p.manualDiscountPercent,
        discountPercent: p.discountPercent,
        floorPrice: p.floorPrice,
        trail: p.trail,
        deliveryDate: linePlan.deliveryDate,
        assemblyDays: c.product.definition.assemblyDays,
        components: plan.allocations.filter((a) => a.lineNo === p.lineNo).map((a) => ({ component: a.component, quantity: a.quantity, fulfiller: a.fulfiller, readyOn: a.readyOn })),
      };
    });
    const net = priced.totals.net;
    return {
      pricedOn: at,
      currency: priced.currency,
      priceList: { id: priceListRow.id, code: priceListRow.code, name: priceListRow.name, validTo: priceListRow.validTo },
      customer: priced.customer,
      lines: draftLines,
      totals: priced.totals,
      approval: priced.approval,
      delivery: { date: plan.deliveryDate, needBy: req.needBy ?? null, meetsNeedBy: plan.meetsNeedBy, critical: plan.critical, routes: plan.routes },
      cost: plan.cost,
      marginPercent: net > 0 ? Math.round(((net - plan.cost) / net) * 10_000) / 100 : null,
      priceListRow,
    };
  }

  /** Request lines to priced lines: a bundle becomes its items, each configured by what the bundle fixes plus what the customer chose. */
  private async expand(actor: Actor, req: PricingRequest): Promise<Expanded[]> {
    const at = (i: number) => `body/lines/${i}/product`;
    const products = await this.catalogue.productsForQuote(actor, req.divisionId, req.lines.map((l) => l.product), at);
    const itemCodes = [...products.values()].filter((p) => p.kind === 'bundle').flatMap((p) => p.definition.bundleItems.map((b) => b.product));
    const items = itemCodes.length ? await this.catalogue.productsForQuote(actor, req.divisionId, itemCodes, () => 'body/lines') : new Map<string, SalesProduct>();
    const out: Expanded[] = [];
    const issues: FieldIssue[] = [];
    req.lines.forEach((line, i) => {
      const p = products.get(line.product)!;
      if (p.kind !== 'bundle') {
        out.push({ source: i, product: p, quantity: line.quantity, bundle: null, manual: line.manualDiscountPercent, raw: line.configuration ?? {}, path: `body/lines/${i}/configuration` });
        return;
      }
      const given = line.configuration ?? {};
      for (const key of Object.keys(given)) {
        if (!p.definition.bundleItems.some((b) => b.product === key)) issues.push({ path: `body/lines/${i}/configuration/${key}`, message: `${key} is not part of bundle ${p.code}` });
      }
      for (const item of p.definition.bundleItems) {
        const chosen = (given[item.product] ?? {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(item.configuration)) {
          if (k in chosen && JSON.stringify(chosen[k]) !== JSON.stringify(v)) issues.push({ path: `body/lines/${i}/configuration/${item.product}/${k}`, message: `fixed at ${JSON.stringify(v)} in bundle ${p.code}` });
        }
        out.push({
          source: i,
          product: items.get(item.product)!,
          quantity: item.quantity * line.quantity,
          bundle: p.code,
          manual: line.manualDiscountPercent,
          raw: { ...chosen, ...item.configuration },
          path: `body/lines/${i}/configuration/${item.product}`,
        });
      }
    });
    if (issues.length) throw new ValidationError('a bundle line is not valid', issues);
    return out;
  }

  async createQuote(actor: Actor, req: QuoteRequest) {
    requireAction(actor, 'write', 'create quotes');
    const draft = await this.draft(actor, req);
    if (req.opportunityId) await this.checkOpportunity(actor, req.opportunityId, req.divisionId, req.customerId);
    const now = this.ctx.now();
    const id = await this.db.orm.transaction(async (tx) => {
      const number = formatNumber('Q', await nextNumber(tx, actor.tenantId, 'quote'));
      const [quote] = await tx.insert(salesQuotes).values({
        tenantId: actor.tenantId,
        number,
        title: req.title ?? null,
        divisionId: req.divisionId,
        customerId: req.customerId ?? null,
        prospect: req.prospect ?? null,
        opportunityId: req.opportunityId ?? null,
        ownerUserId: actor.userId,
        currentVersion: 1,
        channel: req.channel ?? 'rep',
        requestedAt: req.requestedAt ?? now,
        needBy: req.needBy ?? null,
      }).returning();
      const version = await tx.insert(salesQuoteVersions).values(this.versionRow(actor, quote, 1, draft, req, now)).returning();
      if (version[0].status === 'issued') await enqueueEvent(tx, actor.tenantId, 'quote.issued', { quoteId: quote.id, number, version: 1, netTotal: draft.totals.net, currency: draft.currency, deliveryDate: draft.delivery.date });
      return quote.id;
    });
    const quote = await this.getQuote(actor, id);
    noteChange(actor, { resource: 'sales-quotes', resourceId: id, action: 'create', after: { number: quote.number, version: 1, netTotal: draft.totals.net } });
    return quote;
  }

  private versionRow(actor: Actor, quote: QuoteRow, version: number, draft: QuoteDraft & { priceListRow: PriceListRow }, req: { validDays?: number; note?: string }, now: Date) {
    const { priceListRow, ...document } = draft;
    const validDays = req.validDays ?? this.ctx.quoteValidDays;
    // A quote never outlives the price list it was priced on.
    let validUntil = toIsoDate(new Date(now.getTime() + validDays * 86_400_000));
    if (priceListRow.validTo !== null && priceListRow.validTo < validUntil) validUntil = priceListRow.validTo;
    return {
      tenantId: actor.tenantId,
      quoteId: quote.id,
      version,
      status: draft.approval.required ? ('pending_approval' as const) : ('issued' as const),
      priceListId: priceListRow.id,
      currency: draft.currency,
      pricedOn: draft.pricedOn,
      validUntil,
      listTotal: draft.totals.list,
      netTotal: draft.totals.net,
      costTotal: draft.cost,
      deliveryDate: draft.delivery.date,
      maxManualDiscountPercent: draft.approval.maxManualDiscountPercent,
      approvalRequired: draft.approval.required,
      document: document as unknown as Record<string, unknown>,
      note: req.note ?? null,
      createdBy: actor.userId,
      createdAt: now,
      issuedAt: draft.approval.required ? null : now,
    };
  }

  private async checkOpportunity(actor: Actor, id: string, divisionId: string, customerId?: string) {
    const [opp] = await this.db.orm.select().from(salesOpportunities).where(and(eq(salesOpportunities.tenantId, actor.tenantId), eq(salesOpportunities.id, id), scopeFilter(actor, 'read', salesOpportunities.divisionId, salesOpportunities.ownerUserId)));
    if (!opp) throw new ValidationError('unknown opportunity', [{ path: 'body/opportunityId', message: 'no such opportunity you can see' }]);
    if (opp.divisionId !== divisionId) throw new ValidationError('opportunity of another division', [{ path: 'body/opportunityId', message: 'belongs to another division' }]);
    if (customerId && opp.customerId && opp.customerId !== customerId) throw new ValidationError('opportunity of another customer', [{ path: 'body/opportunityId', message: 'is for another customer' }]);
  }

  /** A new version replaces the current one; the superseded version can no longer be accepted. */
  async reviseQuote(actor: Actor, id: string, req: RevisionRequest) {
    requireAction(actor, 'write', 'revise quotes');
    const quote = await this.getQuoteRow(actor, id);
    if (quote.status !== 'open') throw new ConflictError(`quote ${quote.number} is ${quote.status}; it can no longer be revised`);
    const draft = await this.draft(actor, { ...req, divisionId: quote.divisionId, customerId: quote.customerId ?? undefined, prospect: quote.prospect ?? undefined });
    const now = this.ctx.now();
    const version = quote.currentVersion + 1;
    await this.db.orm.transaction(async (tx) => {
      // Conditional on the version we read: a concurrent revision or acceptance makes this a conflict, not a fork.
      const bumped = await tx.update(salesQuotes).set({ currentVersion: version, needBy: req.needBy ?? quote.needBy, title: req.title ?? quote.title, updatedAt: now })
        .where(and(eq(salesQuotes.tenantId, actor.tenantId), eq(salesQuotes.id, id), eq(salesQuotes.currentVersion, quote.currentVersion), eq(salesQuotes.status, 'open')))
        .returning({ id: salesQuotes.id });
      if (!bumped.length) throw new ConflictError(`quote ${quote.number} changed while you revised it; reload and try again`);
      await tx.update(salesQuoteVersions).set({ status: 'superseded' })
        .where(and(eq(salesQuoteVersions.tenantId, actor.tenantId), eq(salesQuoteVersions.quoteId, id), inArray(salesQuoteVersions.status, ['pending_approval', 'issued'])));
      const [row] = await tx.insert(salesQuoteVersions).values(this.versionRow(actor, quote, version, draft, req, now)).returning();
      if (row.status === 'issued') await enqueueEvent(tx, actor.tenantId, 'quote.issued', { quoteId: id, number: quote.number, version, netTotal: draft.totals.net, currency: draft.currency, deliveryDate: draft.delivery.date });
    });
    noteChange(actor, { resource: 'sales-quotes', resourceId: id, action: 'update', after: { version, netTotal: draft.totals.net } });
    return this.getQuote(actor, id);
  }

  /**
   * Approves or rejects a version waiting for approval. The approver needs authority for the largest manual
   * discount on it, and cannot approve their own quote: the point of a second pair of eyes.
   */
  async decide(actor: Actor, id: string, version: number, decision: { approve: boolean; note?: string }) {
    requireAction(actor, 'write', 'approve quotes');
    const quote = await this.getQuoteRow(actor, id);
    const v = await this.getVersionRow(actor, quote, version);
    if (v.status !== 'pending_approval') throw new ConflictError(`version ${version} of ${quote.number} is ${v.status.replace('_', ' ')}, not waiting for approval`);
    const authority = authorityOf(actor, this.ctx.authority);
    if (decision.approve && authority.approve < v.maxManualDiscountPercent) {
      throw new ForbiddenError(`approving a ${v.maxManualDiscountPercent}% discount needs approval authority of at least ${v.maxManualDiscountPercent}%; yours is ${authority.approve}%`);
    }
    if (actor.kind !== 'system' && v.createdBy && v.createdBy === actor.userId) throw new ForbiddenError('a quote cannot be approved by the person who wrote it');
    const now = this.ctx.now();
    await this.db.orm.transaction(async (tx) => {
      const updated = await tx.update(salesQuoteVersions)
        .set({ status: decision.approve ? 'issued' : 'rejected', issuedAt: decision.approve ? now : null, decidedBy: actor.userId, decidedAt: now, decisionNote: decision.note ?? null })
        .where(and(eq(salesQuoteVersions.tenantId, actor.tenantId), eq(salesQuoteVersions.id, v.id), eq(salesQuoteVersions.status, 'pending_approval')))
        .returning();
      if (!updated.length) throw new ConflictError('someone decided on this version meanwhile');
      if (decision.approve) await enqueueEvent(tx, actor.tenantId, 'quote.issued', { quoteId: id, number: quote.number, version, netTotal: v.netTotal, currency: v.currency, deliveryDate: v.deliveryDate });
    });
    noteChange(actor, { resource: 'sales-quotes', resourceId: id, action: 'update', after: { version, decision: decision.approve ? 'approved' : 'rejected' } });
    return this.getQuote(actor, id);
  }

  async decline(actor: Actor, id: string, reason?: string) {
    requireAction(actor, 'write', 'record declined quotes');
    const quote = await this.getQuoteRow(actor, id);
    if (quote.status !== 'open') throw new ConflictError(`quote ${quote.number} is ${quote.status}`);
    await this.db.orm.update(salesQuotes).set({ status: 'declined', updatedAt: this.ctx.now() }).where(and(eq(salesQuotes.tenantId, actor.tenantId), eq(salesQuotes.id, id), eq(salesQuotes.status, 'open')));
    noteChange(actor, { resource: 'sales-quotes', resourceId: id, action: 'update', after: { status: 'declined', reason } });
    return this.getQuote(actor, id);
  }

  async getQuoteRow(actor: Actor, id: string): Promise<QuoteRow> {
    const [row] = await this.db.orm.select().from(salesQuotes)
      .where(and(eq(salesQuotes.tenantId, actor.tenantId), eq(salesQuotes.id, id), scopeFilter(actor, 'read', salesQuotes.divisionId, salesQuotes.ownerUserId)));
    if (!row) throw new NotFoundError('quote', id);
    return row;
  }

  async getVersionRow(actor: Actor, quote: QuoteRow, version: number): Promise<VersionRow> {
    const [row] = await this.db.orm.select().from(salesQuoteVersions)
      .where(and(eq(salesQuoteVersions.tenantId, actor.tenantId), eq(salesQuoteVersions.quoteId, quote.id), eq(salesQuoteVersions.version, version)));
    if (!row) throw new NotFoundError(`version ${version} of quote`, quote.number);
    return row;
  }

  async getQuote(actor: Actor, id: string) {
    const quote = await this.getQuoteRow(actor, id);
    const versions = await this.db.orm.select().from(salesQuoteVersions)
      .where(and(eq(salesQuoteVersions.tenantId, actor.tenantId), eq(salesQuoteVersions.quoteId, id))).orderBy(asc(salesQuoteVersions.version));
    const current = versions.find((v) => v.version === quote.currentVersion)!;
    return {
      ...quote,
      versions: versions.map(versionSummary),
      current: versionDetail(current),
    };
  }

  async getVersion(actor: Actor, id: string, version: number) {
    const quote = await this.getQuoteRow(actor, id);
    return versionDetail(await this.getVersionRow(actor, quote, version));
  }

  /** The customer's document for a version (the current one by default). */
  async pdf(actor: Actor, id: string, version?: number): Promise<{ filename: string; pdf: Buffer }> {
    const quote = await this.getQuoteRow(actor, id);
    const v = await this.getVersionRow(actor, quote, version ?? quote.currentVersion);
    const everyone = systemActor(actor.tenantId);
    const [division, tenant] = await Promise.all([
      this.ctx.org.getDivision(everyone, quote.divisionId),
      this.db.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [actor.tenantId]),
    ]);
    let customer: { name: string; company?: string | null; lines: string[]; email?: string | null };
    if (quote.customerId) {
      const c = await this.ctx.customers.getCustomer(actor, quote.customerId);
      customer = { name: c.displayName, lines: [c.addressLine1, [c.postcode, c.locality].filter(Boolean).join(' '), c.country].filter((x): x is string => !!x), email: c.email };
    } else {
      const p = quote.prospect!;
      customer = { name: p.name, company: p.company, lines: [], email: p.email };
    }
    // The default tenant of a fresh install is called "Default": the division names the seller better.
    const company = tenant[0]?.name && !(actor.tenantId === DEFAULT_TENANT && tenant[0].name === 'Default') ? tenant[0].name : division.name;
    const pdf = await renderQuotePdf({
      seller: { name: company, division: company === division.name ? 'Sales' : division.name },
      quote: { number: quote.number, version: v.version, title: quote.title, status: v.status, issuedOn: toIsoDate(v.issuedAt ?? v.createdAt), validUntil: v.validUntil },
      customer,
      note: v.note,
      document: v.document as unknown as QuoteDraft,
    });
    return { filename: `${quote.number}-v${v.version}.pdf`, pdf };
  }

  async listQuotes(actor: Actor, q: { customerId?: string; divisionId?: string; status?: QuoteRow['status']; pendingApproval?: boolean; limit: number; cursor?: string }) {
    const conds: (SQL | undefined)[] = [
      eq(salesQuotes.tenantId, actor.tenantId),
      scopeFilter(actor, 'read', salesQuotes.divisionId, salesQuotes.ownerUserId),
      q.customerId ? eq(salesQuotes.customerId, q.customerId) : undefined,
      q.divisionId ? eq(salesQuotes.divisionId, q.divisionId) : undefined,
      q.status ? eq(salesQuotes.status, q.status) : undefined,
      afterCursor({ column: salesQuotes.id, direction: 'desc' }, salesQuotes.id, q.cursor),
    ];
    const rows = await this.db.orm
      .select({ quote: salesQuotes, v: salesQuoteVersions })
      .from(salesQuotes)
      .innerJoin(salesQuoteVersions, and(eq(salesQuoteVersions.tenantId, salesQuotes.tenantId), eq(salesQuoteVersions.quoteId, salesQuotes.id), eq(salesQuoteVersions.version, salesQuotes.currentVersion)))
      .where(and(...conds, q.pendingApproval ? eq(salesQuoteVersions.status, 'pending_approval') : q.pendingApproval === false ? ne(salesQuoteVersions.status, 'pending_approval') : undefined))
      .orderBy(desc(salesQuotes.id))
      .limit(q.limit + 1);
    return finishPage(rows.map(({ quote, v }) => ({ ...quote, current: versionSummary(v) })), q.limit, (r) => r.id);
  }
}

export function versionSummary(v: VersionRow) {
  return {
    version: v.version,
    status: v.status,
    currency: v.currency,
    listTotal: v.listTotal,
    netTotal: v.netTotal,
    deliveryDate: v.deliveryDate,
    validUntil: v.validUntil,
    approvalRequired: v.approvalRequired,
    createdAt: v.createdAt,
    issuedAt: v.issuedAt,
  };
}

export function versionDetail(v: VersionRow) {
  const document = v.document as unknown as QuoteDraft;
  return {
    ...versionSummary(v),
    priceListId: v.priceListId,
    pricedOn: v.pricedOn,
    costTotal: v.costTotal,
    maxManualDiscountPercent: v.maxManualDiscountPercent,
    note: v.note,
    createdBy: v.createdBy,
    decidedBy: v.decidedBy,
    decidedAt: v.decidedAt,
    decisionNote: v.decisionNote,
    document,
  };
}

/** "Length: 25 m", "Jacket: Low-smoke zero-halogen": the configuration as a customer reads it. */
export function describeConfiguration(product: Pick<SalesProduct, 'definition'>, configuration: Configuration): string[] {
  const out: string[] = [];
  for (const o of product.definition.options) {
    const v = configuration[o.code];
    // "Armoured: no" and "Extras: none" are noise on a customer's document: say what was chosen.
    if (v === undefined || v === false || (Array.isArray(v) && !v.length)) continue;
    if (o.kind === 'number') out.push(`${o.label}: ${v} ${o.unit}`);
    else if (o.kind === 'boolean') out.push(`${o.label}: ${v ? 'yes' : 'no'}`);
    else {
      const label = (code: string) => o.choices.find((c) => c.code === code)?.label ?? code;
      const text = Array.isArray(v) ? v.map((x) => label(String(x))).join(', ') : label(String(v));
      out.push(`${o.label}: ${text}`);
    }
  }
  return out;
}
