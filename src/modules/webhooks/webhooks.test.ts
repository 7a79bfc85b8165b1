import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../api/testing.js';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { JobRunner } from '../../core/jobs/runner.js';
import { backoffMs } from '../../core/webhooks/delivery.js';
import { verifySignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../core/webhooks/signature.js';
import { emitEvent } from './outbox.js';
import { registerWebhookJobs, WebhookService, WEBHOOK_JOB } from './service.js';

/** A real receiver on a loopback port; `answer` decides each response (status, or 'hang' to never answer). */
interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}
function startReceiver() {
  const received: Received[] = [];
  let answer: (n: number) => number | 'hang' = () => 200;
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const a = answer(received.length);
      if (a === 'hang') hanging.push(res);
      else res.writeHead(a).end('ok');
    });
  });
  return new Promise<{ url: string; received: Received[]; setAnswer: (f: typeof answer) => void; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/hook`,
        received,
        setAnswer: (f) => (answer = f),
        close: async () => {
          for (const r of hanging) r.destroy();
          server.closeAllConnections();
          await new Promise((r) => server.close(r));
        },
      });
    });
  });
}

let t: Awaited<ReturnType<typeof buildTestApp>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const admin = systemActor(DEFAULT_TENANT);
let clock = new Date();
const service = (opts: Partial<ConstructorParameters<typeof WebhookService>[1]> = {}) =>
  new WebhookService(t.db, { now: () => clock, timeoutMs: 2_000, backoff: { baseMs: 1_000, capMs: 60_000 }, maxAttempts: 5, deactivateAfter: 4, ...opts });
const emit = (type: Parameters<typeof emitEvent>[2], payload: Record<string, unknown>) => t.db.orm.transaction((tx) => emitEvent(tx, DEFAULT_TENANT, type, payload));

beforeAll(async () => {
  t = await buildTestApp();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await t?.close();
});
beforeEach(async () => {
  receiver.received.length = 0;
  receiver.setAnswer(() => 200);
  // A second ahead: events written just now (next_attempt_at = now()) are due.
  clock = new Date(Date.now() + 1_000);
  await t.db.query('DELETE FROM webhook_subscriptions');
  await t.db.query('DELETE FROM webhook_events');
});

describe('outbound webhooks', () => {
  it('writes the event with the change, signs it over timestamp.body, and the receiver can verify it', async () => {
    const hooks = service();
    const sub = await hooks.createSubscription(admin, { url: receiver.url, events: ['case.opened'] });
    expect(sub.secret).toMatch(/^whsec_/);
    // A rolled-back change leaves no event behind.
    await expect(t.db.orm.transaction(async (tx) => {
      await emitEvent(tx, DEFAULT_TENANT, 'case.opened', { caseId: 'rolled-back' });
      throw new Error('change failed');
    })).rejects.toThrow('change failed');
    // A type the subscription did not ask for is not stored at all.
    expect(await emit('case.closed', { caseId: 'c0' })).toBeNull();
    const eventId = await emit('case.opened', { caseId: 'c1', customerId: 'k1' });
    expect(eventId).toBeTruthy();

    expect(await hooks.deliverDue()).toEqual({ sent: 1, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    const ts = Number(got.headers[TIMESTAMP_HEADER]);
    expect(ts).toBe(Math.floor(clock.getTime() / 1000));
    expect(verifySignature(sub.secret, got.headers[SIGNATURE_HEADER] as string, got.body, ts)).toEqual({ ok: true });
    expect(verifySignature('whsec_wrong', got.headers[SIGNATURE_HEADER] as string, got.body, ts)).toEqual({ ok: false, reason: 'mismatch' });
    expect(JSON.parse(got.body)).toEqual({ id: eventId, type: 'case.opened', createdAt: expect.any(String), data: { caseId: 'c1', customerId: 'k1' } });
    expect(got.headers['x-rapport-event']).toBe('case.opened');
    // Delivered once: nothing due any more.
    expect(await hooks.deliverDue()).toEqual({ sent: 0, failed: 0 });
  });

  it('retries after a 500 with growing backoff, then succeeds; every attempt is logged', async () => {
    const hooks = service({ random: () => 0.5 });
    await hooks.createSubscription(admin, { url: receiver.url });
    receiver.setAnswer((n) => (n <= 2 ? 500 : 204));
    await emit('order.created', { orderId: 'o1' });

    expect(await hooks.deliverDue()).toEqual({ sent: 0, failed: 1 });
    const [d1] = await hooks.listDeliveries(admin);
    expect(d1).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
    const firstDelay = d1.nextAttemptAt.getTime() - clock.getTime();
    // Not due before its time.
    expect(await hooks.deliverDue()).toEqual({ sent: 0, failed: 0 });

    clock = new Date(d1.nextAttemptAt.getTime());
    expect(await hooks.deliverDue()).toEqual({ sent: 0, failed: 1 });
    const [d2] = await hooks.listDeliveries(admin);
    const secondDelay = d2.nextAttemptAt.getTime() - clock.getTime();
    expect(secondDelay).toBeGreaterThan(firstDelay);

    clock = new Date(d2.nextAttemptAt.getTime());
    expect(await hooks.deliverDue()).toEqual({ sent: 1, failed: 0 });
    const [d3] = await hooks.listDeliveries(admin);
    expect(d3).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 204, lastError: null });
    const log = await hooks.listAttempts(admin, d3.id);
    expect(log.map((a) => [a.attempt, a.statusCode, a.trigger])).toEqual([[1, 500, 'scheduled'], [2, 500, 'scheduled'], [3, 204, 'scheduled']]);
    for (const a of log) expect(a.latencyMs).toBeGreaterThanOrEqual(0);
    expect(receiver.received).toHaveLength(3);
    // The same event id every time, so the receiver can dedupe.
    expect(new Set(receiver.received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
  });

  it('backoff grows exponentially with jitter inside [half, full] of the ceiling, capped', () => {
    const policy = { baseMs: 1_000, capMs: 60_000 };
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffMs(30, policy, () => 1)).toBe(60_000);
    const spread = new Set(Array.from({ length: 50 }, () => backoffMs(3, policy)));
    expect(spread.size, 'jitter spreads retries').toBeGreaterThan(1);
  });

  it('times out a receiver that hangs and logs it as a failed attempt', async () => {
    const hooks = service({ timeoutMs: 300 });
    await hooks.createSubscription(admin, { url: receiver.url });
    receiver.setAnswer(() => 'hang');
    await emit('case.opened', { caseId: 'c2' });
    const started = Date.now();
    expect(await hooks.deliverDue()).toEqual({ sent: 0, failed: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
    const [d] = await hooks.listDeliveries(admin);
    expect(d.lastStatusCode).toBeNull();
    expect(d.lastError).toMatch(/timed out after 300 ms/);
    const [a] = await hooks.listAttempts(admin, d.id);
    expect(a.latencyMs).toBeGreaterThanOrEqual(250);
  });

  it('replays a delivered delivery and a whole event on demand', async () => {
    const hooks = service();
    await hooks.createSubscription(admin, { url: receiver.url });
    await hooks.createSubscription(admin, { url: `${receiver.url}?second` });
    const eventId = (await emit('quote.accepted', { quoteId: 'q1', orderId: 'o9' }))!;
    expect(await hooks.deliverDue()).toEqual({ sent: 2, failed: 0 });
    const [one] = await hooks.listDeliveries(admin);
    const replayed = await hooks.replayDelivery(admin, one.id);
    expect(replayed).toMatchObject({ id: one.id, status: 'delivered', attempts: 2 });
    expect(receiver.received).toHaveLength(3);
    const all = await hooks.replayEvent(admin, eventId);
    expect(all).toHaveLength(2);
    expect(receiver.received).toHaveLength(5);
    expect(new Set(receiver.received.map((r) => JSON.parse(r.body).id))).toEqual(new Set([eventId]));
    expect((await hooks.listAttempts(admin, one.id)).map((a) => a.trigger)).toEqual(['scheduled', 'replay', 'replay']);
  });

  it('deactivates a subscription after N failures in a row; reactivating resets the count and sends what waited', async () => {
    const hooks = service({ deactivateAfter: 3, backoff: { baseMs: 0, capMs: 0 } });
    const sub = await hooks.createSubscription(admin, { url: receiver.url });
    receiver.setAnswer(() => 503);
    for (let i = 0; i < 3; i++) await emit('order.status_changed', { orderId: `o${i}`, status: 'shipped' });
    expect(await hooks.deliverDue()).toEqual({ sent: 0, failed: 3 });
    const off = await hooks.getSubscription(admin, sub.id);
    expect(off).toMatchObject({ active: false, consecutiveFailures: 3 });
    expect(off.deactivatedReason).toMatch(/3 failed attempts in a row; last: HTTP 503/);
    // New events are not queued for it, and waiting deliveries are not sent while it is off.
    expect(await emit('order.status_changed', { orderId: 'o9' })).toBeNull();
    expect(await hooks.deliverDue()).toEqual({ sent: 0, failed: 0 });

    receiver.setAnswer(() => 200);
    const on = await hooks.updateSubscription(admin, sub.id, { active: true });
    expect(on).toMatchObject({ active: true, consecutiveFailures: 0, deactivatedReason: null });
    expect(await hooks.deliverDue()).toEqual({ sent: 3, failed: 0 });
  });

  it('a restarted process delivers what was left undelivered, through the job runner', async () => {
    const before = service();
    await before.createSubscription(admin, { url: receiver.url });
    await emit('case.closed', { caseId: 'c7' });
    await emit('case.opened', { caseId: 'c8' });
    // The "old process" dies here without sending; a new one with its own service and runner starts.
    const after = service();
    expect(await after.tenantsWithDueDeliveries()).toEqual([DEFAULT_TENANT]);
    const runner = new JobRunner(t.db);
    registerWebhookJobs(runner, after);
    const job = await runner.enqueue(DEFAULT_TENANT, WEBHOOK_JOB, {});
    const done = await runner.waitFor(DEFAULT_TENANT, job.id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toEqual({ sent: 2, failed: 0 });
    expect(receiver.received.map((r) => JSON.parse(r.body).data.caseId).sort()).toEqual(['c7', 'c8']);
    expect(await after.tenantsWithDueDeliveries()).toEqual([]);
  });
});

describe('webhooks API', () => {
  it('creates a subscription (secret once), sends a test event, lists deliveries and their log, replays, and deletes', async () => {
    const create = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: t.auth, payload: { url: receiver.url, events: ['case.opened', 'customer.nope'] } });
    expect(create.statusCode).toBe(400);
    expect(create.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(create.json())).toContain('events');
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: t.auth, payload: { url: 'file:///etc/passwd' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors?.[0]?.path ?? JSON.stringify(bad.json())).toContain('url');

    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: t.auth, payload: { url: receiver.url, events: ['case.opened'], description: 'CRM mirror' } });
    expect(ok.statusCode).toBe(201);
    const { id, secret } = ok.json();
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: t.auth });
    expect(list.json().items).toHaveLength(1);
    expect(list.body).not.toContain(secret);

    const test = await t.app.inject({ method: 'POST', url: `/api/v1/webhooks/${id}/test`, headers: t.auth });
    expect(test.statusCode).toBe(200);
    expect(test.json()).toMatchObject({ eventType: 'webhook.test', status: 'delivered', attempts: 1, lastStatusCode: 200 });
    const got = receiver.received.at(-1)!;
    expect(verifySignature(secret, got.headers[SIGNATURE_HEADER] as string, got.body)).toEqual({ ok: true });

    const deliveries = await t.app.inject({ method: 'GET', url: `/api/v1/webhooks/deliveries?subscriptionId=${id}`, headers: t.auth });
    const [d] = deliveries.json().items;
    const replay = await t.app.inject({ method: 'POST', url: `/api/v1/webhooks/deliveries/${d.id}/replay`, headers: t.auth });
    expect(replay.json()).toMatchObject({ attempts: 2 });
    const log = await t.app.inject({ method: 'GET', url: `/api/v1/webhooks/deliveries/${d.id}/attempts`, headers: t.auth });
    expect(log.json().items.map((a: { trigger: string }) => a.trigger)).toEqual(['test', 'replay']);

    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: t.auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/webhooks/${id}`, headers: t.auth })).statusCode).toBe(404);
  });
});
