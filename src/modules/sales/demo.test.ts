import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../core/actor.js';
import { DEFAULT_TENANT } from '../../core/ids.js';
import { buildTestApp } from '../../api/testing.js';
import { seedSalesDemo, type SalesDemoResult } from './demo.js';

let t: Awaited<ReturnType<typeof buildTestApp>>;
let demo: SalesDemoResult;
beforeAll(async () => {
  t = await buildTestApp();
  demo = await seedSalesDemo(t.app.services);
});
afterAll(() => t.close());

describe('seedSalesDemo', () => {
  it('seeds an equipment division whose sample quote routes to our plant and two subcontractors', async () => {
    const admin = systemActor(DEFAULT_TENANT);
    const quote = await t.app.services.sales.quotes.getQuote(admin, demo.quoteId);
    const fulfillers = quote.current.document.delivery.routes.map((r) => r.fulfiller).sort();
    expect(fulfillers).toEqual(['KCD', 'NLX', 'PLANT']);
    expect(quote.current.status).toBe('issued');
    expect(demo.fulfillers.every((f) => f.callbackSecret)).toBe(true);
  });

  it('seeds an order whose consolidated date moved when a subcontractor slipped', async () => {
    const admin = systemActor(DEFAULT_TENANT);
    const order = await t.app.services.sales.orders.getOrder(admin, demo.orderId!);
    expect(order.routes.filter((r) => r.fulfillerKind === 'subcontractor').length).toBe(2);
    expect(order.estimatedDate > order.promisedDate).toBe(true);
  });

  it('can run again without failing on what exists', async () => {
    const again = await seedSalesDemo(t.app.services, { customerId: demo.customerId, withOrder: false });
    expect(again.divisionId).toBe(demo.divisionId);
    expect(again.fulfillers.every((f) => f.callbackSecret === null)).toBe(true);
  });
});
