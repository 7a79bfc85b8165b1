import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { noteChange, type Actor } from '../../../core/actor.js';
import { afterCursor, finishPage } from '../../../core/db/list.js';
import { tenantContext } from '../../../core/db/engine.js';
import { ConflictError, NotFoundError, UnauthenticatedError, UnprocessableError, ValidationError } from '../../../core/errors.js';
import { requireAction, scopeFilter, type SalesContext } from '../context.js';
import { businessDaysBetween, toIsoDate } from '../fulfilment/calendar.js';
import { enqueueEvent } from '../fulfilment/outbox.js';
import { emitEvent } from '../../webhooks/outbox.js';
import type { FulfilmentService } from '../fulfilment/service.js';
import { SIGNATURE_HEADER, verifySignature } from '../../../core/webhooks/signature.js';
import type { QuoteDraft, QuoteService } from '../quotes/service.js';
import {
  MISHANDLING_KINDS,
  ROUTE_STATUSES,
  salesFulfillers,
  salesMishandlings,
  salesOpportunities,
  salesOpportunityStageChanges,
  salesOrderEvents,
  salesOrderLines,
  salesOrderRoutes,
  salesOrders,
  salesPipelineStages,
  salesPriceLists,
  salesProducts,
  salesQuotes,
  salesQuoteVersions,
} from '../schema.js';
import { formatNumber, nextNumber, type Tx } from '../tx.js';
import { consolidatedEstimate, consolidatedStatus, lateCause } from './consolidate.js';

export type OrderRow = typeof salesOrders.$inferSelect;
export type MishandlingKind = (typeof MISHANDLING_KINDS)[number];
type RouteStatus = (typeof ROUTE_STATUSES)[number];

/** What a fulfiller may tell us about its work package. */
export const fulfillerCallbackSchema = z.strictObject({
  eventId: z.string().trim().min(1).max(200).describe('Unique per event on the fulfiller side: a retried callback with the same id is ignored'),
  order: z.string().trim().min(1).max(40).describe('Our order number, as sent in the order.routed webhook'),
  status: z.enum(['accepted', 'in_production', 'shipped', 'delivered', 'rejected']),
  estimatedDate: z.iso.date().optional().describe('When the work package will be ready'),
  externalRef: z.string().max(200).optional(),
  note: z.string().max(2000).optional(),
});
export type FulfillerCallback = z.infer<typeof fulfillerCallbackSchema>;

const HOUR = 3_600_000;
const hours = (a: Date | null, b: Date | null) => (a && b ? Math.round(((b.getTime() - a.getTime()) / HOUR) * 100) / 100 : null);

/** Accepted quotes become orders routed to fulfillers; their timeline, status callbacks and mishandlings. */
export class OrderService {
  constructor(
    private readonly ctx: SalesContext,
    private readonly quotes: QuoteService,
    private readonly fulfilment: FulfilmentService,
  ) {}

  private get db() {
    return this.ctx.db;
  }

  private get holidays() {
    return new Set(this.ctx.holidays);
  }

  /**
   * Accepting a quote version creates the order, re-plans its routing on today's capacity, sends each
   * fulfiller its work package and tells the customer one delivery date; all in one transaction, so a
   * refusal at any step leaves nothing behind.
   */
  async acceptQuote(actor: Actor, quoteId: string, input: { version: number; customerReference?: string }) {
    requireAction(actor, 'write', 'accept quotes');
    const quote = await this.quotes.getQuoteRow(actor, quoteId);
    if (quote.status === 'accepted') {
      const [order] = await this.db.orm.select({ number: salesOrders.number }).from(salesOrders).where(and(eq(salesOrders.tenantId, actor.tenantId), eq(salesOrders.quoteId, quoteId)));
      throw new ConflictError(`quote ${quote.number} was already accepted${order ? ` as order ${order.number}` : ''}`);
    }
    if (quote.status !== 'open') throw new ConflictError(`quote ${quote.number} is ${quote.status}`);
    const version = await this.quotes.getVersionRow(actor, quote, input.version);
    if (input.version !== quote.currentVersion || version.status === 'superseded') {
      throw new ConflictError(`version ${input.version} of ${quote.number} was superseded by version ${quote.currentVersion}; only the current version can be accepted`, [
        { path: 'body/version', message: `superseded; the current version is ${quote.currentVersion}` },
      ]);
    }
    if (version.status === 'pending_approval') throw new ConflictError(`version ${input.version} of ${quote.number} is waiting for discount approval`);
    if (version.status === 'rejected') throw new UnprocessableError(`version ${input.version} of ${quote.number} was rejected in approval; revise the quote`);
    const today = this.ctx.today();
    if (version.validUntil < today) throw new UnprocessableError(`quote ${quote.number} expired on ${version.validUntil}; revise it to reprice`);
    const [priceList] = await this.db.orm.select().from(salesPriceLists).where(and(eq(salesPriceLists.tenantId, actor.tenantId), eq(salesPriceLists.id, version.priceListId)));
    if (priceList.validTo !== null && priceList.validTo < today) {
      throw new UnprocessableError(`price list ${priceList.code} expired on ${priceList.validTo}; revise the quote to reprice it on a current list`);
    }

    const doc = version.document as unknown as QuoteDraft;
    const plan = await this.fulfilment.plan(actor.tenantId, {
      start: today,
      needBy: quote.needBy ?? undefined,
      lines: doc.lines.map((l) => ({ lineNo: l.lineNo, assemblyDays: l.assemblyDays })),
      demands: doc.lines.flatMap((l) => l.components.map((c) => ({ lineNo: l.lineNo, component: c.component, quantity: c.quantity }))),
    });
    if (plan.unavailable.length) throw new UnprocessableError(`nobody offers ${[...new Set(plan.unavailable.map((u) => u.component))].join(', ')} any more; revise the quote`);
    const products = await this.db.orm.select({ id: salesProducts.id, code: salesProducts.code }).from(salesProducts)
      .where(and(eq(salesProducts.tenantId, actor.tenantId), inArray(salesProducts.code, [...new Set(doc.lines.map((l) => l.product))])));
    const productId = new Map(products.map((p) => [p.code, p.id]));
    const now = this.ctx.now();
    const by = actor.userId ?? actor.kind;

    const orderId = await this.db.orm.transaction(async (tx) => {
      const won = await tx.update(salesQuotes).set({ status: 'accepted', updatedAt: now })
        .where(and(eq(salesQuotes.tenantId, actor.tenantId), eq(salesQuotes.id, quoteId), eq(salesQuotes.status, 'open'), eq(salesQuotes.currentVersion, input.version)))
        .returning({ id: salesQuotes.id });
      if (!won.length) throw new ConflictError(`quote ${quote.number} changed while it was being accepted; reload it`);
      await tx.update(salesQuoteVersions).set({ status: 'accepted' }).where(and(eq(salesQuoteVersions.tenantId, actor.tenantId), eq(salesQuoteVersions.id, version.id)));
      const number = formatNumber('SO', await nextNumber(tx, actor.tenantId, 'order'));
      const [order] = await tx.insert(salesOrders).values({
        tenantId: actor.tenantId,
        number,
        quoteId,
        quoteVersion: input.version,
        customerReference: input.customerReference ?? null,
        divisionId: quote.divisionId,
        customerId: quote.customerId,
        prospect: quote.prospect,
        ownerUserId: quote.ownerUserId,
        currency: version.currency,
        netTotal: version.netTotal,
        costTotal: plan.cost,
        promisedDate: plan.deliveryDate,
        estimatedDate: plan.deliveryDate,
        custom: doc.lines.some((l) => l.customised),
        requestedAt: quote.requestedAt,
        quotedAt: version.issuedAt ?? version.createdAt,
        acceptedAt: now,
        acceptedBy: actor.userId,
      }).returning();
      await tx.insert(salesOrderLines).values(doc.lines.map((l) => ({
        tenantId: actor.tenantId,
        orderId: order.id,
        lineNo: l.lineNo,
        productId: productId.get(l.product)!,
        productCode: l.product,
        description: [l.name, ...l.summary].join('; '),
        quantity: l.quantity,
        configuration: l.configuration,
        unitPrice: l.unitPrice,
        netAmount: l.netAmount,
        customised: l.customised,
        bundle: l.bundle,
      })));
      if (plan.routes.length) {
        await tx.insert(salesOrderRoutes).values(plan.routes.map((r) => ({
          tenantId: actor.tenantId,
          orderId: order.id,
          fulfillerId: r.fulfillerId,
          promisedDate: r.readyOn,
          estimatedDate: r.readyOn,
          cost: r.cost,
          items: r.items,
        })));
      }
      const events: (typeof salesOrderEvents.$inferInsert)[] = [
        { tenantId: actor.tenantId, orderId: order.id, kind: 'requested', at: quote.requestedAt, by: quote.ownerUserId ?? 'customer', data: { channel: quote.channel, quote: quote.number } },
        { tenantId: actor.tenantId, orderId: order.id, kind: 'quoted', at: version.issuedAt ?? version.createdAt, by: version.createdBy ?? 'system', data: { version: input.version, netTotal: version.netTotal, deliveryDate: version.deliveryDate } },
        { tenantId: actor.tenantId, orderId: order.id, kind: 'accepted', at: now, by, data: { customerReference: input.customerReference ?? null, promisedDate: plan.deliveryDate } },
        ...plan.routes.map((r) => ({ tenantId: actor.tenantId, orderId: order.id, kind: 'routed', at: now, by: 'system', data: { fulfiller: r.fulfiller, kind: r.kind, readyOn: r.readyOn, items: r.items, cost: r.cost } })),
      ];
      if (plan.deliveryDate > version.deliveryDate) {
        events.push({ tenantId: actor.tenantId, orderId: order.id, kind: 'promise-moved', at: now, by: 'system', data: { quoted: version.deliveryDate, promised: plan.deliveryDate, reason: 'fulfiller capacity was taken between quote and acceptance' } });
      }
      await tx.insert(salesOrderEvents).values(events);
      await enqueueEvent(tx, actor.tenantId, 'order.created', {
        orderId: order.id,
        number,
        quote: quote.number,
        customerId: quote.customerId,
        currency: version.currency,
        netTotal: version.netTotal,
        promisedDate: plan.deliveryDate,
        lines: doc.lines.map((l) => ({ lineNo: l.lineNo, product: l.product, quantity: l.quantity, summary: l.summary })),
      });
      await emitEvent(tx, actor.tenantId, 'quote.accepted', { quoteId: quote.id, quote: quote.number, version: input.version, orderId: order.id, order: number, customerId: quote.customerId });
      for (const r of plan.routes) {
        await enqueueEvent(tx, actor.tenantId, 'order.routed', { orderId: order.id, order: number, fulfiller: r.fulfiller, fulfillerId: r.fulfillerId, readyBy: r.readyOn, items: r.items });
      }
      if (quote.opportunityId) await this.winOpportunity(tx, actor, quote.opportunityId, toIsoDate(now), number);
      return order.id;
    });
    noteChange(actor, { resource: 'sales-orders', resourceId: orderId, action: 'create', after: { quote: quote.number, version: input.version } });
    return this.getOrder(actor, orderId);
  }

  /** The opportunity a quote was written for is won when the quote is accepted (if its pipeline has a won stage). */
  private async winOpportunity(tx: Tx, actor: Actor, opportunityId: string, today: string, orderNumber: string) {
    const [opp] = await tx.select().from(salesOpportunities).where(and(eq(salesOpportunities.tenantId, actor.tenantId), eq(salesOpportunities.id, opportunityId)));
    if (!opp || opp.outcome !== 'open') return;
    const [stage] = await tx.select().from(salesPipelineStages)
      .where(and(eq(salesPipelineStages.tenantId, actor.tenantId), eq(salesPipelineStages.pipelineId, opp.pipelineId), eq(salesPipelineStages.outcome, 'won')))
      .orderBy(asc(salesPipelineStages.position)).limit(1);
    if (!stage) return;
    await tx.update(salesOpportunities).set({ stageCode: stage.code, outcome: 'won', closedOn: today, updatedAt: new Date() })
      .where(and(eq(salesOpportunities.tenantId, actor.tenantId), eq(salesOpportunities.id, opp.id)));
    await tx.insert(salesOpportunityStageChanges).values({ tenantId: actor.tenantId, opportunityId: opp.id, fromStage: opp.stageCode, toStage: stage.code, changedBy: actor.userId, note: `order ${orderNumber} placed` });
  }

  async getOrderRow(actor: Actor, id: string): Promise<OrderRow> {
    const [row] = await this.db.orm.select().from(salesOrders)
      .where(and(eq(salesOrders.tenantId, actor.tenantId), eq(salesOrders.id, id), scopeFilter(actor, 'read', salesOrders.divisionId, salesOrders.ownerUserId)));
    if (!row) throw new NotFoundError('order', id);
    return row;
  }

  private async routesOf(tenantId: string, orderId: string) {
    const rows = await this.db.orm.select({ route: salesOrderRoutes, code: salesFulfillers.code, name: salesFulfillers.name, kind: salesFulfillers.kind })
      .from(salesOrderRoutes)
      .innerJoin(salesFulfillers, and(eq(salesFulfillers.tenantId, salesOrderRoutes.tenantId), eq(salesFulfillers.id, salesOrderRoutes.fulfillerId)))
      .where(and(eq(salesOrderRoutes.tenantId, tenantId), eq(salesOrderRoutes.orderId, orderId)))
      .orderBy(asc(salesFulfillers.code));
    return rows.map(({ route, code, name, kind }) => ({ ...route, fulfiller: code, fulfillerName: name, fulfillerKind: kind }));
  }

  /** The consolidated order the customer sees, with the work packages behind it and how long each step took. */
  async getOrder(actor: Actor, id: string) {
    const order = await this.getOrderRow(actor, id);
    const [lines, routes, mishandlings, quote] = await Promise.all([
      this.db.orm.select().from(salesOrderLines).where(and(eq(salesOrderLines.tenantId, actor.tenantId), eq(salesOrderLines.orderId, id))).orderBy(asc(salesOrderLines.lineNo)),
      this.routesOf(actor.tenantId, id),
      this.mishandlingsOf(actor.tenantId, [id]),
      this.db.orm.select({ number: salesQuotes.number }).from(salesQuotes).where(and(eq(salesQuotes.tenantId, actor.tenantId), eq(salesQuotes.id, order.quoteId))),
    ]);
    return { ...order, quoteNumber: quote[0]?.number ?? '', lines, routes, mishandlings, turnaround: turnaround(order, this.holidays) };
  }

  private async mishandlingsOf(tenantId: string, orderIds: string[]) {
    if (!orderIds.length) return [];
    return this.db.orm.select({ m: salesMishandlings, fulfiller: salesFulfillers.code })
      .from(salesMishandlings)
      .leftJoin(salesFulfillers, and(eq(salesFulfillers.tenantId, salesMishandlings.tenantId), eq(salesFulfillers.id, salesMishandlings.fulfillerId)))
      .where(and(eq(salesMishandlings.tenantId, tenantId), inArray(salesMishandlings.orderId, orderIds)))
      .orderBy(asc(salesMishandlings.recordedAt))
      .then((rows) => rows.map(({ m, fulfiller }) => ({ ...m, fulfiller })));
  }

  async listOrders(actor: Actor, q: { customerId?: string; divisionId?: string; status?: OrderRow['status']; limit: number; cursor?: string }) {
    const conds: (SQL | undefined)[] = [
      eq(salesOrders.tenantId, actor.tenantId),
      scopeFilter(actor, 'read', salesOrders.divisionId, salesOrders.ownerUserId),
      q.customerId ? eq(salesOrders.customerId, q.customerId) : undefined,
      q.divisionId ? eq(salesOrders.divisionId, q.divisionId) : undefined,
      q.status ? eq(salesOrders.status, q.status) : undefined,
      afterCursor({ column: salesOrders.id, direction: 'desc' }, salesOrders.id, q.cursor),
    ];
    const rows = await this.db.orm.select().from(salesOrders).where(and(...conds)).orderBy(desc(salesOrders.id)).limit(q.limit + 1);
    return finishPage(rows, q.limit, (r) => r.id);
  }

  async timeline(actor: Actor, id: string) {
    const order = await this.getOrderRow(actor, id);
    const events = await this.db.orm.select().from(salesOrderEvents)
      .where(and(eq(salesOrderEvents.tenantId, actor.tenantId), eq(salesOrderEvents.orderId, id))).orderBy(asc(salesOrderEvents.at), asc(salesOrderEvents.id));
    return { order: order.number, turnaround: turnaround(order, this.holidays), events: events.map(({ tenantId: _t, dedupeKey: _d, orderId: _o, ...e }) => e) };
  }

  async recordMishandling(actor: Actor, id: string, input: { kind: MishandlingKind; cause: string; lineNo?: number; fulfiller?: string }) {
    requireAction(actor, 'write', 'record mishandled orders');
    const order = await this.getOrderRow(actor, id);
    let fulfillerId: string | null = null;
    if (input.fulfiller) fulfillerId = (await this.fulfilment.getFulfiller(actor, input.fulfiller)).id;
    if (input.lineNo !== undefined) {
      const [line] = await this.db.orm.select({ id: salesOrderLines.id }).from(salesOrderLines)
        .where(and(eq(salesOrderLines.tenantId, actor.tenantId), eq(salesOrderLines.orderId, id), eq(salesOrderLines.lineNo, input.lineNo)));
      if (!line) throw new ValidationError('no such line', [{ path: 'body/lineNo', message: `order ${order.number} has no line ${input.lineNo}` }]);
    }
    const by = actor.userId ?? actor.kind;
    await this.db.orm.transaction(async (tx) => {
      await tx.insert(salesMishandlings).values({ tenantId: actor.tenantId, orderId: id, kind: input.kind, cause: input.cause, lineNo: input.lineNo ?? null, fulfillerId, recordedBy: by, recordedAt: this.ctx.now() });
      await tx.insert(salesOrderEvents).values({ tenantId: actor.tenantId, orderId: id, kind: 'mishandled', at: this.ctx.now(), by, data: { kind: input.kind, cause: input.cause, lineNo: input.lineNo ?? null, fulfiller: input.fulfiller ?? null } });
      await enqueueEvent(tx, actor.tenantId, 'order.mishandled', { orderId: id, order: order.number, kind: input.kind, cause: input.cause });
    });
    noteChange(actor, { resource: 'sales-orders', resourceId: id, action: 'update', after: { mishandled: input.kind } });
    return this.getOrder(actor, id);
  }

  /** Our own shipping: shipped, delivered (a late delivery records its own mishandling, with the cause) or cancelled. */
  async updateStatus(actor: Actor, id: string, input: { status: 'shipped' | 'delivered' | 'cancelled'; at?: Date; note?: string }) {
    requireAction(actor, 'write', 'update orders');
    const order = await this.getOrderRow(actor, id);
    const allowed: Record<string, string[]> = { confirmed: ['shipped', 'delivered', 'cancelled'], in_production: ['shipped', 'delivered', 'cancelled'], shipped: ['delivered'], delivered: [], cancelled: [] };
    if (!allowed[order.status].includes(input.status)) throw new ConflictError(`order ${order.number} is ${order.status.replace('_', ' ')}; it cannot become ${input.status}`);
    const at = input.at ?? this.ctx.now();
    const by = actor.userId ?? actor.kind;
    const routes = await this.routesOf(actor.tenantId, id);
    await this.db.orm.transaction(async (tx) => {
      const changed = await tx.update(salesOrders).set({ status: input.status, deliveredAt: input.status === 'delivered' ? at : order.deliveredAt, updatedAt: this.ctx.now() })
        .where(and(eq(salesOrders.tenantId, actor.tenantId), eq(salesOrders.id, id), eq(salesOrders.status, order.status))).returning({ id: salesOrders.id });
      if (!changed.length) throw new ConflictError(`order ${order.number} changed meanwhile; reload it`);
      await tx.insert(salesOrderEvents).values({ tenantId: actor.tenantId, orderId: id, kind: input.status, at, by, data: { note: input.note ?? null } });
      if (input.status === 'cancelled') {
        await tx.update(salesOrderRoutes).set({ status: 'cancelled', updatedAt: this.ctx.now() })
          .where(and(eq(salesOrderRoutes.tenantId, actor.tenantId), eq(salesOrderRoutes.orderId, id), inArray(salesOrderRoutes.status, ['requested', 'accepted', 'in_production'])));
      }
      if (input.status === 'delivered') {
        const deliveredOn = toIsoDate(at);
        if (businessDaysBetween(order.promisedDate, deliveredOn, this.holidays) > 0) {
          const late = lateCause(order.promisedDate, deliveredOn, routes, this.holidays);
          const worst = routes.find((r) => r.fulfiller === late.worst);
          await tx.insert(salesMishandlings).values({ tenantId: actor.tenantId, orderId: id, kind: 'late', cause: late.cause, fulfillerId: worst?.fulfillerId ?? null, recordedBy: 'system', recordedAt: at });
          await tx.insert(salesOrderEvents).values({ tenantId: actor.tenantId, orderId: id, kind: 'mishandled', at, by: 'system', data: { kind: 'late', cause: late.cause } });
        }
        await enqueueEvent(tx, actor.tenantId, 'order.delivered', { orderId: id, order: order.number, deliveredAt: at.toISOString(), promisedDate: order.promisedDate });
      } else {
        await enqueueEvent(tx, actor.tenantId, 'order.updated', { orderId: id, order: order.number, status: input.status, estimatedDate: order.estimatedDate });
      }
    });
    noteChange(actor, { resource: 'sales-orders', resourceId: id, action: 'update', before: { status: order.status }, after: { status: input.status } });
    return this.getOrder(actor, id);
  }

  /** Staff report progress on a work package (our own plant, or a subcontractor on the phone). */
  async updateRoute(actor: Actor, id: string, fulfillerCode: string, input: { status: RouteStatus; estimatedDate?: string; note?: string }) {
    requireAction(actor, 'write', 'update orders');
    const order = await this.getOrderRow(actor, id);
    const fulfiller = await this.fulfilment.getFulfiller(actor, fulfillerCode);
    await this.applyRouteUpdate(actor.tenantId, order, fulfiller.id, fulfiller.code, { ...input, by: actor.userId ?? actor.kind, dedupeKey: null });
    noteChange(actor, { resource: 'sales-orders', resourceId: id, action: 'update', after: { fulfiller: fulfillerCode, ...input } });
    return this.getOrder(actor, id);
  }

  /**
   * Gives a work package a fulfiller rejected (or cannot deliver) to others, by the same routing rules,
   * excluding that fulfiller. The customer's promise is not rewritten: the new packages keep the date the
   * rejected one was promised for, so any lateness shows as a slip of the consolidated estimate.
   */
  async reroute(actor: Actor, id: string, fulfillerCode: string, input: { note?: string } = {}) {
    requireAction(actor, 'write', 'reroute orders');
    const order = await this.getOrderRow(actor, id);
    if (order.status === 'shipped' || order.status === 'delivered' || order.status === 'cancelled') throw new ConflictError(`order ${order.number} is ${order.status}`);
    const fulfiller = await this.fulfilment.getFulfiller(actor, fulfillerCode);
    const routes = await this.routesOf(actor.tenantId, id);
    const rejected = routes.find((r) => r.fulfillerId === fulfiller.id);
    if (!rejected) throw new NotFoundError(`work package of ${fulfillerCode} on order`, order.number);
    if (rejected.status === 'delivered' || rejected.status === 'shipped' || rejected.status === 'cancelled') throw new ConflictError(`the work package of ${fulfillerCode} is ${rejected.status}; nothing to reroute`);
    const [version] = await this.db.orm.select().from(salesQuoteVersions)
      .where(and(eq(salesQuoteVersions.tenantId, actor.tenantId), eq(salesQuoteVersions.quoteId, order.quoteId), eq(salesQuoteVersions.version, order.quoteVersion)));
    const doc = version.document as unknown as QuoteDraft;
    const lineNos = new Set(rejected.items.map((i) => i.lineNo));
    const plan = await this.fulfilment.plan(actor.tenantId, {
      start: this.ctx.today(),
      lines: doc.lines.filter((l) => lineNos.has(l.lineNo)).map((l) => ({ lineNo: l.lineNo, assemblyDays: l.assemblyDays })),
      demands: rejected.items.map((i) => ({ lineNo: i.lineNo, component: i.component, quantity: i.quantity })),
      excludeFulfillerIds: [fulfiller.id],
    });
    if (plan.unavailable.length) throw new UnprocessableError(`nobody else offers ${[...new Set(plan.unavailable.map((u) => u.component))].join(', ')}`);
    const now = this.ctx.now();
    const by = actor.userId ?? actor.kind;
    await this.db.orm.transaction(async (tx) => {
      await tx.update(salesOrderRoutes).set({ status: 'cancelled', updatedAt: now })
        .where(and(eq(salesOrderRoutes.tenantId, actor.tenantId), eq(salesOrderRoutes.id, rejected.id), eq(salesOrderRoutes.status, rejected.status)));
      for (const r of plan.routes) {
        const existing = routes.find((x) => x.fulfillerId === r.fulfillerId);
        if (existing && existing.status !== 'cancelled' && existing.status !== 'rejected') {
          await tx.update(salesOrderRoutes)
            .set({
              items: [...existing.items, ...r.items],
              cost: existing.cost + r.cost,
              // The package now also carries work promised for the rejected one's date: measure slips against the later of the two.
              promisedDate: rejected.promisedDate > existing.promisedDate ? rejected.promisedDate : existing.promisedDate,
              estimatedDate: r.readyOn > existing.estimatedDate ? r.readyOn : existing.estimatedDate,
              updatedAt: now,
            })
            .where(and(eq(salesOrderRoutes.tenantId, actor.tenantId), eq(salesOrderRoutes.id, existing.id)));
        } else if (existing) {
          throw new ConflictError(`${r.fulfiller} already declined or lost work on ${order.number}; reroute by hand`);
        } else {
          await tx.insert(salesOrderRoutes).values({ tenantId: actor.tenantId, orderId: id, fulfillerId: r.fulfillerId, promisedDate: rejected.promisedDate, estimatedDate: r.readyOn, cost: r.cost, items: r.items });
        }
        await enqueueEvent(tx, actor.tenantId, 'order.routed', { orderId: id, order: order.number, fulfiller: r.fulfiller, fulfillerId: r.fulfillerId, readyBy: r.readyOn, items: r.items });
      }
      await tx.insert(salesOrderEvents).values({ tenantId: actor.tenantId, orderId: id, kind: 'rerouted', at: now, by, data: { from: fulfillerCode, to: plan.routes.map((r) => r.fulfiller), note: input.note ?? null } });
      const live = await tx.select({ status: salesOrderRoutes.status, promisedDate: salesOrderRoutes.promisedDate, estimatedDate: salesOrderRoutes.estimatedDate, fulfillerId: salesOrderRoutes.fulfillerId })
        .from(salesOrderRoutes).where(and(eq(salesOrderRoutes.tenantId, actor.tenantId), eq(salesOrderRoutes.orderId, id)));
      const estimate = consolidatedEstimate(order.promisedDate, live.map((r) => ({ ...r, fulfiller: r.fulfillerId })), this.holidays);
      await tx.update(salesOrders).set({ estimatedDate: estimate, costTotal: order.costTotal - rejected.cost + plan.cost, updatedAt: now }).where(and(eq(salesOrders.tenantId, actor.tenantId), eq(salesOrders.id, id)));
      if (estimate !== order.estimatedDate) {
        await tx.insert(salesOrderEvents).values({ tenantId: actor.tenantId, orderId: id, kind: 'estimate-moved', at: now, by: 'system', data: { from: order.estimatedDate, to: estimate, promised: order.promisedDate, because: `rerouted from ${fulfillerCode}` } });
      }
      await enqueueEvent(tx, actor.tenantId, 'order.updated', { orderId: id, order: order.number, status: order.status, estimatedDate: estimate, promisedDate: order.promisedDate });
    });
    noteChange(actor, { resource: 'sales-orders', resourceId: id, action: 'update', after: { reroutedFrom: fulfillerCode, to: plan.routes.map((r) => r.fulfiller) } });
    return this.getOrder(actor, id);
  }

  /**
   * Authenticates a fulfiller's callback by the HMAC of the raw body under its secret (there is no user):
   * an unknown fulfiller and a bad signature get the same 401. Binds the request to the fulfiller's tenant.
   */
  async authenticateFulfiller(fulfillerId: string, rawBody: string, signature: string | undefined) {
    const fulfiller = /^[0-9a-f-]{36}$/i.test(fulfillerId) ? await this.fulfilment.fulfillerForCallback(fulfillerId) : null;
    const check = fulfiller ? verifySignature(fulfiller.callbackSecret, signature, rawBody, Math.floor(this.ctx.now().getTime() / 1000)) : ({ ok: false, reason: 'mismatch' } as const);
    if (!fulfiller || !check.ok) throw new UnauthenticatedError(`the ${SIGNATURE_HEADER} header does not verify (${check.ok ? 'mismatch' : check.reason})`);
    // From here on this request acts for the fulfiller's tenant only (row-level security on the server engine).
    tenantContext.bind(fulfiller.tenantId);
    if (fulfiller.status !== 'active') throw new UnprocessableError(`fulfiller ${fulfiller.code} is inactive`);
    return fulfiller;
  }

  /** A verified callback: updates the work package and the consolidated order. Retries with the same eventId are no-ops. */
  async applyFulfillerCallback(fulfiller: { id: string; code: string; tenantId: string }, cb: FulfillerCallback) {
    const [order] = await this.db.orm.select().from(salesOrders).where(and(eq(salesOrders.tenantId, fulfiller.tenantId), eq(salesOrders.number, cb.order)));
    if (!order) throw new NotFoundError('order', cb.order);
    const applied = await this.applyRouteUpdate(fulfiller.tenantId, order, fulfiller.id, fulfiller.code, {
      status: cb.status,
      estimatedDate: cb.estimatedDate,
      externalRef: cb.externalRef,
      note: cb.note,
      by: `fulfiller:${fulfiller.code}`,
      dedupeKey: `fulfiller:${fulfiller.id}:${cb.eventId}`,
    });
    const [after] = await this.db.orm.select().from(salesOrders).where(and(eq(salesOrders.tenantId, fulfiller.tenantId), eq(salesOrders.id, order.id)));
    return { duplicate: !applied, order: after.number, status: after.status, estimatedDate: after.estimatedDate, promisedDate: after.promisedDate };
  }

  /** Both steps, for callers holding the raw request (tests, other transports). */
  async receiveFulfillerCallback(fulfillerId: string, rawBody: string, signature: string | undefined) {
    const fulfiller = await this.authenticateFulfiller(fulfillerId, rawBody, signature);
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      throw new ValidationError('the body is not JSON', [{ path: 'body', message: 'not JSON' }]);
    }
    const body = fulfillerCallbackSchema.safeParse(parsed);
    if (!body.success) throw new ValidationError('invalid callback', body.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('/'), message: i.message })));
    return this.applyFulfillerCallback(fulfiller, body.data);
  }

  /** Returns false when the update was a retry already applied. */
  private async applyRouteUpdate(
    tenantId: string,
    order: OrderRow,
    fulfillerId: string,
    fulfillerCode: string,
    u: { status: RouteStatus; estimatedDate?: string; externalRef?: string; note?: string; by: string; dedupeKey: string | null },
  ): Promise<boolean> {
    const now = this.ctx.now();
    return this.db.orm.transaction(async (tx) => {
      const [route] = await tx.select().from(salesOrderRoutes)
        .where(and(eq(salesOrderRoutes.tenantId, tenantId), eq(salesOrderRoutes.orderId, order.id), eq(salesOrderRoutes.fulfillerId, fulfillerId)))
        .for('update');
      if (!route) throw new NotFoundError(`work package of ${fulfillerCode} on order`, order.number);
      const inserted = await tx.insert(salesOrderEvents)
        .values({ tenantId, orderId: order.id, kind: 'route-update', at: now, by: u.by, dedupeKey: u.dedupeKey, data: { fulfiller: fulfillerCode, status: u.status, estimatedDate: u.estimatedDate ?? null, note: u.note ?? null, externalRef: u.externalRef ?? null } })
        .onConflictDoNothing()
        .returning({ id: salesOrderEvents.id });
      if (!inserted.length) return false;
      if (route.status === 'cancelled' || route.status === 'delivered') throw new ConflictError(`the work package of ${fulfillerCode} on ${order.number} is already ${route.status}`);
      const estimatedDate = u.estimatedDate ?? route.estimatedDate;
      await tx.update(salesOrderRoutes).set({ status: u.status, estimatedDate, externalRef: u.externalRef ?? route.externalRef, updatedAt: now })
        .where(and(eq(salesOrderRoutes.tenantId, tenantId), eq(salesOrderRoutes.id, route.id)));
      const routes = await tx.select({ fulfillerId: salesOrderRoutes.fulfillerId, status: salesOrderRoutes.status, promisedDate: salesOrderRoutes.promisedDate, estimatedDate: salesOrderRoutes.estimatedDate })
        .from(salesOrderRoutes).where(and(eq(salesOrderRoutes.tenantId, tenantId), eq(salesOrderRoutes.orderId, order.id)));
      const dated = routes.map((r) => ({ ...r, fulfiller: r.fulfillerId }));
      const estimate = consolidatedEstimate(order.promisedDate, dated, this.holidays);
      const status = consolidatedStatus(order.status, routes) as OrderRow['status'];
      await tx.update(salesOrders).set({ estimatedDate: estimate, status, updatedAt: now }).where(and(eq(salesOrders.tenantId, tenantId), eq(salesOrders.id, order.id)));
      if (u.status === 'rejected') {
        await tx.insert(salesOrderEvents).values({ tenantId, orderId: order.id, kind: 'needs-rerouting', at: now, by: 'system', data: { fulfiller: fulfillerCode, reason: u.note ?? 'the fulfiller declined the work' } });
      }
      if (estimate !== order.estimatedDate) {
        await tx.insert(salesOrderEvents).values({ tenantId, orderId: order.id, kind: 'estimate-moved', at: now, by: 'system', data: { from: order.estimatedDate, to: estimate, promised: order.promisedDate, because: fulfillerCode } });
      }
      await enqueueEvent(tx, tenantId, 'order.updated', { orderId: order.id, order: order.number, status, estimatedDate: estimate, promisedDate: order.promisedDate, fulfiller: fulfillerCode, routeStatus: u.status });
      return true;
    });
  }
}

/** How long each step took: request to quote, quote to acceptance, quote to delivery, and lateness in business days. */
export function turnaround(order: Pick<OrderRow, 'requestedAt' | 'quotedAt' | 'acceptedAt' | 'deliveredAt' | 'promisedDate' | 'estimatedDate'>, holidays: ReadonlySet<string>) {
  const days = (a: Date, b: Date | null) => (b ? Math.round(((b.getTime() - a.getTime()) / 86_400_000) * 100) / 100 : null);
  return {
    requestToQuoteHours: hours(order.requestedAt, order.quotedAt),
    quoteToAcceptHours: hours(order.quotedAt, order.acceptedAt),
    quoteToDeliveryDays: days(order.quotedAt, order.deliveredAt),
    requestToDeliveryDays: days(order.requestedAt, order.deliveredAt),
    lateBusinessDays: order.deliveredAt ? Math.max(0, businessDaysBetween(order.promisedDate, toIsoDate(order.deliveredAt), holidays)) : null,
    expectedLateBusinessDays: Math.max(0, businessDaysBetween(order.promisedDate, order.estimatedDate, holidays)),
  };
}
