import { and, eq, gte, inArray, isNotNull, lt, min, or } from 'drizzle-orm';
import type { Actor } from '../../../core/actor.js';
import { ValidationError } from '../../../core/errors.js';
import { scopeFilter, type SalesContext } from '../context.js';
import { salesMishandlings, salesOrders, salesQuoteVersions, salesQuotes } from '../schema.js';
import { experienceMeasures, type Interval } from './experience.js';

/** Total-customer-experience measures over a period, by division, from quotes and orders (plus whatever signals are connected). */
export class MeasureService {
  constructor(private readonly ctx: SalesContext) {}

  async experience(actor: Actor, q: { from: Date; to: Date; interval: Interval; divisionId?: string; byDivision?: boolean }) {
    if (q.to <= q.from) throw new ValidationError('the period ends before it starts', [{ path: 'query/to', message: 'after from' }]);
    const db = this.ctx.db.orm;
    const quoteScope = and(
      eq(salesQuotes.tenantId, actor.tenantId),
      scopeFilter(actor, 'read', salesQuotes.divisionId),
      q.divisionId ? eq(salesQuotes.divisionId, q.divisionId) : undefined,
      gte(salesQuotes.requestedAt, q.from),
      lt(salesQuotes.requestedAt, q.to),
    );
    const quotes = await db
      .select({ divisionId: salesQuotes.divisionId, requestedAt: salesQuotes.requestedAt, issuedAt: min(salesQuoteVersions.issuedAt) })
      .from(salesQuotes)
      .leftJoin(salesQuoteVersions, and(eq(salesQuoteVersions.tenantId, salesQuotes.tenantId), eq(salesQuoteVersions.quoteId, salesQuotes.id), isNotNull(salesQuoteVersions.issuedAt)))
      .where(quoteScope)
      .groupBy(salesQuotes.id, salesQuotes.divisionId, salesQuotes.requestedAt);
    // Orders accepted in the period (custom share, mishandled rate) and orders delivered in it (turnaround, on time).
    const orders = await db.select().from(salesOrders).where(and(
      eq(salesOrders.tenantId, actor.tenantId),
      scopeFilter(actor, 'read', salesOrders.divisionId),
      q.divisionId ? eq(salesOrders.divisionId, q.divisionId) : undefined,
      or(and(gte(salesOrders.acceptedAt, q.from), lt(salesOrders.acceptedAt, q.to)), and(gte(salesOrders.deliveredAt, q.from), lt(salesOrders.deliveredAt, q.to))),
    ));
    const mishandlings = orders.length
      ? await db.select({ orderId: salesMishandlings.orderId, kind: salesMishandlings.kind }).from(salesMishandlings)
        .where(and(eq(salesMishandlings.tenantId, actor.tenantId), inArray(salesMishandlings.orderId, orders.map((o) => o.id))))
      : [];
    const byOrder = new Map<string, { kind: string }[]>();
    for (const m of mishandlings) byOrder.set(m.orderId, [...(byOrder.get(m.orderId) ?? []), m]);
    const periods = experienceMeasures(
      quotes.map((x) => ({ divisionId: x.divisionId, requestedAt: x.requestedAt, issuedAt: x.issuedAt ? new Date(x.issuedAt) : null })),
      orders.map((o) => ({
        divisionId: o.divisionId,
        requestedAt: o.requestedAt,
        quotedAt: o.quotedAt,
        acceptedAt: o.acceptedAt,
        promisedDate: o.promisedDate,
        deliveredAt: o.deliveredAt,
        custom: o.custom,
        mishandlings: byOrder.get(o.id) ?? [],
      })),
      q.interval,
      { from: q.from, to: q.to },
      q.byDivision ?? false,
    );
    // A division-scoped actor sees the signals of their own divisions only, like the measures above.
    const divisionIds = q.divisionId ? [q.divisionId] : (actor.divisionIds ?? null);
    const signals = await this.ctx.signals.signals(actor.tenantId, { from: q.from, to: q.to, interval: q.interval, divisionIds });
    return { from: q.from, to: q.to, interval: q.interval, divisionId: q.divisionId ?? null, periods, signals: { source: this.ctx.signals.name, ...signals } };
  }
}
