/**
 * Economics on the demo bank, end to end: load 1,000 people, resolve them, generate the bank's transactions and
 * score (the demo's economics step), then read the results through the API, the 360 view and the lookups sales
 * and service use. Bill Jackson's mortgage and card, held in two divisions' systems, must add up to a high tier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../api/testing.js';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { actorFor } from '../access/service.js';
import { loadDemoBank } from '../demo/loader.js';
import { seedEconomicsDemo } from './demoTransactions.js';
import { MODEL_VERSION } from './service.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let seeded: Awaited<ReturnType<typeof seedEconomicsDemo>>;
let bill: string;
const admin = systemActor(DEFAULT_TENANT);

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoBank(t.db, { customers: 1000, seed: 7, asOf: '2026-11-24' });
  await t.app.services.resolution.run(admin, { full: true });
  seeded = await seedEconomicsDemo(t.db, t.app.services.economics, DEFAULT_TENANT, {}, '2026-11-24');
  const rows = await t.db.query<{ customer_id: string; external_id: string }>(
    `SELECT l.customer_id::text AS customer_id, r.external_id FROM source_records r JOIN customer_links l ON l.tenant_id = r.tenant_id AND l.source_record_id = r.id
      WHERE r.tenant_id = $1 AND r.external_id IN ('B00000001', 'C-00000001')`,
    [DEFAULT_TENANT],
  );
  expect(new Set(rows.map((r) => r.customer_id)).size, "resolution links Bill's mortgage and card records").toBe(1);
  bill = rows[0].customer_id;
}, 600_000);
afterAll(() => t?.close());

describe('economics on the demo bank', () => {
  it('scores every golden customer, with value concentrated in few', async () => {
    const [{ golden, scored, nulls }] = await t.db.query<{ golden: number; scored: number; nulls: number }>(
      `SELECT (SELECT count(*)::int FROM golden_customers WHERE tenant_id = $1 AND status = 'active') AS golden,
              (SELECT count(*)::int FROM customer_economics WHERE tenant_id = $1) AS scored,
              (SELECT count(*)::int FROM customer_economics WHERE tenant_id = $1 AND (clv IS NULL OR clv = 'NaN'::float8 OR profit = 'NaN'::float8)) AS nulls`,
      [DEFAULT_TENANT],
    );
    expect(scored).toBe(golden);
    expect(seeded.customers).toBe(golden);
    expect(nulls).toBe(0);
    expect(seeded.transactions).toBeGreaterThan(50_000);
    // Top 5 % of customers hold far more than 5 % of lifetime value.
    const [{ share }] = await t.db.query<{ share: number }>(
      `SELECT sum(clv) FILTER (WHERE tier IN ('top1', 'top5')) / sum(clv) AS share FROM customer_economics WHERE tenant_id = $1`,
      [DEFAULT_TENANT],
    );
    expect(share).toBeGreaterThan(0.2);
    expect(seeded.tiers.top1).toBeLessThanOrEqual(Math.floor(golden * 0.01));
  });

  it("puts Bill Jackson's combined mortgage and card in a high tier", async () => {
    const view = await t.app.services.economics.ofCustomer(admin, bill);
    expect(view).not.toBeNull();
    expect(['top1', 'top5']).toContain(view!.tier);
    expect(view!.clv!).toBeGreaterThan(10_000);
    expect(view!.probabilityAlive!).toBeGreaterThan(0.9);
    expect(view!.profit.byDivision.map((d) => d.divisionName).sort()).toEqual(expect.arrayContaining(['Cards', 'Mortgages']));
    const mortgage = view!.profit.byDivision.find((d) => d.divisionName === 'Mortgages')!;
    // 1.6 % a year on $1.24M is about $19,800 of interest margin.
    expect(mortgage.revenue).toBeGreaterThan(15_000);
    expect(view!.reasons.length).toBeGreaterThan(0);
  });

  it('serves one customer at /customers/{id}/economics and inside the 360 view', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${bill}/economics`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ customerId: bill, modelVersion: MODEL_VERSION, calibrationEnd: '2026-11-24', period: 'week' });
    expect(typeof body.clv).toBe('number');
    expect(body.rfm.segment).toBeTruthy();
    const v360 = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${bill}/360`, headers: t.auth });
    expect(v360.statusCode).toBe(200);
    expect(v360.json().economics).toMatchObject({ tier: body.tier, clv: body.clv, disposition: body.disposition });
  });

  it('answers the book summary: tiers, dispositions, CLV histogram, RFM grid, profitability and the whale curve', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/economics/summary', headers: t.auth });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.customers).toBe(seeded.customers);
    expect(s.tiers.reduce((a: number, x: { customers: number }) => a + x.customers, 0)).toBe(s.customers);
    expect(s.dispositions.reduce((a: number, x: { customers: number }) => a + x.customers, 0)).toBe(s.customers);
    expect(s.clvHistogram.reduce((a: number, x: { customers: number }) => a + x.customers, 0)).toBe(s.customers);
    expect(s.rfmGrid.length).toBeGreaterThan(5);
    expect(s.profitByDivision.map((d: { divisionName: string }) => d.divisionName)).toEqual(expect.arrayContaining(['Mortgages', 'Cards', 'Wealth']));
    expect(s.costByTouchPoint.length).toBeGreaterThan(3);
    const whale = s.whaleCurve as { customerShare: number; profitShare: number }[];
    expect(whale.at(-1)!.customerShare).toBeCloseTo(1, 9);
    expect(whale.at(-1)!.profitShare).toBeCloseTo(1, 6);
    // The most profitable fifth earns well over a fifth of the profit.
    expect(whale.find((p) => p.customerShare >= 0.2)!.profitShare).toBeGreaterThan(0.5);
  });

  it('lists the customers of one tier, most valuable first, page by page', async () => {
    const summary = (await t.app.inject({ method: 'GET', url: '/api/v1/economics/summary', headers: t.auth })).json();
    const tier = summary.tiers[0] as { tier: string; customers: number };
    const seen: { customerId: string; clv: number | null; tier: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/economics/customers', headers: t.auth, query: { tier: tier.tier, limit: '40', ...(cursor ? { cursor } : {}) } });
      expect(res.statusCode).toBe(200);
      const page = res.json();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(tier.customers);
    expect(new Set(seen.map((c) => c.customerId)).size).toBe(seen.length);
    expect(seen.every((c) => c.tier === tier.tier)).toBe(true);
    const clvs = seen.map((c) => c.clv ?? -1);
    expect(clvs).toEqual([...clvs].sort((a, b) => b - a));
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/economics/customers?cursor=nope', headers: t.auth });
    expect(bad.statusCode).toBe(400);
  });

  it('shows a division manager only their divisions: counts of their customers and their divisions’ profit', async () => {
    const [cards] = await t.db.query<{ id: string }>(`SELECT id::text AS id FROM divisions WHERE tenant_id = $1 AND name = 'Cards'`, [DEFAULT_TENANT]);
    const manager = actorFor({ tenantId: DEFAULT_TENANT, id: '00000000-0000-7000-8000-000000000001', role: 'manager', divisionIds: [cards.id], teamId: null });
    const s = await t.app.services.economics.summary(manager);
    expect(s.profitByDivision.map((d) => d.divisionName)).toEqual(['Cards']);
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM golden_customers WHERE tenant_id = $1 AND status = 'active' AND $2::uuid = ANY(division_ids)`, [DEFAULT_TENANT, cards.id]);
    expect(s.customers).toBe(n);
    const view = await t.app.services.economics.ofCustomer(manager, bill);
    expect(view!.profit.byDivision.map((d) => d.divisionName)).toEqual(['Cards']);
  });

  it("estimates share of wallet from holdings across divisions, and hides other divisions' holdings from a division manager", async () => {
    const view = (await t.app.services.economics.ofCustomer(admin, bill))!;
    // Bill holds a mortgage and a card: both families are listed, and what his top-tier peers commonly hold on top is untapped.
    expect(view.wallet.held).toEqual(expect.arrayContaining(['card', 'mortgage']));
    expect(view.wallet.shareOfWallet).toBeGreaterThan(0);
    expect(view.wallet.shareOfWallet).toBeLessThanOrEqual(1);
    for (const u of view.wallet.untapped) {
      expect(view.wallet.held).not.toContain(u.category);
      expect(u.peerAdoption).toBeGreaterThanOrEqual(0.25);
    }
    expect(view.wallet.walletGap).toBeCloseTo(view.wallet.untapped.reduce((a, u) => a + u.typicalRevenue, 0), 1);
    // Stored for everyone, never NaN; the grow rule sees the gap.
    const [{ bad, withGap, growByGap }] = await t.db.query<{ bad: number; withGap: number; growByGap: number }>(
      `SELECT count(*) FILTER (WHERE share_of_wallet = 'NaN'::float8 OR share_of_wallet < 0 OR share_of_wallet > 1)::int AS bad,
              count(*) FILTER (WHERE wallet_gap > 0)::int AS "withGap",
              count(*) FILTER (WHERE disposition = 'grow' AND reasons::text LIKE '%untapped wallet%')::int AS "growByGap"
         FROM customer_economics WHERE tenant_id = $1`,
      [DEFAULT_TENANT],
    );
    expect(bad).toBe(0);
    expect(withGap).toBeGreaterThan(0);
    expect(growByGap).toBeGreaterThan(0);
    const [cards] = await t.db.query<{ id: string }>(`SELECT id::text AS id FROM divisions WHERE tenant_id = $1 AND name = 'Cards'`, [DEFAULT_TENANT]);
    const manager = actorFor({ tenantId: DEFAULT_TENANT, id: '00000000-0000-7000-8000-000000000001', role: 'manager', divisionIds: [cards.id], teamId: null });
    const scoped = (await t.app.services.economics.ofCustomer(manager, bill))!;
    expect(scoped.wallet.held).toEqual(['card']);
    expect(scoped.wallet.shareOfWallet).toBe(view.wallet.shareOfWallet);
  });

  it('feeds the sales pricing and service value lookups', async () => {
    const { services } = t.app;
    const view = (await services.economics.ofCustomer(admin, bill))!;
    expect(await services.sales.context.economics.profileOf(DEFAULT_TENANT, bill)).toEqual({ tier: view.tier, profitability: view.profit.profit });
    expect((await services.service.ctx.value.tierOf(DEFAULT_TENANT, [bill])).get(bill)).toBe(view.tier);
    const trend = (await services.service.ctx.value.trendsOf!(DEFAULT_TENANT, [bill])).get(bill)!;
    expect(trend.pAlive).toBeCloseTo(view.probabilityAlive!, 9);
    expect(trend.pAlivePrevious).toBeGreaterThan(0);
    expect(trend.spend).toBeGreaterThan(0);
    expect(await services.sales.context.economics.profileOf(DEFAULT_TENANT, '00000000-0000-7000-8000-00000000ffff')).toBeNull();
  });

  it('scores again as a job through POST /economics/runs, replacing the results', async () => {
    const before = (await t.app.services.economics.ofCustomer(admin, bill))!;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/economics/runs', headers: t.auth, payload: { asOf: '2026-11-24' } });
    expect(res.statusCode).toBe(202);
    const job = await t.app.services.jobs.waitFor(DEFAULT_TENANT, res.json().id);
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    const after = (await t.app.services.economics.ofCustomer(admin, bill))!;
    expect(after.runId).not.toBe(before.runId);
    // The same purchases give the same fit and scores.
    expect(Math.abs(after.clv! - before.clv!) / before.clv!).toBeLessThan(1e-9);
    const fits = await t.app.inject({ method: 'GET', url: '/api/v1/economics/fits?limit=4', headers: t.auth });
    expect(fits.statusCode).toBe(200);
    expect(fits.json().items.map((f: { model: string; runId: string }) => [f.model, f.runId])).toEqual([
      ['gamma-gamma', after.runId],
      ['bgnbd', after.runId],
      ['gamma-gamma', before.runId],
      ['bgnbd', before.runId],
    ]);
  });

  it('refuses a run in the future and a run by a non-administrator', async () => {
    const future = await t.app.inject({ method: 'POST', url: '/api/v1/economics/runs', headers: t.auth, payload: { asOf: '2999-01-01' } });
    expect(future.statusCode).toBe(202);
    const job = await t.app.services.jobs.waitFor(DEFAULT_TENANT, future.json().id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/future/);
    const manager = actorFor({ tenantId: DEFAULT_TENANT, id: '00000000-0000-7000-8000-000000000001', role: 'manager', divisionIds: [], teamId: null });
    await expect(t.app.services.economics.score(manager)).rejects.toThrow(/administrators/);
  });

  it('answers 404 problem+json for a customer not scored yet', async () => {
    const [c] = await t.db.query<{ id: string }>(
      `INSERT INTO golden_customers (tenant_id, id, display_name) VALUES ($1, '00000000-0000-7000-8000-0000000000aa', 'New Person') RETURNING id::text AS id`,
      [DEFAULT_TENANT],
    );
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${c.id}/economics`, headers: t.auth });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toMatch(/not scored yet/);
    const v360 = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${c.id}/360`, headers: t.auth });
    expect(v360.json().economics).toBeNull();
  });
});
