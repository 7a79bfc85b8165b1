import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { noteChange, type Actor } from '../../../core/actor.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../core/errors.js';
import { requireSetup, type SalesContext } from '../context.js';
import { salesComponents, salesFulfillerOffers, salesFulfillers, salesOrderRoutes, salesOutbox, salesWebhookEndpoints } from '../schema.js';
import type { CatalogueService } from '../catalogue/service.js';
import { planDelivery, type ComponentDemand, type DeliveryPlan, type FulfillerOffer, type PlanLine } from './planning.js';
import { backoffMs, sendSigned } from '../../../core/webhooks/delivery.js';

export type FulfillerRow = typeof salesFulfillers.$inferSelect;
export type PublicFulfiller = Omit<FulfillerRow, 'callbackSecret' | 'tenantId'>;

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;
const publicFulfiller = ({ callbackSecret: _s, tenantId: _t, ...f }: FulfillerRow): PublicFulfiller => f;
/** Work still ahead of a fulfiller: it queues new work behind this. */
const OPEN_ROUTE = ['requested', 'accepted', 'in_production'] as const;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface OfferInput {
  fulfiller: string;
  component: string;
  leadTimeDays: number;
  capacityPerDay?: number | null;
  stockOnHand?: number | null;
  unitCost: number;
}

/** Who can make or supply what (own plant and stock, subcontractors), how fast, how much; and our signed webhooks out. */
export class FulfilmentService {
  constructor(
    private readonly ctx: SalesContext,
    private readonly catalogue: CatalogueService,
  ) {}

  private get db() {
    return this.ctx.db;
  }

  async listFulfillers(actor: Actor): Promise<PublicFulfiller[]> {
    const rows = await this.db.orm.select().from(salesFulfillers).where(eq(salesFulfillers.tenantId, actor.tenantId)).orderBy(asc(salesFulfillers.code));
    return rows.map(publicFulfiller);
  }

  async getFulfiller(actor: Actor, code: string): Promise<FulfillerRow> {
    const [row] = await this.db.orm.select().from(salesFulfillers).where(and(eq(salesFulfillers.tenantId, actor.tenantId), eq(salesFulfillers.code, code)));
    if (!row) throw new NotFoundError('fulfiller', code);
    return row;
  }

  /** The callback secret is shown once, here; afterwards only rotateSecret reveals a new one. */
  async createFulfiller(actor: Actor, input: { code: string; name: string; kind: 'own' | 'subcontractor'; contactEmail?: string; holidays?: string[] }) {
    requireSetup(actor, 'register fulfillers');
    this.checkHolidays(input.holidays);
    const [clash] = await this.db.orm.select({ id: salesFulfillers.id }).from(salesFulfillers).where(and(eq(salesFulfillers.tenantId, actor.tenantId), eq(salesFulfillers.code, input.code)));
    if (clash) throw new ConflictError(`fulfiller ${input.code} exists`, [{ path: 'body/code', message: 'already taken' }]);
    const callbackSecret = newSecret();
    const [row] = await this.db.orm.insert(salesFulfillers).values({ tenantId: actor.tenantId, ...input, holidays: input.holidays ?? [], callbackSecret }).returning();
    noteChange(actor, { resource: 'sales-fulfillers', resourceId: row.id, action: 'create', after: publicFulfiller(row) });
    this.ctx.cache.invalidate(actor.tenantId);
    return { ...publicFulfiller(row), callbackSecret };
  }

  async updateFulfiller(actor: Actor, code: string, patch: { name?: string; contactEmail?: string | null; holidays?: string[]; status?: 'active' | 'inactive' }) {
    requireSetup(actor, 'change fulfillers');
    this.checkHolidays(patch.holidays);
    const current = await this.getFulfiller(actor, code);
    const [row] = await this.db.orm.update(salesFulfillers).set({ ...patch, updatedAt: new Date() })
      .where(and(eq(salesFulfillers.tenantId, actor.tenantId), eq(salesFulfillers.id, current.id))).returning();
    noteChange(actor, { resource: 'sales-fulfillers', resourceId: row.id, action: 'update', before: publicFulfiller(current), after: publicFulfiller(row) });
    this.ctx.cache.invalidate(actor.tenantId);
    return publicFulfiller(row);
  }

  async rotateSecret(actor: Actor, code: string) {
    requireSetup(actor, 'rotate fulfiller secrets');
    const current = await this.getFulfiller(actor, code);
    const callbackSecret = newSecret();
    const [row] = await this.db.orm.update(salesFulfillers).set({ callbackSecret, updatedAt: new Date() })
      .where(and(eq(salesFulfillers.tenantId, actor.tenantId), eq(salesFulfillers.id, current.id))).returning();
    noteChange(actor, { resource: 'sales-fulfillers', resourceId: row.id, action: 'update', after: { secretRotated: true } });
    return { ...publicFulfiller(row), callbackSecret };
  }

  /** For the unauthenticated callback route: the fulfiller (any tenant) whose secret signs the request. */
  async fulfillerForCallback(id: string): Promise<FulfillerRow | null> {
    const [row] = await this.db.orm.select().from(salesFulfillers).where(eq(salesFulfillers.id, id));
    return row ?? null;
  }

  private checkHolidays(holidays?: string[]) {
    const bad = (holidays ?? []).findIndex((h) => !ISO_DATE.test(h));
    if (bad >= 0) throw new ValidationError('holidays are dates', [{ path: `body/holidays/${bad}`, message: 'YYYY-MM-DD' }]);
  }

  async listOffers(actor: Actor, q: { fulfiller?: string; component?: string } = {}) {
    return this.db.orm
      .select({
        id: salesFulfillerOffers.id,
        fulfiller: salesFulfillers.code,
        fulfillerName: salesFulfillers.name,
        kind: salesFulfillers.kind,
        component: salesComponents.code,
        leadTimeDays: salesFulfillerOffers.leadTimeDays,
        capacityPerDay: salesFulfillerOffers.capacityPerDay,
        stockOnHand: salesFulfillerOffers.stockOnHand,
        unitCost: salesFulfillerOffers.unitCost,
        updatedAt: salesFulfillerOffers.updatedAt,
      })
      .from(salesFulfillerOffers)
      .innerJoin(salesFulfillers, and(eq(salesFulfillers.tenantId, salesFulfillerOffers.tenantId), eq(salesFulfillers.id, salesFulfillerOffers.fulfillerId)))
      .innerJoin(salesComponents, and(eq(salesComponents.tenantId, salesFulfillerOffers.tenantId), eq(salesComponents.id, salesFulfillerOffers.componentId)))
      .where(and(eq(salesFulfillerOffers.tenantId, actor.tenantId), q.fulfiller ? eq(salesFulfillers.code, q.fulfiller) : undefined, q.component ? eq(salesComponents.code, q.component) : undefined))
      .orderBy(asc(salesComponents.code), asc(salesFulfillers.code));
  }

  /** Adds or replaces what a fulfiller offers for a component (stock levels and capacity change often). */
  async putOffer(actor: Actor, input: OfferInput) {
    requireSetup(actor, 'change what fulfillers offer');
    const fulfiller = await this.getFulfiller(actor, input.fulfiller);
    const component = (await this.catalogue.componentsByCode(actor.tenantId, [input.component])).get(input.component);
    if (!component) throw new ValidationError('unknown component', [{ path: 'body/component', message: `no component ${input.component}` }]);
    const values = {
      tenantId: actor.tenantId,
      fulfillerId: fulfiller.id,
      componentId: component.id,
      leadTimeDays: input.leadTimeDays,
      capacityPerDay: input.capacityPerDay ?? null,
      stockOnHand: input.stockOnHand ?? null,
      unitCost: input.unitCost,
    };
    await this.db.orm.insert(salesFulfillerOffers).values(values).onConflictDoUpdate({
      target: [salesFulfillerOffers.tenantId, salesFulfillerOffers.fulfillerId, salesFulfillerOffers.componentId],
      set: { leadTimeDays: values.leadTimeDays, capacityPerDay: values.capacityPerDay, stockOnHand: values.stockOnHand, unitCost: values.unitCost, updatedAt: new Date() },
    });
    noteChange(actor, { resource: 'sales-fulfillers', resourceId: fulfiller.id, action: 'update', after: input });
    this.ctx.cache.invalidate(actor.tenantId);
    const [offer] = await this.listOffers(actor, { fulfiller: input.fulfiller, component: input.component });
    return offer;
  }

  /** Offers of active fulfillers for these components, in the planner's shape. */
  async offersFor(tenantId: string, components: readonly string[]): Promise<FulfillerOffer[]> {
    if (!components.length) return [];
    const wanted = new Set(components);
    return (await this.ctx.cache.get(tenantId, 'offers', () => this.loadOffers(tenantId))).filter((o) => wanted.has(o.component));
  }

  private async loadOffers(tenantId: string): Promise<FulfillerOffer[]> {
    const rows = await this.db.orm
      .select({ offer: salesFulfillerOffers, f: salesFulfillers, component: salesComponents.code })
      .from(salesFulfillerOffers)
      .innerJoin(salesFulfillers, and(eq(salesFulfillers.tenantId, salesFulfillerOffers.tenantId), eq(salesFulfillers.id, salesFulfillerOffers.fulfillerId)))
      .innerJoin(salesComponents, and(eq(salesComponents.tenantId, salesFulfillerOffers.tenantId), eq(salesComponents.id, salesFulfillerOffers.componentId)))
      .where(and(eq(salesFulfillerOffers.tenantId, tenantId), eq(salesFulfillers.status, 'active')));
    return rows.map(({ offer, f, component }) => ({
      fulfillerId: f.id,
      fulfiller: f.code,
      fulfillerName: f.name,
      kind: f.kind,
      component,
      leadTimeDays: offer.leadTimeDays,
      capacityPerDay: offer.capacityPerDay,
      stockOnHand: offer.stockOnHand,
      unitCost: offer.unitCost,
      holidays: f.holidays,
    }));
  }

  /** Units each fulfiller still has to make for open orders, per component: new work queues behind it. */
  async backlog(tenantId: string, fulfillerIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!fulfillerIds.length) return out;
    const rows = await this.db.orm.select({ fulfillerId: salesOrderRoutes.fulfillerId, items: salesOrderRoutes.items }).from(salesOrderRoutes)
      .where(and(eq(salesOrderRoutes.tenantId, tenantId), inArray(salesOrderRoutes.fulfillerId, [...new Set(fulfillerIds)]), inArray(salesOrderRoutes.status, [...OPEN_ROUTE])));
    for (const r of rows) for (const i of r.items) out.set(`${r.fulfillerId}|${i.component}`, (out.get(`${r.fulfillerId}|${i.component}`) ?? 0) + i.quantity);
    return out;
  }

  /** The delivery plan for a set of lines from today's offers and backlog. */
  async plan(tenantId: string, input: { start: string; lines: PlanLine[]; demands: ComponentDemand[]; needBy?: string; excludeFulfillerIds?: string[] }): Promise<DeliveryPlan> {
    const excluded = new Set(input.excludeFulfillerIds ?? []);
    const offers = (await this.offersFor(tenantId, input.demands.map((d) => d.component))).filter((o) => !excluded.has(o.fulfillerId));
    const backlog = await this.backlog(tenantId, offers.map((o) => o.fulfillerId));
    return planDelivery({ ...input, offers, backlog, shippingDays: this.ctx.shippingDays, holidays: this.ctx.holidays });
  }

  // --- webhooks out -------------------------------------------------------------------------------

  async listWebhooks(actor: Actor) {
    const rows = await this.db.orm.select().from(salesWebhookEndpoints).where(eq(salesWebhookEndpoints.tenantId, actor.tenantId)).orderBy(asc(salesWebhookEndpoints.createdAt));
    return rows.map(({ secret: _s, tenantId: _t, ...w }) => w);
  }

  async createWebhook(actor: Actor, input: { url: string; events?: string[] }) {
    requireSetup(actor, 'register webhooks');
    const secret = newSecret();
    const [row] = await this.db.orm.insert(salesWebhookEndpoints).values({ tenantId: actor.tenantId, url: input.url, events: input.events ?? [], secret }).returning();
    noteChange(actor, { resource: 'sales-webhooks', resourceId: row.id, action: 'create', after: { url: row.url, events: row.events } });
    const { tenantId: _t, ...rest } = row;
    return rest;
  }

  async deleteWebhook(actor: Actor, id: string) {
    requireSetup(actor, 'remove webhooks');
    const [row] = await this.db.orm.update(salesWebhookEndpoints).set({ active: false, updatedAt: new Date() })
      .where(and(eq(salesWebhookEndpoints.tenantId, actor.tenantId), eq(salesWebhookEndpoints.id, id))).returning();
    if (!row) throw new NotFoundError('webhook', id);
    noteChange(actor, { resource: 'sales-webhooks', resourceId: id, action: 'delete' });
  }

  async pendingOutbox(actor: Actor, limit = 50) {
    return this.db.orm.select().from(salesOutbox).where(and(eq(salesOutbox.tenantId, actor.tenantId), isNull(salesOutbox.deliveredAt))).orderBy(asc(salesOutbox.createdAt)).limit(limit);
  }

  /**
   * Sends due outbox rows, each signed with its endpoint's secret; a failure is retried with exponential
   * backoff with jitter (about 1 min, 2, 4 … capped at 6 h; core/webhooks/delivery.ts). Delivery is at least once: receivers dedupe on the event id.
   */
  async deliverOutbox(opts: { limit?: number; fetch?: typeof fetch; now?: Date } = {}): Promise<{ sent: number; failed: number }> {
    const now = opts.now ?? this.ctx.now();
    const due = await this.db.orm
      .select({ row: salesOutbox, url: salesWebhookEndpoints.url, secret: salesWebhookEndpoints.secret, active: salesWebhookEndpoints.active })
      .from(salesOutbox)
      .innerJoin(salesWebhookEndpoints, and(eq(salesWebhookEndpoints.tenantId, salesOutbox.tenantId), eq(salesWebhookEndpoints.id, salesOutbox.endpointId)))
      .where(and(isNull(salesOutbox.deliveredAt), lte(salesOutbox.nextAttemptAt, now)))
      .orderBy(asc(salesOutbox.nextAttemptAt))
      .limit(opts.limit ?? 100);
    let sent = 0;
    let failed = 0;
    for (const { row, url, secret, active } of due) {
      const where = and(eq(salesOutbox.tenantId, row.tenantId), eq(salesOutbox.id, row.id));
      if (!active) {
        await this.db.orm.update(salesOutbox).set({ deliveredAt: now, lastError: 'endpoint removed; not sent' }).where(where);
        continue;
      }
      const body = JSON.stringify({ id: row.id, type: row.eventType, createdAt: row.createdAt.toISOString(), data: row.payload });
      const result = await sendSigned(url, secret, body, { fetch: opts.fetch, unixSeconds: Math.floor(now.getTime() / 1000), headers: { 'x-rapport-event': row.eventType } });
      if (result.ok) {
        sent++;
        await this.db.orm.update(salesOutbox).set({ deliveredAt: now, attempts: sql`${salesOutbox.attempts} + 1`, lastError: null }).where(where);
      } else {
        failed++;
        await this.db.orm.update(salesOutbox).set({ attempts: sql`${salesOutbox.attempts} + 1`, lastError: result.error, nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts + 1)) }).where(where);
      }
    }
    return { sent, failed };
  }
}
