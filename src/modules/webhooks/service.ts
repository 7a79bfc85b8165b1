import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, lte, sql } from 'drizzle-orm';
import { noteChange, type Actor } from '../../core/actor.js';
import type { Database } from '../../core/db/engine.js';
import type { JobRunner } from '../../core/jobs/runner.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.js';
import { backoffMs, DEFAULT_BACKOFF, sendSigned, type BackoffPolicy } from '../../core/webhooks/delivery.js';
import { WEBHOOK_EVENT_TYPES } from './outbox.js';
import { webhookAttempts, webhookDeliveries, webhookEvents, webhookSubscriptions } from './schema.js';

export type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type PublicSubscription = Omit<SubscriptionRow, 'secret' | 'tenantId'>;

export interface WebhookOptions {
  /** A delivery gives up (status 'failed') after this many attempts; replay can still send it. */
  maxAttempts: number;
  /** A subscription is deactivated after this many failed attempts in a row, across its deliveries. */
  deactivateAfter: number;
  timeoutMs: number;
  backoff: BackoffPolicy;
  fetch?: typeof fetch;
  now: () => Date;
  random?: () => number;
}

const DEFAULTS: WebhookOptions = { maxAttempts: 8, deactivateAfter: 20, timeoutMs: 10_000, backoff: DEFAULT_BACKOFF, now: () => new Date() };
const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;
const publicSub = ({ secret: _s, tenantId: _t, ...s }: SubscriptionRow): PublicSubscription => s;

/** The body a receiver gets: the event id (dedupe on it: delivery is at least once), its type, time and data. */
export const eventBody = (e: { id: string; type: string; createdAt: Date; payload: Record<string, unknown> }) =>
  JSON.stringify({ id: e.id, type: e.type, createdAt: e.createdAt.toISOString(), data: e.payload });

function requireAdmin(actor: Actor, what: string) {
  if (!actor.can('webhooks', 'admin')) throw new ForbiddenError(`only administrators ${what}`);
}

function checkUrl(url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError('not a URL', [{ path: 'body/url', message: 'an absolute http(s) URL' }]);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ValidationError('webhooks go to http(s) URLs', [{ path: 'body/url', message: 'http or https only' }]);
  if (parsed.username || parsed.password) throw new ValidationError('no credentials in the URL', [{ path: 'body/url', message: 'authenticate with the signature, not user:password@' }]);
}

function checkEvents(events: string[] | undefined) {
  const bad = (events ?? []).findIndex((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
  if (bad >= 0) throw new ValidationError('unknown event type', [{ path: `body/events/${bad}`, message: `one of ${WEBHOOK_EVENT_TYPES.join(', ')}` }]);
}

/** Subscriptions, the delivery of outbox events with retries, the delivery log and replay. */
export class WebhookService {
  readonly options: WebhookOptions;

  constructor(
    private readonly db: Database,
    options: Partial<WebhookOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async listSubscriptions(actor: Actor): Promise<PublicSubscription[]> {
    requireAdmin(actor, 'see webhooks');
    const rows = await this.db.orm.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.tenantId, actor.tenantId)).orderBy(asc(webhookSubscriptions.createdAt));
    return rows.map(publicSub);
  }

  async getSubscription(actor: Actor, id: string): Promise<PublicSubscription> {
    requireAdmin(actor, 'see webhooks');
    return publicSub(await this.row(actor.tenantId, id));
  }

  private async row(tenantId: string, id: string): Promise<SubscriptionRow> {
    const [row] = await this.db.orm.select().from(webhookSubscriptions).where(and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.id, id)));
    if (!row) throw new NotFoundError('webhook subscription', id);
    return row;
  }

  /** The secret is shown once, here; afterwards only rotateSecret reveals a new one. */
  async createSubscription(actor: Actor, input: { url: string; events?: string[]; description?: string | null }) {
    requireAdmin(actor, 'register webhooks');
    checkUrl(input.url);
    checkEvents(input.events);
    const secret = newSecret();
    const [row] = await this.db.orm.insert(webhookSubscriptions)
      .values({ tenantId: actor.tenantId, url: input.url, events: [...new Set(input.events ?? [])], description: input.description ?? null, secret }).returning();
    noteChange(actor, { resource: 'webhooks', resourceId: row.id, action: 'create', after: publicSub(row) });
    return { ...publicSub(row), secret };
  }

  /** Reactivating (active: true) clears the failure count, so a fixed receiver gets a fresh allowance. */
  async updateSubscription(actor: Actor, id: string, patch: { url?: string; events?: string[]; description?: string | null; active?: boolean }) {
    requireAdmin(actor, 'change webhooks');
    if (patch.url !== undefined) checkUrl(patch.url);
    checkEvents(patch.events);
    const before = await this.row(actor.tenantId, id);
    const reactivate = patch.active === true && !before.active;
    const [row] = await this.db.orm.update(webhookSubscriptions)
      .set({
        ...patch,
        ...(patch.events ? { events: [...new Set(patch.events)] } : {}),
        ...(reactivate ? { consecutiveFailures: 0, deactivatedAt: null, deactivatedReason: null } : {}),
        ...(patch.active === false && before.active ? { deactivatedAt: this.options.now(), deactivatedReason: 'deactivated by an administrator' } : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(webhookSubscriptions.tenantId, actor.tenantId), eq(webhookSubscriptions.id, id))).returning();
    noteChange(actor, { resource: 'webhooks', resourceId: id, action: 'update', before: publicSub(before), after: publicSub(row) });
    return publicSub(row);
  }

  async rotateSecret(actor: Actor, id: string) {
    requireAdmin(actor, 'rotate webhook secrets');
    await this.row(actor.tenantId, id);
    const secret = newSecret();
    const [row] = await this.db.orm.update(webhookSubscriptions).set({ secret, updatedAt: new Date() })
      .where(and(eq(webhookSubscriptions.tenantId, actor.tenantId), eq(webhookSubscriptions.id, id))).returning();
    noteChange(actor, { resource: 'webhooks', resourceId: id, action: 'update', after: { secretRotated: true } });
    return { ...publicSub(row), secret };
  }

  /** Removes the subscription with its deliveries and their log (the events other subscriptions got stay). */
  async deleteSubscription(actor: Actor, id: string) {
    requireAdmin(actor, 'remove webhooks');
    const before = await this.row(actor.tenantId, id);
    await this.db.orm.delete(webhookSubscriptions).where(and(eq(webhookSubscriptions.tenantId, actor.tenantId), eq(webhookSubscriptions.id, id)));
    noteChange(actor, { resource: 'webhooks', resourceId: id, action: 'delete', before: publicSub(before) });
  }

  async listDeliveries(actor: Actor, q: { subscriptionId?: string; eventId?: string; status?: 'pending' | 'delivered' | 'failed'; limit?: number } = {}) {
    requireAdmin(actor, 'see webhook deliveries');
    return this.db.orm
      .select({
        id: webhookDeliveries.id,
        subscriptionId: webhookDeliveries.subscriptionId,
        eventId: webhookDeliveries.eventId,
        eventType: webhookEvents.type,
        status: webhookDeliveries.status,
        attempts: webhookDeliveries.attempts,
        nextAttemptAt: webhookDeliveries.nextAttemptAt,
        deliveredAt: webhookDeliveries.deliveredAt,
        lastStatusCode: webhookDeliveries.lastStatusCode,
        lastError: webhookDeliveries.lastError,
        createdAt: webhookDeliveries.createdAt,
      })
      .from(webhookDeliveries)
      .innerJoin(webhookEvents, and(eq(webhookEvents.tenantId, webhookDeliveries.tenantId), eq(webhookEvents.id, webhookDeliveries.eventId)))
      .where(and(
        eq(webhookDeliveries.tenantId, actor.tenantId),
        q.subscriptionId ? eq(webhookDeliveries.subscriptionId, q.subscriptionId) : undefined,
        q.eventId ? eq(webhookDeliveries.eventId, q.eventId) : undefined,
        q.status ? eq(webhookDeliveries.status, q.status) : undefined,
      ))
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(q.limit ?? 50);
  }

  /** The delivery log of one delivery: every attempt with status code, latency and error. */
  async listAttempts(actor: Actor, deliveryId: string) {
    requireAdmin(actor, 'see webhook deliveries');
    const [d] = await this.db.orm.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, actor.tenantId), eq(webhookDeliveries.id, deliveryId)));
    if (!d) throw new NotFoundError('webhook delivery', deliveryId);
    const rows = await this.db.orm.select().from(webhookAttempts)
      .where(and(eq(webhookAttempts.tenantId, actor.tenantId), eq(webhookAttempts.deliveryId, deliveryId))).orderBy(asc(webhookAttempts.attempt));
    return rows.map(({ tenantId: _t, ...a }) => a);
  }

  /**
   * Sends due deliveries of active subscriptions, oldest first. A failure is retried with exponential backoff
   * and jitter until maxAttempts; deliveries of a deactivated subscription wait (replay or reactivation sends them).
   */
  async deliverDue(opts: { limit?: number; tenantId?: string } = {}): Promise<{ sent: number; failed: number }> {
    const now = this.options.now();
    const due = await this.db.orm
      .select({ d: webhookDeliveries })
      .from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, and(eq(webhookSubscriptions.tenantId, webhookDeliveries.tenantId), eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId)))
      .where(and(
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, now),
        eq(webhookSubscriptions.active, true),
        opts.tenantId ? eq(webhookDeliveries.tenantId, opts.tenantId) : undefined,
      ))
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(opts.limit ?? 100);
    let sent = 0;
    let failed = 0;
    for (const { d } of due) {
      const ok = await this.attempt(d.tenantId, d.id, 'scheduled');
      if (ok) sent++;
      else failed++;
    }
    return { sent, failed };
  }

  /** Tenants with a delivery due now on an active subscription: the scheduler enqueues the job only for them. */
  async tenantsWithDueDeliveries(): Promise<string[]> {
    const rows = await this.db.orm
      .selectDistinct({ tenantId: webhookDeliveries.tenantId })
      .from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, and(eq(webhookSubscriptions.tenantId, webhookDeliveries.tenantId), eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId)))
      .where(and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, this.options.now()), eq(webhookSubscriptions.active, true)));
    return rows.map((r) => r.tenantId);
  }

  /** Sends one delivery now, whatever its status (a replay); logs the attempt. */
  async replayDelivery(actor: Actor, deliveryId: string) {
    requireAdmin(actor, 'replay webhooks');
    const ok = await this.attempt(actor.tenantId, deliveryId, 'replay');
    noteChange(actor, { resource: 'webhooks', resourceId: deliveryId, action: 'update', after: { replayed: true, ok } });
    const [d] = await this.listDeliveries(actor, { limit: 1, ...(await this.deliveryKey(actor.tenantId, deliveryId)) });
    return d;
  }

  /** Sends an event again to every subscription that got it. */
  async replayEvent(actor: Actor, eventId: string) {
    requireAdmin(actor, 'replay webhooks');
    const rows = await this.db.orm.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, actor.tenantId), eq(webhookDeliveries.eventId, eventId)));
    if (!rows.length) throw new NotFoundError('webhook event', eventId);
    for (const r of rows) await this.attempt(actor.tenantId, r.id, 'replay');
    noteChange(actor, { resource: 'webhooks', resourceId: eventId, action: 'update', after: { replayed: rows.length } });
    return this.listDeliveries(actor, { eventId });
  }

  /** A webhook.test event to one subscription, sent at once (even when inactive), so its owner can check the receiver. */
  async sendTest(actor: Actor, subscriptionId: string) {
    requireAdmin(actor, 'test webhooks');
    await this.row(actor.tenantId, subscriptionId);
    const deliveryId = await this.db.orm.transaction(async (tx) => {
      const [event] = await tx.insert(webhookEvents).values({ tenantId: actor.tenantId, type: 'webhook.test', payload: { subscriptionId } }).returning({ id: webhookEvents.id });
      const [d] = await tx.insert(webhookDeliveries).values({ tenantId: actor.tenantId, subscriptionId, eventId: event.id }).returning({ id: webhookDeliveries.id });
      return d.id;
    });
    await this.attempt(actor.tenantId, deliveryId, 'test');
    const [d] = await this.listDeliveries(actor, { limit: 1, ...(await this.deliveryKey(actor.tenantId, deliveryId)) });
    return d;
  }

  private async deliveryKey(tenantId: string, id: string) {
    const [d] = await this.db.orm.select({ eventId: webhookDeliveries.eventId, subscriptionId: webhookDeliveries.subscriptionId }).from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, id)));
    if (!d) throw new NotFoundError('webhook delivery', id);
    return d;
  }

  /**
   * One attempt: sign and send, log it, then either mark the delivery delivered or schedule the next try, and
   * count the subscription's consecutive failures (deactivating it at the limit). Returns whether it was accepted.
   */
  private async attempt(tenantId: string, deliveryId: string, trigger: 'scheduled' | 'replay' | 'test'): Promise<boolean> {
    const [row] = await this.db.orm
      .select({ d: webhookDeliveries, e: webhookEvents, s: webhookSubscriptions })
      .from(webhookDeliveries)
      .innerJoin(webhookEvents, and(eq(webhookEvents.tenantId, webhookDeliveries.tenantId), eq(webhookEvents.id, webhookDeliveries.eventId)))
      .innerJoin(webhookSubscriptions, and(eq(webhookSubscriptions.tenantId, webhookDeliveries.tenantId), eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId)))
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, deliveryId)));
    if (!row) throw new NotFoundError('webhook delivery', deliveryId);
    const { d, e, s } = row;
    const now = this.options.now();
    const result = await sendSigned(s.url, s.secret, eventBody(e), {
      fetch: this.options.fetch,
      timeoutMs: this.options.timeoutMs,
      unixSeconds: Math.floor(now.getTime() / 1000),
      headers: { 'x-rapport-event': e.type, 'x-rapport-delivery': d.id },
    });
    const attempts = d.attempts + 1;
    const where = and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, d.id));
    const subWhere = and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.id, s.id));
    await this.db.orm.transaction(async (tx) => {
      await tx.insert(webhookAttempts).values({ tenantId, deliveryId: d.id, attempt: attempts, statusCode: result.statusCode, latencyMs: result.latencyMs, error: result.error, trigger, at: now });
      if (result.ok) {
        await tx.update(webhookDeliveries).set({ status: 'delivered', attempts, deliveredAt: now, lastStatusCode: result.statusCode, lastError: null, updatedAt: now }).where(where);
        await tx.update(webhookSubscriptions).set({ consecutiveFailures: 0 }).where(subWhere);
        return;
      }
      // A manual replay of a delivered event that fails again leaves it delivered: it was received once.
      const status = d.status === 'delivered' ? 'delivered' : attempts >= this.options.maxAttempts ? 'failed' : 'pending';
      await tx.update(webhookDeliveries)
        .set({ status, attempts, lastStatusCode: result.statusCode, lastError: result.error, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, this.options.backoff, this.options.random)), updatedAt: now })
        .where(where);
      const [sub] = await tx.update(webhookSubscriptions).set({ consecutiveFailures: sql`${webhookSubscriptions.consecutiveFailures} + 1` }).where(subWhere)
        .returning({ failures: webhookSubscriptions.consecutiveFailures, active: webhookSubscriptions.active });
      if (sub.active && sub.failures >= this.options.deactivateAfter) {
        await tx.update(webhookSubscriptions)
          .set({ active: false, deactivatedAt: now, deactivatedReason: `${sub.failures} failed attempts in a row; last: ${result.error}`.slice(0, 500), updatedAt: now })
          .where(subWhere);
      }
    });
    return result.ok;
  }
}

export const WEBHOOK_JOB = 'webhooks-deliver';

/** The job that sends a tenant's due deliveries, batch after batch, until none is due. */
export function registerWebhookJobs(jobs: JobRunner, webhooks: WebhookService) {
  jobs.register<Record<string, never>, { sent: number; failed: number }>(WEBHOOK_JOB, async (ctx) => {
    const total = { sent: 0, failed: 0 };
    for (;;) {
      if (ctx.signal.aborted) break;
      const r = await webhooks.deliverDue({ tenantId: ctx.job.tenantId, limit: 50 });
      total.sent += r.sent;
      total.failed += r.failed;
      await ctx.progress(total.sent + total.failed, null);
      if (r.sent + r.failed < 50) break;
    }
    return total;
  });
}
