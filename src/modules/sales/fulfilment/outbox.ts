import { and, eq } from 'drizzle-orm';
import { salesOutbox, salesWebhookEndpoints } from '../schema.js';
import type { Tx } from '../tx.js';

export type SalesEventType = 'quote.issued' | 'order.created' | 'order.routed' | 'order.updated' | 'order.delivered' | 'order.mishandled';

/**
 * Writes one outbox row per subscribed endpoint, inside the caller's transaction: the event exists if and
 * only if the change it announces was committed. deliverOutbox sends them afterwards.
 */
export async function enqueueEvent(tx: Tx, tenantId: string, type: SalesEventType, payload: Record<string, unknown>): Promise<number> {
  const endpoints = await tx.select({ id: salesWebhookEndpoints.id, events: salesWebhookEndpoints.events }).from(salesWebhookEndpoints)
    .where(and(eq(salesWebhookEndpoints.tenantId, tenantId), eq(salesWebhookEndpoints.active, true)));
  const targets = endpoints.filter((e) => !e.events.length || e.events.includes(type));
  if (targets.length) await tx.insert(salesOutbox).values(targets.map((e) => ({ tenantId, endpointId: e.id, eventType: type, payload })));
  return targets.length;
}
