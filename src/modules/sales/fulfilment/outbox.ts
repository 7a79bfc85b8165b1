import { and, eq } from 'drizzle-orm';
import { salesOutbox, salesWebhookEndpoints } from '../schema.js';
import type { Tx } from '../tx.js';
import { emitEvent, type WebhookEventType } from '../../webhooks/outbox.js';

export type SalesEventType = 'quote.issued' | 'order.created' | 'order.routed' | 'order.updated' | 'order.delivered' | 'order.mishandled';

/** The general webhooks' name for each sales event (order.updated is a status change there). */
const GENERAL: Record<SalesEventType, WebhookEventType> = {
  'quote.issued': 'quote.issued',
  'order.created': 'order.created',
  'order.routed': 'order.routed',
  'order.updated': 'order.status_changed',
  'order.delivered': 'order.delivered',
  'order.mishandled': 'order.mishandled',
};
/** What general subscribers get: ids, numbers, statuses and dates; no order lines, free text or amounts per line. */
const MINIMAL = ['orderId', 'number', 'order', 'quoteId', 'version', 'customerId', 'status', 'promisedDate', 'estimatedDate', 'deliveredAt', 'deliveryDate', 'kind', 'fulfiller', 'readyBy', 'currency', 'netTotal'];

/**
 * Writes one outbox row per subscribed fulfilment endpoint (the sales-specific feed fulfillers read, full
 * payload) and the general webhook event (modules/webhooks, minimal payload), inside the caller's transaction:
 * the event exists if and only if the change it announces was committed. deliverOutbox sends the former, the
 * webhooks job the latter.
 */
export async function enqueueEvent(tx: Tx, tenantId: string, type: SalesEventType, payload: Record<string, unknown>): Promise<number> {
  await emitEvent(tx, tenantId, GENERAL[type], Object.fromEntries(MINIMAL.filter((k) => k in payload).map((k) => [k, payload[k]])));
  const endpoints = await tx.select({ id: salesWebhookEndpoints.id, events: salesWebhookEndpoints.events }).from(salesWebhookEndpoints)
    .where(and(eq(salesWebhookEndpoints.tenantId, tenantId), eq(salesWebhookEndpoints.active, true)));
  const targets = endpoints.filter((e) => !e.events.length || e.events.includes(type));
  if (targets.length) await tx.insert(salesOutbox).values(targets.map((e) => ({ tenantId, endpointId: e.id, eventType: type, payload })));
  return targets.length;
}
