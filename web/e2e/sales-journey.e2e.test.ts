/**
 * The sales journey in a real browser against the real server and the sales demo (the equipment division):
 * move deals on the pipeline board by drag and drop and from the keyboard; configure a custom cable for
 * Riverside Water Utility, see a broken catalogue rule, the live price with its rules and one delivery date;
 * save the quote, fetch its PDF, accept it, and watch the order go to two subcontractors whose signed
 * callbacks come back as one delivery date. UPDATE_SCREENSHOTS=1 rewrites docs/screenshots/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, hasChromium, openBrowser, type BrowserSession } from './harness/browser.js';
import { startApp } from './harness/app.js';
import { ensureWebBuilt } from './harness/webBuild.js';
import { systemActor } from '../../src/core/actor.js';
import { DEFAULT_TENANT } from '../../src/core/ids.js';
import { seedSalesDemo, type SalesDemoResult } from '../../src/modules/sales/demo.js';
import { signPayload, SIGNATURE_HEADER } from '../../src/core/webhooks/signature.js';
import { addBusinessDays } from '../../src/modules/sales/fulfilment/calendar.js';

if (!hasChromium) console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`);

const REP = { email: 'sam.rivera@equipment.example', password: 'correct horse battery staple', displayName: 'Sam Rivera' };

async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

const column = (page: Page, stageName: string) => page.getByRole('listitem', { name: new RegExp(`^${stageName}: \\d+ opportunit`) });

describe.skipIf(!hasChromium)('web app in Chromium: the sales journey', () => {
  let server: Awaited<ReturnType<typeof startApp>>;
  let demo: SalesDemoResult;
  let browser: BrowserSession;
  let page: Page;
  let repId: string;
  const stageOf = async (id: string) => (await server.services.sales.pipelines.getOpportunity(systemActor(DEFAULT_TENANT), id)).stageCode;

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startApp();
    repId = (await server.services.access.createUser(DEFAULT_TENANT, { ...REP, role: 'admin' })).id;
    demo = await seedSalesDemo(server.services, { ownerUserId: repId });
    browser = await openBrowser(server.baseURL);
    page = browser.page;
    await page.goto('/sign-in');
    await page.getByRole('textbox', { name: 'Email' }).fill(REP.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(REP.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/customers');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(() => {
    const errors = browser.consoleErrors.splice(0);
    expect(errors, 'console errors in the browser').toEqual([]);
  });

  it('moves an opportunity on the kanban by drag and drop, and from the keyboard', async () => {
    await page.getByRole('link', { name: 'Sales' }).click();
    await page.waitForURL('**/sales/pipeline');
    await page.locator('label').filter({ hasText: 'Equipment projects' }).click();
    await page.waitForURL(/pipeline=/);
    const qualify = column(page, 'Qualify');
    const needs = column(page, 'Needs analysis');
    await qualify.getByRole('button', { name: 'Lakeside booster set', exact: true }).waitFor();
    await page.getByRole('table', { name: 'Forecast by owner' }).getByRole('cell', { name: REP.displayName }).waitFor();
    await browser.screenshot('sales-pipeline', { height: 1000 });

    // Drag and drop (native HTML5 events in Chromium).
    const [, lakesideId, harbourId] = demo.opportunityIds;
    await page.locator(`[data-opportunity="${lakesideId}"]`).dragTo(needs);
    await needs.getByRole('button', { name: 'Lakeside booster set', exact: true }).waitFor();
    await eventually(() => stageOf(lakesideId), (s) => s === 'needs', 'the server to record the drop');
    expect(await needs.getByRole('listitem').count().catch(() => 0)).toBeGreaterThanOrEqual(0);
    expect(await qualify.getByRole('button', { name: 'Lakeside booster set', exact: true }).count()).toBe(0);

    // The keyboard: Tab to the card's Move button, open its menu, pick a stage.
    const moveHarbour = page.getByRole('button', { name: 'Move Harbour storm-water pumps' });
    await moveHarbour.focus();
    await page.keyboard.press('Enter');
    const won = page.getByRole('menuitem', { name: 'Won' });
    await won.waitFor();
    await eventually(
      async () => {
        await page.keyboard.press('ArrowDown');
        return page.evaluate(() => document.activeElement?.textContent ?? '');
      },
      (t) => t === 'Won',
      'the Won menu item to take focus',
    );
    await page.keyboard.press('Enter');
    await column(page, 'Won').getByRole('button', { name: 'Harbour storm-water pumps', exact: true }).waitFor();
    await eventually(() => stageOf(harbourId), (s) => s === 'won', 'the keyboard move to be saved');

    // A move the server refuses: someone else moved the deal meanwhile, so this board is stale. The card
    // goes back and the refusal is shown.
    const riversideId = demo.opportunityIds[0];
    await server.services.sales.pipelines.moveOpportunity(systemActor(DEFAULT_TENANT), riversideId, { stageCode: 'negotiate' });
    await browser.expectConsoleErrors(/status of 409/, async () => {
      await page.locator(`[data-opportunity="${riversideId}"]`).dragTo(column(page, 'Negotiation'));
      await page.getByText(/Riverside pumping station upgrade stays where it was/).waitFor();
    });
    await column(page, 'Negotiation').getByRole('button', { name: 'Riverside pumping station upgrade', exact: true }).waitFor();
    await browser.screenshot('sales-pipeline-refused');

    // The detail beside the board: its stage history.
    await column(page, 'Won').getByRole('button', { name: 'Harbour storm-water pumps', exact: true }).click();
    const drawer = page.getByRole('dialog', { name: 'Harbour storm-water pumps' });
    await drawer.getByText('Negotiation → Won').waitFor();
    await browser.screenshot('sales-opportunity');
    await page.keyboard.press('Escape');
  });

  let quoteNumber = '';
  it('configures a custom cable, shows the broken rule, prices it live with its rules and one delivery date, and saves a quote', async () => {
    await page.goto(`/sales/quote?customer=${demo.customerId}`);
    await page.getByRole('combobox', { name: 'Customer' }).and(page.locator('[value="Riverside Water Utility"]')).waitFor();
    await page.getByRole('combobox', { name: 'Product' }).click();
    await page.getByRole('option', { name: /Custom power cable/ }).click();
    await page.getByRole('textbox', { name: 'Length' }).fill('40');
    const pick = async (label: string, option: string) => {
      await page.getByRole('combobox', { name: label }).click();
      await page.getByRole('option', { name: option, exact: true }).click();
    };
    await pick('Jacket', 'Low-smoke zero-halogen');
    await browser.expectConsoleErrors(/status of 400/, async () => {
      await pick('Conductor gauge (AWG)', '6 AWG');
      await page.getByRole('alert').filter({ hasText: 'This configuration breaks a rule' }).waitFor();
    });
    const gauge = page.getByRole('combobox', { name: 'Conductor gauge (AWG)' });
    expect(await gauge.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText(/LSZH jackets are extruded only on 10–14 AWG conductors/).first().isVisible()).toBe(true);
    await browser.screenshot('sales-cpq-rule');

    await pick('Conductor gauge (AWG)', '12 AWG');
    await pick('Connector, end A', 'N-type');
    await pick('Connector, end B', 'M12 circular');
    await page.getByRole('textbox', { name: 'Quantity' }).fill('6');
    const total = page.getByTestId('quote-net-total');
    await total.waitFor();
    await page.locator('section[aria-label="Price and delivery"][aria-busy="false"]').waitFor();
    expect(await total.innerText()).toMatch(/^\$[\d,]+(\.\d\d)?$/);
    expect(await page.getByTestId('quote-delivery-date').innerText()).toMatch(/\d{4}|[A-Z][a-z]{2}/);
    const trail = page.getByRole('table', { name: 'How line 1 was priced' });
    expect(await trail.innerText()).toMatch(/base/);
    const fulfillers = await page.getByRole('table', { name: 'Fulfillers' }).innerText();
    expect(fulfillers).toContain('Northline Extrusion');
    expect(fulfillers).toContain('Keystone Connectors & Drives');

    // Above the 10 % threshold the quote would wait for approval; the page says so before saving.
    await page.getByRole('textbox', { name: 'Your discount' }).fill('12');
    await page.getByText(/Needs approval: above the 10% threshold/).waitFor();
    await browser.screenshot('sales-cpq-approval');
    await page.getByRole('textbox', { name: 'Your discount' }).fill('5');
    await page.getByText(/Discounts up to 10% need no approval/).waitFor();
    await page.locator('section[aria-label="Price and delivery"][aria-busy="false"]').waitFor();
    await browser.screenshot('sales-cpq', { height: 1500 });

    await page.getByRole('button', { name: 'Save as quote' }).click();
    await page.waitForURL(/\/sales\/quotes\/[0-9a-f-]{36}$/);
    const heading = await page.getByRole('heading', { level: 2 }).innerText();
    quoteNumber = /Quote (\S+)/.exec(heading)?.[1] ?? '';
    expect(quoteNumber).not.toBe('');
  });

  it('downloads the quote as a real PDF and accepts it into an order routed to two subcontractors', async () => {
    const href = await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href');
    const res = await page.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    const pdf = await res.body();
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1'), 'the quote number is in the PDF').toContain(quoteNumber);
    await browser.screenshot('sales-quote');

    await page.getByRole('textbox', { name: "Customer's order reference" }).fill('RWU-PO-8120');
    await page.getByRole('button', { name: 'Accept and create the order' }).click();
    await page.waitForURL(/\/sales\/orders\/[0-9a-f-]{36}$/);
    const packages = page.getByRole('table', { name: 'Work packages' });
    await packages.waitFor();
    const firstCells = await packages.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLTableRowElement).cells[0].textContent ?? ''));
    const subcontracted = firstCells.filter((t) => t.endsWith('subcontractor')).map((t) => t.replace(/\s*subcontractor$/, '').trim());
    expect(subcontracted.sort()).toEqual(['Keystone Connectors & Drives', 'Northline Extrusion']);
    const promised = await page.getByTestId('order-promised-date').innerText();
    expect(await page.getByTestId('order-estimated-date').innerText()).toBe(promised);
  });

  it('consolidates the subcontractors’ signed callbacks into one delivery date', async () => {
    const orderId = /\/sales\/orders\/([0-9a-f-]{36})$/.exec(page.url())![1];
    const order = await server.services.sales.orders.getOrder(systemActor(DEFAULT_TENANT), orderId);
    // The demo gives fresh fulfillers their callback secrets; each subcontractor reports its own estimate.
    const call = async (code: string, estimatedDate: string, note: string) => {
      const f = demo.fulfillers.find((x) => x.code === code)!;
      const body = JSON.stringify({ eventId: `${code}-${order.number}-1`, order: order.number, status: 'in_production', estimatedDate, note });
      const res = await fetch(`${server.baseURL}/api/v1/sales/fulfillers/${f.id}/callbacks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signPayload(f.callbackSecret!, body) },
        body,
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as { estimatedDate: string };
    };
    const nlx = order.routes.find((r) => r.fulfiller === 'NLX')!;
    const kcd = order.routes.find((r) => r.fulfiller === 'KCD')!;
    await call('KCD', kcd.promisedDate, 'connectors on schedule');
    const last = await call('NLX', addBusinessDays(nlx.promisedDate, 3), 'jacket compound arrives late');
    await page.reload();
    const estimate = page.getByTestId('order-estimated-date');
    await estimate.waitFor();
    const timeline = page.getByRole('region', { name: 'Order timeline' });
    await timeline.getByText('NLX: in production').waitFor();
    await timeline.getByText('KCD: in production').waitFor();
    const shown = await estimate.innerText();
    const promised = await page.getByTestId('order-promised-date').innerText();
    expect(last.estimatedDate >= order.promisedDate).toBe(true);
    if (last.estimatedDate > order.promisedDate) expect(shown).not.toBe(promised);
    await browser.screenshot('sales-order', { height: 1300 });
  });

  it("shows the customer's opportunities, quotes and orders on the customer page", async () => {
    await page.goto(`/customers/${demo.customerId}`);
    const card = page.getByRole('region', { name: 'Sales' });
    await card.getByText(quoteNumber).waitFor();
    expect(await card.getByText('Riverside pumping station upgrade').count()).toBeGreaterThan(0);
    await browser.screenshot('sales-customer-card', { of: card });
  });
});
