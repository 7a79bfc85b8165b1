/**
 * The economics journey in a real browser on the demo bank (resolved and scored, as `rapport serve --demo` does):
 * open Economics, read the tiers, click a tier through to its customers, then find Bill Jackson with Ctrl+K and
 * read his economics card: his value across both divisions and why he is a customer to keep.
 * Needs Debian's Chromium; UPDATE_SCREENSHOTS=1 rewrites docs/screenshots/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, hasChromium, openBrowser, type BrowserSession } from './harness/browser.js';
import { startApp } from './harness/app.js';
import { ensureWebBuilt } from './harness/webBuild.js';
import { STAFF } from './fixtures/billJackson.js';
import { systemActor } from '../../src/core/actor.js';
import { DEFAULT_TENANT } from '../../src/core/ids.js';
import { loadDemoBank } from '../../src/modules/demo/loader.js';
import { seedEconomicsDemo } from '../../src/modules/economics/demoTransactions.js';
import { STORY } from '../../src/modules/demo/story.js';

if (!hasChromium) console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`);

const CUSTOMERS = 400;

describe.skipIf(!hasChromium)('web app in Chromium: the economics journey', () => {
  let server: Awaited<ReturnType<typeof startApp>>;
  let browser: BrowserSession;
  let page: Page;
  let billId: string;

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startApp();
    const { db, services } = server;
    await services.access.createUser(DEFAULT_TENANT, { ...STAFF, role: 'admin' });
    await loadDemoBank(db, { customers: CUSTOMERS, seed: 7, asOf: '2026-11-24' });
    await services.resolution.run(systemActor(DEFAULT_TENANT), { full: true });
    await seedEconomicsDemo(db, services.economics, DEFAULT_TENANT, {}, '2026-11-24');
    const [bill] = await db.query<{ customer_id: string }>(
      'SELECT l.customer_id::text AS customer_id FROM demo_truth t JOIN customer_links l ON l.tenant_id = t.tenant_id AND l.source_record_id = t.source_record_id WHERE t.tenant_id = $1 AND t.person_key = $2 LIMIT 1',
      [DEFAULT_TENANT, STORY.bill],
    );
    billId = bill.customer_id;
    browser = await openBrowser(server.baseURL);
    page = browser.page;
    await page.goto('/sign-in');
    await page.getByRole('textbox', { name: 'Email' }).fill(STAFF.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(STAFF.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/customers');
  }, 1_500_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(() => {
    const errors = browser.consoleErrors.splice(0);
    expect(errors, 'console errors in the browser').toEqual([]);
  });

  it('shows tiers, dispositions, the CLV histogram, RFM grid, whale curve and profit by division', async () => {
    await page.getByRole('link', { name: 'Economics' }).first().click();
    await page.waitForURL('**/economics');
    await page.getByRole('heading', { name: 'Economics', level: 1 }).waitFor();
    const tiers = page.getByRole('region', { name: 'Tiers' });
    await tiers.getByRole('link', { name: /^Top 1%: list \d+ customers/ }).waitFor();
    const summary = await server.services.economics.summary(systemActor(DEFAULT_TENANT));
    expect(summary.customers).toBeGreaterThan(CUSTOMERS / 2);
    for (const t of summary.tiers) {
      const label = t.tier === 'rest' ? 'The rest' : t.tier.replace(/^top(\d+)$/, 'Top $1%');
      expect(await tiers.getByRole('link', { name: `${label}: list ${t.customers} customers` }).count(), `tier ${t.tier} with its count`).toBe(1);
    }
    await page.getByRole('region', { name: 'Dispositions' }).getByRole('link').first().waitFor();
    const rfm = page.getByRole('table', { name: 'RFM grid' });
    expect(await rfm.getByRole('button').count(), 'one button per occupied RFM cell').toBe(new Set(summary.rfmGrid.map((c) => `${c.r}:${c.fm}`)).size);
    const divisions = page.getByRole('region', { name: 'Profit by division' });
    for (const d of summary.profitByDivision) await divisions.getByRole('cell', { name: d.divisionName, exact: true }).waitFor();
    // ECharts draws on canvas; wait for both charts to have drawn.
    await page.getByRole('img', { name: /^Histogram of customers by lifetime value/ }).locator('canvas').first().waitFor();
    await page.getByRole('img', { name: /^Whale curve/ }).locator('canvas').first().waitFor();
    await page.waitForTimeout(300);
    await browser.screenshot('economics', { height: 1500 });
  });

  it('clicks a tier through to its customers, most valuable first', async () => {
    const top5 = (await server.services.economics.summary(systemActor(DEFAULT_TENANT))).tiers.find((t) => t.tier === 'top5')!;
    await page.getByRole('region', { name: 'Tiers' }).getByRole('link', { name: /^Top 5%/ }).click();
    await page.waitForURL('**/economics/customers?tier=top5');
    await page.getByRole('heading', { name: 'Customers in tier Top 5%', level: 1 }).waitFor();
    const status = page.getByRole('status').filter({ hasText: /customers loaded/ });
    await status.waitFor();
    expect(await status.innerText()).toBe(`${top5.customers} customers loaded`);
    const table = page.getByRole('table', { name: 'Customers in tier Top 5%' });
    const rows = table.getByRole('row').filter({ has: page.getByRole('link') });
    const texts = await rows.allInnerTexts();
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((t) => t.includes('Top 5%'))).toBe(true);
    await browser.screenshot('economics-tier');
    await page.getByRole('link', { name: 'Economics' }).first().click();
    await page.getByRole('heading', { name: 'Economics', level: 1 }).waitFor();
    // A segment of the RFM grid is a click away too.
    const cell = page.getByRole('table', { name: 'RFM grid' }).getByRole('button').first();
    const segment = (await cell.getAttribute('aria-label'))!.split(',')[0];
    await cell.click();
    await page.getByRole('heading', { name: `Customers in RFM segment ${segment}`, level: 1 }).waitFor();
  });

  it("finds Bill Jackson with Ctrl+K and reads his economics card: value across divisions and the reasons", async () => {
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('Control+K');
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.waitFor();
    await page.keyboard.type('Bill Jackson');
    await dialog.getByRole('option').filter({ hasText: 'Jackson' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/customers/${billId}`);
    const card = page.getByRole('region', { name: 'Economics' });
    await card.waitFor();
    const view = (await server.services.economics.ofCustomer(systemActor(DEFAULT_TENANT), billId))!;
    expect(view.tier, 'Bill is a top customer').toMatch(/^top/);
    // innerText follows CSS text-transform (labels are set in capitals), so compare without case.
    const text = (await card.innerText()).toLowerCase();
    expect(text).toContain('lifetime value');
    expect(text).toContain('p(alive)');
    for (const reason of view.reasons) expect(text).toContain(reason.toLowerCase());
    const divisions = card.getByRole('table', { name: 'Profit by division' });
    expect(view.profit.byDivision.length, 'Bill is valued across his mortgage and his card').toBeGreaterThanOrEqual(2);
    for (const d of view.profit.byDivision) await divisions.getByRole('cell', { name: d.divisionName, exact: true }).waitFor();
    await browser.screenshot('customer-economics', { of: card, height: 1000 });
  });
});
