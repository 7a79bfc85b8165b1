import { and, eq } from 'drizzle-orm';
import type { Orm } from '../../core/db/engine.js';
import { webhookDeliveries, webhookEvents, webhookSubscriptions } from './schema.js';

/** A drizzle transaction on either engine (or the plain connection, for a change that is a single statement). */
export type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0] | Orm;

/**
 * The record events modules announce. Payloads are ids and the few fields a receiver needs to decide whether to
 * fetch the record through the API; never names, addresses or other personal data.
 */
export const WEBHOOK_EVENT_TYPES = [
  'order.created',
  'order.routed',
  'order.status_changed',
  'order.delivered',
  'order.mishandled',
  'quote.issued',
  'quote.accepted',
  'case.opened',
  'case.closed',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Writes the event and one pending delivery per active subscription that wants it, inside the caller's
 * transaction: the event exists if and only if the change it announces was committed. With no subscriber
 * nothing is written (no store of payloads nobody asked for).
 */
export async function emitEvent(tx: Tx, tenantId: string, type: WebhookEventType, payload: Record<string, unknown>): Promise<string | null> {
  const subs = await tx.select({ id: webhookSubscriptions.id, events: webhookSubscriptions.events }).from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.tenantId, tenantId), eq(webhookSubscriptions.active, true)));
  const targets = subs.filter((s) => (!s.events.length && type !== 'webhook.test') || s.events.includes(type));
  if (!targets.length) return null;
  const [event] = await tx.insert(webhookEvents).values({ tenantId, type, payload }).returning({ id: webhookEvents.id });
  await tx.insert(webhookDeliveries).values(targets.map((s) => ({ tenantId, subscriptionId: s.id, eventId: event.id })));
  return event.id;
}
