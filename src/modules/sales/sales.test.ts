import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { buildTestApp } from '../../api/testing.js';
import { seedSalesDemo, type SalesDemoResult } from './demo.js';
import { staticCustomerEconomics, noCustomerEconomics } from './economics.js';
import { addBusinessDays, businessDaysBetween, toIsoDate } from './fulfilment/calendar.js';
import { signPayload, verifySignature, SIGNATURE_HEADER } from '../../core/webhooks/signature.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let demo: SalesDemoResult;
const admin = systemActor(DEFAULT_TENANT);
const realNow = () => new Date();
let agent: { authorization: string };
let agentId: string;
let manager: { authorization: string };
let outsider: { authorization: string };

const cable = { length: 25, gauge: '12', jacket: 'LSZH', connectorA: 'N', connectorB: 'N' };

async function keyFor(email: string, role: 'agent' | 'manager', divisionIds: string[]) {
  const user = await t.app.services.access.createUser(DEFAULT_TENANT, { email, displayName: email.split('@')[0], role, divisionIds });
  const key = await t.app.services.access.createApiKey(admin, user.id, 'tests');
  return { user, auth: { authorization: `Bearer ${key.secret}` } };
}

const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = t.auth) =>
  t.app.inject({ method, url: `/api/v1/sales${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

beforeAll(async () => {
  t = await buildTestApp();
  demo = await seedSalesDemo(t.app.services, { withOrder: false });
  agentId = (await keyFor('rep@example.org', 'agent', [demo.divisionId]).then((k) => ((agent = k.auth), k.user))).id;
  manager = (await keyFor('boss@example.org', 'manager', [demo.divisionId])).auth;
  const other = await t.app.services.org.createDivision(admin, { code: 'CARDS', name: 'Cards' });
  outsider = (await keyFor('cards@example.org', 'agent', [other.id])).auth;
});
afterAll(() => t.close());

const quoteBody = (over: Record<string, unknown> = {}) => ({
  divisionId: demo.divisionId,
  customerId: demo.customerId,
  lines: [{ product: 'CAB-CUSTOM', quantity: 10, configuration: cable }],
  ...over,
});

describe('configure', () => {
  it('rejects a configuration that breaks a rule, with the option path and the rule', async () => {
    const res = await call('POST', '/products/CAB-CUSTOM/configure', { configuration: { length: 300, gauge: '14', jacket: 'LSZH' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.detail).toContain('long-run-gauge');
    expect(body.errors).toEqual([{ path: 'body/configuration/gauge', message: 'runs of 200 m or more need 10 AWG or heavier (voltage drop) (rule long-run-gauge)' }]);
  });

  it('answers a valid configuration with its components', async () => {
    const res = await call('POST', '/products/CAB-CUSTOM/configure', { configuration: cable, quantity: 2 });
    expect(res.statusCode).toBe(200);
    expect(res.json().components).toContainEqual({ component: 'CU-12', quantity: 50 });
  });

  it('refuses an inconsistent product definition with paths into it', async () => {
    const res = await call('POST', '/products', {
      divisionId: demo.divisionId,
      code: 'BROKEN',
      name: 'Broken',
      kind: 'configurable',
      definition: { options: [{ kind: 'number', code: 'n', label: 'N', unit: 'm', min: 0, max: 10, step: 3 }], components: [{ component: 'NOPE' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['body/definition/options/0/step', 'body/definition/components/0/component']);
  });

  it('keeps catalogue changes to administrators', async () => {
    const res = await call('POST', '/components', { code: 'X', name: 'X' }, agent);
    expect(res.statusCode).toBe(403);
  });
});

describe('price in one sitting', () => {
  it('prices, explains and dates a configured quote without saving anything', async () => {
    const before = await count('sales_quotes');
    const res = await call('POST', '/price', quoteBody({ lines: [{ product: 'CAB-CUSTOM', quantity: 10, configuration: cable }, { product: 'PUMP-STARTER-KIT', quantity: 1, configuration: { 'PUMP-STATION': { frame: 'ss316' } } }] }));
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.lines.map((l: { product: string; bundle: string | null }) => [l.product, l.bundle])).toEqual([
      ['CAB-CUSTOM', null],
      ['PUMP-STATION', 'PUMP-STARTER-KIT'],
      ['COMMISSIONING', 'PUMP-STARTER-KIT'],
    ]);
    expect(d.lines[1].trail.map((s: { code: string }) => s.code)).toContain('starter-kit');
    expect(d.lines[1].summary).toContain('Frame: Stainless 316');
    expect(d.customer).toEqual({ tier: 'rest', known: false });
    expect(d.delivery.date >= d.pricedOn).toBe(true);
    expect(d.delivery.routes.map((r: { fulfiller: string }) => r.fulfiller).sort()).toEqual(['KCD', 'NLX', 'PLANT']);
    const latest = d.lines.map((l: { deliveryDate: string }) => l.deliveryDate).sort().at(-1);
    expect(d.delivery.date).toBe(latest);
    expect(await count('sales_quotes')).toBe(before);
  });

  it('prices by the customer’s value once economics knows them', async () => {
    const ctx = t.app.services.sales.context;
    ctx.economics = staticCustomerEconomics({ [demo.customerId]: { tier: 'top1', profitability: 250_000 } });
    try {
      const res = await call('POST', '/price', quoteBody());
      const line = res.json().lines[0];
      expect(res.json().customer).toEqual({ tier: 'top1', profitability: 250_000, known: true });
      expect(line.trail.filter((s: { kind: string }) => s.kind === 'rule').map((s: { code: string }) => s.code)).toEqual(['key-account-top1', 'profitable-account']);
      expect(line.unitPrice).toBeLessThan(line.listUnitPrice);
    } finally {
      ctx.economics = noCustomerEconomics;
    }
  });

  it('refuses a bundle option the bundle fixes', async () => {
    const res = await call('POST', '/price', quoteBody({ lines: [{ product: 'PUMP-STARTER-KIT', quantity: 1, configuration: { 'PUMP-STATION': { motor: '22' } } }] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('body/lines/0/configuration/PUMP-STATION/motor');
  });
});

describe('bad input writes nothing', () => {
  it('refuses a quote on an expired price list', async () => {
    const yesterday = addBusinessDays(toIsoDate(new Date()), -1);
    const created = await call('POST', '/price-lists', { divisionId: demo.divisionId, code: 'OLD-LIST', name: 'Last year', currency: 'USD', validFrom: '2020-01-01', validTo: yesterday, items: [{ product: 'COMMISSIONING', basePrice: 900 }] });
    expect(created.statusCode).toBe(201);
    const before = [await count('sales_quotes'), await count('sales_quote_versions'), await count('sales_counters')];
    const res = await call('POST', '/quotes', quoteBody({ priceList: 'OLD-LIST', lines: [{ product: 'COMMISSIONING', quantity: 1 }] }));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toBe(`price list OLD-LIST expired on ${yesterday}`);
    expect([await count('sales_quotes'), await count('sales_quote_versions'), await count('sales_counters')]).toEqual(before);
  });

  it('refuses a configuration that breaks a rule, naming each failing option', async () => {
    const res = await call('POST', '/quotes', quoteBody({ lines: [{ product: 'COMMISSIONING', quantity: 1 }, { product: 'CAB-CUSTOM', quantity: 1, configuration: { length: 2, gauge: '6', jacket: 'LSZH', connectorA: 'M12' } }] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['body/lines/1/configuration/gauge', 'body/lines/1/configuration/gauge']);
    expect(res.json().errors.map((e: { message: string }) => e.message.match(/rule ([\w-]+)/)![1])).toEqual(['lszh-gauge', 'm12-gauge-a']);
  });

  it('refuses a discount above the rep’s authority with 403', async () => {
    const before = await count('sales_quotes');
    const res = await call('POST', '/quotes', quoteBody({ lines: [{ product: 'CAB-CUSTOM', quantity: 10, configuration: cable, manualDiscountPercent: 20 }] }), agent);
    expect(res.statusCode).toBe(403);
    expect(res.json().errors).toEqual([{ path: 'body/lines/0/manualDiscountPercent', message: 'a discount of 20% is above your authority of 15%' }]);
    expect(await count('sales_quotes')).toBe(before);
  });

  it('refuses a discount below the floor even from an administrator', async () => {
    const res = await call('POST', '/quotes', quoteBody({ lines: [{ product: 'COMMISSIONING', quantity: 1, manualDiscountPercent: 40 }] }));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].message).toMatch(/below its floor of 800/);
  });
});

describe('quotes, approval and acceptance', () => {
  it('holds a discount above the threshold for someone else’s approval, then accepts into one routed order', async () => {
    const created = await call('POST', '/quotes', quoteBody({ lines: [{ product: 'CAB-CUSTOM', quantity: 10, configuration: cable, manualDiscountPercent: 12 }], title: 'Panel leads' }), agent);
    expect(created.statusCode).toBe(201);
    const q = created.json();
    expect(q.number).toMatch(/^Q-\d{6}$/);
    expect(q.ownerUserId).toBe(agentId);
    expect(q.current.status).toBe('pending_approval');
    expect(q.current.document.approval.reasons).toEqual(['line 1: discount of 12% is above the 10% approval threshold']);

    const early = await call('POST', `/quotes/${q.id}/accept`, { version: 1 }, agent);
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/waiting for discount approval/);

    const own = await call('POST', `/quotes/${q.id}/versions/1/decision`, { approve: true }, agent);
    expect(own.statusCode).toBe(403);
    const approved = await call('POST', `/quotes/${q.id}/versions/1/decision`, { approve: true, note: 'strategic account' }, manager);
    expect(approved.statusCode).toBe(200);
    expect(approved.json().current.status).toBe('issued');

    const accepted = await call('POST', `/quotes/${q.id}/accept`, { version: 1, customerReference: 'PO-1' }, agent);
    expect(accepted.statusCode).toBe(201);
    const order = accepted.json();
    expect(order.number).toMatch(/^SO-\d{6}$/);
    expect(order.customerReference).toBe('PO-1');
    expect(order.custom).toBe(true);
    expect(order.promisedDate).toBe(q.current.deliveryDate);
    expect(order.routes.map((r: { fulfiller: string }) => r.fulfiller).sort()).toEqual(['KCD', 'NLX', 'PLANT']);
    expect(order.lines[0].description).toContain('Jacket: Low-smoke zero-halogen');

    const again = await call('POST', `/quotes/${q.id}/accept`, { version: 1 }, agent);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain(`as order ${order.number}`);
  });

  it('refuses an order for a superseded version, and accepts the current one', async () => {
    const q = (await call('POST', '/quotes', quoteBody())).json();
    const revised = await call('POST', `/quotes/${q.id}/versions`, { lines: [{ product: 'CAB-CUSTOM', quantity: 20, configuration: cable }] });
    expect(revised.statusCode).toBe(201);
    expect(revised.json().versions.map((v: { status: string }) => v.status)).toEqual(['superseded', 'issued']);
    const orders = await count('sales_orders');
    const stale = await call('POST', `/quotes/${q.id}/accept`, { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().detail).toBe(`version 1 of ${q.number} was superseded by version 2; only the current version can be accepted`);
    expect(await count('sales_orders')).toBe(orders);
    const ok = await call('POST', `/quotes/${q.id}/accept`, { version: 2 });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().quoteVersion).toBe(2);
  });

  it('refuses an order once the price list has expired, leaving the quote open and nothing written', async () => {
    const ctx = t.app.services.sales.context;
    const q = (await call('POST', '/quotes', quoteBody({ validDays: 365 }))).json();
    const listEnd = q.current.validUntil;
    const before = [await count('sales_orders'), await count('sales_order_events'), await count('sales_outbox')];
    ctx.now = () => new Date(new Date(`${listEnd}T12:00:00Z`).getTime() + 86_400_000);
    try {
      const res = await call('POST', `/quotes/${q.id}/accept`, { version: 1 });
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toMatch(/expired/);
    } finally {
      ctx.now = realNow;
    }
    expect([await count('sales_orders'), await count('sales_order_events'), await count('sales_outbox')]).toEqual(before);
    expect((await call('GET', `/quotes/${q.id}`)).json().status).toBe('open');
  });

  it('refuses an order priced on a list that has since been ended, naming the list', async () => {
    const today = toIsoDate(new Date());
    const created = await call('POST', '/price-lists', { divisionId: demo.divisionId, code: 'SHORT-LIST', name: 'Promotion', currency: 'USD', validFrom: '2020-01-01', validTo: addBusinessDays(today, 300), items: [{ product: 'COMMISSIONING', basePrice: 700, floorPrice: 600 }] });
    expect(created.statusCode).toBe(201);
    const q = (await call('POST', '/quotes', quoteBody({ priceList: 'SHORT-LIST', lines: [{ product: 'COMMISSIONING', quantity: 1 }] }))).json();
    expect(q.current.document.lines[0].unitPrice).toBe(700);
    const yesterday = addBusinessDays(today, -1);
    expect((await call('PATCH', '/price-lists/SHORT-LIST', { validTo: yesterday })).statusCode).toBe(200);
    const orders = await count('sales_orders');
    const res = await call('POST', `/quotes/${q.id}/accept`, { version: 1 });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toBe(`price list SHORT-LIST expired on ${yesterday}; revise the quote to reprice it on a current list`);
    expect(await count('sales_orders')).toBe(orders);
  });

  it('keeps quotes within the divisions a person serves', async () => {
    const q = (await call('POST', '/quotes', quoteBody(), agent)).json();
    expect((await call('GET', `/quotes/${q.id}`, undefined, outsider)).statusCode).toBe(404);
    expect((await call('GET', `/quotes/${q.id}`, undefined, manager)).statusCode).toBe(200);
    const listed = (await call('GET', '/quotes?limit=100', undefined, outsider)).json();
    expect(listed.items).toEqual([]);
  });

  it('renders the quote as a PDF', async () => {
    const res = await call('GET', `/quotes/${demo.quoteId}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBeGreaterThan(2000);
  });

  it('documents every sales route in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of ['/api/v1/sales/price', '/api/v1/sales/quotes/{id}/accept', '/api/v1/sales/fulfillers/{id}/callbacks', '/api/v1/sales/measures', '/api/v1/sales/forecast']) expect(paths).toContain(p);
  });

  it('needs credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/sales/quotes' });
    expect(res.statusCode).toBe(401);
  });
});

describe('fulfilment callbacks and webhooks', () => {
  let order: { id: string; number: string; promisedDate: string; routes: { fulfiller: string; promisedDate: string }[] };
  const secretOf = (code: string) => demo.fulfillers.find((f) => f.code === code)!.callbackSecret!;
  const idOf = (code: string) => demo.fulfillers.find((f) => f.code === code)!.id;
  const callback = (code: string, body: unknown, sign = secretOf(code), at?: number) => {
    const raw = JSON.stringify(body);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/sales/fulfillers/${idOf(code)}/callbacks`,
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signPayload(sign, raw, at) },
      payload: raw,
    });
  };

  beforeAll(async () => {
    await call('POST', '/webhooks', { url: 'https://hooks.example/rapport', events: ['order.created', 'order.routed', 'order.updated', 'order.delivered'] });
    const q = (await call('POST', '/quotes', quoteBody())).json();
    order = (await call('POST', `/quotes/${q.id}/accept`, { version: 1 })).json();
  });

  it('rejects a callback with a bad signature as 401 problem+json, and changes nothing', async () => {
    const res = await callback('NLX', { eventId: 'e-1', order: order.number, status: 'accepted' }, 'whsec_wrong');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const stale = await callback('NLX', { eventId: 'e-1', order: order.number, status: 'accepted' }, secretOf('NLX'), Math.floor(Date.now() / 1000) - 3600);
    expect(stale.statusCode).toBe(401);
    expect(stale.json().detail).toMatch(/stale/);
    const unsigned = await t.app.inject({ method: 'POST', url: `/api/v1/sales/fulfillers/${idOf('NLX')}/callbacks`, headers: { 'content-type': 'application/json' }, payload: { eventId: 'x', order: order.number, status: 'accepted' } });
    expect(unsigned.statusCode).toBe(401);
    const current = (await call('GET', `/orders/${order.id}`)).json();
    expect(current.routes.find((r: { fulfiller: string }) => r.fulfiller === 'NLX').status).toBe('requested');
  });

  it('applies a signed callback, moves the consolidated date by the critical slip, and ignores a retry', async () => {
    const nlx = order.routes.find((r) => r.fulfiller === 'NLX')!;
    const critical = order.routes.map((r) => r.promisedDate).sort().at(-1)!;
    const later = addBusinessDays(critical, 2);
    const res = await callback('NLX', { eventId: 'e-2', order: order.number, status: 'in_production', estimatedDate: later, externalRef: 'NLX-5501' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ duplicate: false, status: 'in_production', promisedDate: order.promisedDate, estimatedDate: addBusinessDays(order.promisedDate, 2) });
    const retry = await callback('NLX', { eventId: 'e-2', order: order.number, status: 'in_production', estimatedDate: later });
    expect(retry.json().duplicate).toBe(true);
    const events = (await call('GET', `/orders/${order.id}/timeline`)).json().events.map((e: { kind: string }) => e.kind);
    expect(events.filter((k: string) => k === 'route-update')).toHaveLength(1);
    expect(events).toContain('estimate-moved');
    expect(nlx.promisedDate <= critical).toBe(true);
  });

  it('validates a signed callback’s body', async () => {
    const res = await callback('KCD', { eventId: 'e-3', order: order.number, status: 'teleported' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('body/status');
  });

  it('records a late delivery as mishandled with its cause, and measures it', async () => {
    const deliveredAt = new Date(`${addBusinessDays(order.promisedDate, 3)}T15:00:00Z`);
    const res = await call('POST', `/orders/${order.id}/status`, { status: 'delivered', at: deliveredAt.toISOString() });
    expect(res.statusCode).toBe(200);
    const o = res.json();
    expect(o.mishandlings).toHaveLength(1);
    expect(o.mishandlings[0]).toMatchObject({ kind: 'late', fulfiller: 'NLX' });
    expect(o.mishandlings[0].cause).toMatch(/^delivered 3 business days after the promised .*components late from NLX/);
    expect(o.turnaround.lateBusinessDays).toBe(3);

    const returned = await call('POST', `/orders/${order.id}/mishandlings`, { kind: 'returned', cause: 'connector B crimped on the wrong end', lineNo: 1, fulfiller: 'KCD' });
    expect(returned.statusCode).toBe(201);
    expect(returned.json().mishandlings.map((m: { kind: string }) => m.kind).sort()).toEqual(['late', 'returned']);

    const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const to = new Date(deliveredAt.getTime() + 86_400_000).toISOString();
    const m = await call('GET', `/measures?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&interval=all&divisionId=${demo.divisionId}`);
    expect(m.statusCode).toBe(200);
    const all = m.json().periods[0];
    expect(all.orders.accepted).toBeGreaterThanOrEqual(3);
    expect(all.orders.delivered).toBe(1);
    expect(all.orders.onTimeRate).toBe(0);
    expect(all.orders.mishandledByKind).toEqual({ late: 1, returned: 1 });
    expect(all.orders.customShare).toBe(1);
    expect(all.quotes.requestToQuoteHours.count).toBeGreaterThan(0);
    // The demo's Lakeside opportunity was referred by Riverside; no surveys, stages or economics in this test.
    expect(m.json().signals).toMatchObject({ source: 'rapport', csat: null, nps: null, churnRate: null, shareOfWallet: null, referrals: 1 });
  });

  it('sends order events through the outbox, signed with the endpoint’s secret', async () => {
    const sent: { url: string; body: string; signature: string; type: string }[] = [];
    const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
      const headers = init!.headers as Record<string, string>;
      sent.push({ url: String(url), body: String(init!.body), signature: headers[SIGNATURE_HEADER], type: headers['x-rapport-event'] });
      return new Response(null, { status: sent.length === 1 ? 500 : 204 });
    }) as typeof fetch;
    const first = await t.app.services.sales.fulfilment.deliverOutbox({ fetch: fakeFetch });
    expect(first.failed).toBe(1);
    expect(first.sent).toBeGreaterThanOrEqual(4);
    const types = new Set(sent.map((s) => s.type));
    for (const type of ['order.created', 'order.routed', 'order.updated', 'order.delivered']) expect(types).toContain(type);
    const [{ secret }] = await t.db.query<{ secret: string }>('SELECT secret FROM sales_webhook_endpoints LIMIT 1');
    for (const s of sent) expect(verifySignature(secret, s.signature, s.body)).toEqual({ ok: true });
    const routed = sent.filter((s) => s.type === 'order.routed').map((s) => JSON.parse(s.body).data.fulfiller).sort();
    expect(routed).toEqual(['KCD', 'NLX', 'PLANT']);
    // The failed one waits for its backoff; nothing else is due.
    expect(await t.app.services.sales.fulfilment.deliverOutbox({ fetch: fakeFetch })).toEqual({ sent: 0, failed: 0 });
    const later = await t.app.services.sales.fulfilment.deliverOutbox({ fetch: fakeFetch, now: new Date(Date.now() + 5 * 60_000) });
    expect(later).toEqual({ sent: 1, failed: 0 });
  });
});

describe('pipelines and forecast', () => {
  it('moves an opportunity through its own pipeline’s stages, with history, and forecasts by owner', async () => {
    const pipelines = (await call('GET', `/pipelines?divisionId=${demo.divisionId}`)).json().items;
    const projects = pipelines.find((p: { code: string }) => p.code === 'EQUIP-PROJECTS');
    expect(projects.stages.map((s: { probability: number }) => s.probability)).toEqual([10, 25, 50, 75, 100, 0]);
    const created = await call('POST', '/opportunities', { pipelineId: projects.id, name: 'Booster pumps', customerId: demo.customerId, amount: 40_000, currency: 'USD', expectedClose: addBusinessDays(toIsoDate(new Date()), 10) }, agent);
    expect(created.statusCode).toBe(201);
    const opp = created.json();
    expect(opp).toMatchObject({ stageCode: 'qualify', probability: 10, weightedAmount: 4000, ownerUserId: agentId });
    const moved = await call('POST', `/opportunities/${opp.id}/stage`, { stageCode: 'negotiate', note: 'site visit went well' }, agent);
    expect(moved.json().history.map((h: { fromStage: string | null; toStage: string }) => [h.fromStage, h.toStage])).toEqual([[null, 'qualify'], ['qualify', 'negotiate']]);
    const lost = await call('POST', `/opportunities/${opp.id}/stage`, { stageCode: 'lost' }, agent);
    expect(lost.statusCode).toBe(400);

    const from = toIsoDate(new Date());
    const to = addBusinessDays(from, 90);
    const f = (await call('GET', `/forecast?pipelineId=${projects.id}&from=${from}&to=${to}&groupBy=owner`)).json();
    const mine = f.rows.find((r: { ownerUserId: string }) => r.ownerUserId === agentId);
    expect(mine.open).toEqual({ count: 1, amount: 40_000, weighted: 30_000 });
  });

  it('wins the opportunity a quote was written for when the quote is accepted', async () => {
    const q = (await call('POST', '/quotes', quoteBody({ opportunityId: demo.opportunityIds[3] }))).json();
    expect((await call('POST', `/quotes/${q.id}/accept`, { version: 1 })).statusCode).toBe(201);
    const opp = (await call('GET', `/opportunities/${demo.opportunityIds[3]}`)).json();
    expect(opp).toMatchObject({ outcome: 'won', stageCode: 'won' });
    expect(opp.history.at(-1).note).toMatch(/^order SO-/);
  });
});

describe('rerouting a rejected work package', () => {
  it('gives the rejected work to the next fulfiller by the same rules and moves the estimate, not the promise', async () => {
    expect((await call('PUT', '/offers', { fulfiller: 'KCD', component: 'JKT-LSZH', leadTimeDays: 9, capacityPerDay: 1000, unitCost: 0.25 })).statusCode).toBe(200);
    const q = (await call('POST', '/quotes', quoteBody())).json();
    const order = (await call('POST', `/quotes/${q.id}/accept`, { version: 1 })).json();
    const nlx = order.routes.find((r: { fulfiller: string }) => r.fulfiller === 'NLX');
    expect(nlx.items.map((i: { component: string }) => i.component)).toEqual(['JKT-LSZH']);

    const rejected = await call('POST', `/orders/${order.id}/routes/NLX`, { status: 'rejected', note: 'no LSZH compound in stock' });
    expect(rejected.statusCode).toBe(200);
    const rerouted = await call('POST', `/orders/${order.id}/routes/NLX/reroute`, { note: 'moved to Keystone' });
    expect(rerouted.statusCode).toBe(200);
    const o = rerouted.json();
    const byFulfiller = Object.fromEntries(o.routes.map((r: { fulfiller: string }) => [r.fulfiller, r]));
    expect(byFulfiller.NLX.status).toBe('cancelled');
    expect(byFulfiller.KCD.items.map((i: { component: string }) => i.component)).toContain('JKT-LSZH');
    expect(o.promisedDate).toBe(order.promisedDate);
    // Keystone's 9-day lead replaces Northline's promised readiness: the order slips by exactly that difference.
    expect(o.estimatedDate).toBe(addBusinessDays(o.promisedDate, businessDaysBetween(nlx.promisedDate, byFulfiller.KCD.estimatedDate)));
    expect(o.estimatedDate > o.promisedDate).toBe(true);
    const kinds = (await call('GET', `/orders/${order.id}/timeline`)).json().events.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['needs-rerouting', 'rerouted', 'estimate-moved']));

    const again = await call('POST', `/orders/${order.id}/routes/NLX/reroute`, {});
    expect(again.statusCode).toBe(409);
  });
});
