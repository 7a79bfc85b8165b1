/**
 * The web app in a real browser against the real server: a member of staff signs in, finds Bill Jackson with
 * the Ctrl+K search, sees what both divisions hold about him, and filters his contact timeline.
 * Needs Debian's Chromium (/usr/bin/chromium); builds web/dist first when it is missing or stale.
 * UPDATE_SCREENSHOTS=1 rewrites docs/screenshots/; otherwise screenshots go to tmp/e2e-screenshots/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, hasChromium, openBrowser, type BrowserSession } from './harness/browser.js';
import { startApp } from './harness/app.js';
import { ensureWebBuilt } from './harness/webBuild.js';
import { seedBillJacksonStory, STAFF, type SeededStory } from './fixtures/billJackson.js';

if (!hasChromium) console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`);

/** Polls until `read()` satisfies `check`, so assertions wait for the UI rather than racing it. */
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

const statusText = (page: Page) => page.getByRole('status').filter({ hasText: /customers loaded|best matches/ }).innerText();

describe.skipIf(!hasChromium)('web app in Chromium: the Bill Jackson journey', () => {
  let server: Awaited<ReturnType<typeof startApp>>;
  let story: SeededStory;
  let browser: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startApp();
    story = await seedBillJacksonStory(server.services);
    browser = await openBrowser(server.baseURL);
    page = browser.page;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(() => {
    const errors = browser.consoleErrors.splice(0);
    expect(errors, 'console errors in the browser').toEqual([]);
  });

  it('signs in, showing field errors next to the field and wrong credentials in an alert', async () => {
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await page.getByRole('heading', { name: 'Sign in to Rapport' }).waitFor();
    await browser.screenshot('sign-in');

    const email = page.getByRole('textbox', { name: 'Email' });
    const password = page.getByRole('textbox', { name: 'Password', exact: true });
    await email.fill('not-an-email');
    await password.fill('whatever');
    await browser.expectConsoleErrors(/status of 400/, async () => {
      await page.getByRole('button', { name: 'Sign in' }).click();
      await eventually(() => email.getAttribute('aria-invalid'), (v) => v === 'true', 'the email field to be marked invalid');
    });
    const describedBy = await email.getAttribute('aria-describedby');
    expect(describedBy, 'the field error is tied to the field').toBeTruthy();
    expect(await page.locator(`[id="${describedBy?.split(' ').find((id) => id.includes('error'))}"]`).innerText()).toMatch(/email/i);

    await email.fill(STAFF.email);
    await password.fill('not the password');
    await browser.expectConsoleErrors(/status of 401/, async () => {
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'email or password is wrong' }).waitFor();
    });
    await browser.screenshot('sign-in-error');

    await password.fill(STAFF.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/customers');
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: `Account menu for ${STAFF.displayName}` }).isVisible()).toBe(true);
  });

  it('lists customers a page at a time, virtualised, with division filter and sort', async () => {
    const total = story.otherCustomers + 1;
    expect(await eventually(() => statusText(page), (t) => t.startsWith('50 customers loaded'), 'the first page')).toContain('more load as you scroll');
    const table = page.getByRole('table', { name: 'Customers' });
    const domRows = await table.getByRole('row').count();
    expect(domRows, 'only the rows in view are rendered').toBeLessThan(50);
    await browser.screenshot('customers');

    // Scrolling to the end asks for the next pages until the list is complete.
    const scroller = table.locator('[role="rowgroup"][tabindex="-1"]');
    await eventually(
      async () => {
        await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
        return statusText(page);
      },
      (t) => t === `${total} customers loaded`,
      `all ${total} customers after scrolling`,
      20_000,
    );

    await page.getByRole('combobox', { name: 'Division' }).click();
    await page.getByRole('option', { name: 'Everyday Banking' }).click();
    await page.waitForURL(/division=/);
    const rows = table.getByRole('row').filter({ has: page.getByRole('link') });
    await eventually(() => rows.allInnerTexts(), (texts) => texts.length > 0 && texts.every((t) => t.includes('Everyday Banking')), 'only Everyday Banking customers');
    expect(await table.getByRole('link', { name: 'Bill Jackson' }).count(), 'Bill holds nothing in Everyday Banking').toBe(0);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('combobox', { name: 'Sort' }).click();
    await page.getByRole('option', { name: 'Name, Z to A' }).click();
    await page.waitForURL(/sort=-displayName/);
    const firstName = await eventually(() => table.getByRole('link').first().innerText(), (n) => /^[V-Z]/.test(n), 'Z-to-A order');
    expect(firstName).toMatch(/^[V-Z]/);
  });

  it('finds Bill Jackson from anywhere with Ctrl+K and opens his page', async () => {
    await page.getByRole('heading', { name: 'Customers', level: 1 }).click();
    await page.keyboard.press('Control+K');
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.waitFor();
    const input = dialog.getByRole('combobox', { name: 'Search text' });
    expect(await input.evaluate((el) => el === document.activeElement), 'the search box has focus').toBe(true);
    await page.keyboard.type('Bill Jackson');
    const billOption = dialog.getByRole('option').filter({ hasText: 'Bill Jackson' }).first();
    await billOption.waitFor();
    await dialog.getByRole('option').filter({ hasText: 'CARDS-CMS · C-5561-889' }).waitFor();
    await dialog.getByRole('option').filter({ hasText: 'not linked to a customer yet' }).waitFor();
    expect(await billOption.getAttribute('aria-selected')).toBe('true');
    await browser.screenshot('search');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/customers/${story.billId}`);
    await page.getByRole('heading', { name: 'Bill Jackson', level: 1 }).waitFor();
  });

  it('shows both divisions’ records, the provenance of each golden value, and his products', async () => {
    const mortgages = page.getByRole('region', { name: 'Mortgages records' });
    const cards = page.getByRole('region', { name: 'Cards records' });
    await mortgages.waitFor();
    expect(await mortgages.innerText()).toContain('MTG-CORE · M-100234');
    expect(await mortgages.innerText()).toContain('William Jackson');
    expect(await cards.innerText()).toContain('CARDS-CMS · C-5561-889');
    expect(await cards.innerText()).toContain('match 96%');

    const profile = page.getByRole('region', { name: 'Golden profile' });
    expect(await profile.innerText()).toContain('bill.jackson@example.com');
    const emailSource = profile.getByLabel(/^Source: Email from Cards/);
    expect(await emailSource.getAttribute('aria-label')).toContain('CARDS-CMS record C-5561-889');
    expect(await profile.getByLabel(/^Source: Phone from Mortgages/).count()).toBe(1);

    const insights = await page.getByRole('region', { name: 'Across divisions' }).innerText();
    expect(insights).toContain('Cards is offering Cashback card, but the customer already holds Platinum Rewards card (Cards).');
    expect(insights).toContain('Known to 2 divisions: Cards, Mortgages.');

    const products = page.getByRole('region', { name: 'Products held' });
    await products.getByText('30-year fixed mortgage').waitFor();
    const productText = await products.innerText();
    expect(productText).toContain('Platinum Rewards card');
    expect(productText).toContain('Home-equity line of credit');
    expect(productText).toMatch(/offered/i);
    expect(productText).toContain('•••• 8841');
    expect(productText).not.toContain('4929-1100-2231-8841');
    await page.getByRole('list', { name: 'Contacts, newest first' }).waitFor();
    await browser.screenshot('customer', { height: 1180 });

    // A reload keeps the session (the CSRF token comes back from /auth/me) and the page.
    await page.reload();
    await page.getByRole('heading', { name: 'Bill Jackson', level: 1 }).waitFor();
  });

  it('filters the timeline by touch point and division, and loads older contacts', async () => {
    const timeline = page.getByRole('region', { name: 'Interaction timeline' });
    const items = timeline.getByRole('list', { name: 'Contacts, newest first' }).getByRole('listitem');
    await eventually(() => items.count(), (n) => n === 20, 'the first 20 contacts');
    expect(await items.first().innerText()).toContain('Asked about a home-equity loan');

    await timeline.getByRole('button', { name: 'Load older contacts' }).click();
    await eventually(() => items.count(), (n) => n === story.billInteractions, `all ${story.billInteractions} contacts`);
    await timeline.getByText(`${story.billInteractions} contacts, all shown`).waitFor();

    await timeline.getByRole('group', { name: 'Filter by touch point' }).getByText('Call centre', { exact: true }).click();
    await eventually(() => items.count(), (n) => n === story.billCallCentreInteractions, `${story.billCallCentreInteractions} call-centre contacts`);
    for (const text of await items.allInnerTexts()) expect(text).toContain('Call centre');
    await browser.screenshot('timeline-filtered', { of: timeline });

    await timeline.getByRole('button', { name: 'Show every contact' }).click();
    await timeline.getByRole('group', { name: 'Filter by division' }).getByText('Cards', { exact: true }).click();
    const cardsOnly = await eventually(
      () => items.allInnerTexts(),
      (texts) => texts.length > 0 && texts.every((t) => t.includes('Cards')),
      'only Cards contacts',
    );
    expect(cardsOnly.some((t) => t.includes('Pre-approved Cashback card offer mailed'))).toBe(true);
    expect(cardsOnly.some((t) => t.includes('Asked about a home-equity loan'))).toBe(false);
  });

  it('shows a book not scored yet as a clear empty state, and unknown customers as not found', async () => {
    await page.getByRole('link', { name: /Economics/ }).click();
    await page.waitForURL('**/economics');
    await page.getByRole('heading', { name: 'No customer has been scored yet' }).waitFor();
    await browser.screenshot('economics-empty');

    await browser.expectConsoleErrors(/status of 404/, async () => {
      await page.goto('/customers/0195a3b2-0000-7000-8000-000000000000');
      await page.getByRole('heading', { name: 'No such customer' }).waitFor();
    });
  });

  it('opens a division record found by search on its customer’s page, at that record', async () => {
    await page.keyboard.press('Control+K');
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.getByRole('combobox', { name: 'Search text' }).fill('William Jackson');
    await dialog.getByRole('option').filter({ hasText: 'MTG-CORE · M-100234' }).click();
    await page.waitForURL(new RegExp(`/customers/${story.billId}#record-`));
    const highlighted = page.locator('[data-highlight]');
    await highlighted.waitFor();
    expect(await highlighted.innerText()).toContain('MTG-CORE · M-100234');
  });
});

describe.skipIf(!hasChromium)('web app in Chromium: empty and failing states', () => {
  let server: Awaited<ReturnType<typeof startApp>>;
  let browser: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startApp();
    await server.services.access.createUser('default', { ...STAFF, role: 'admin' });
    browser = await openBrowser(server.baseURL);
    page = browser.page;
    await page.goto('/customers');
    await page.waitForURL('**/sign-in?next=%2Fcustomers');
    await page.getByRole('textbox', { name: 'Email' }).fill(STAFF.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(STAFF.password);
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

  it('says plainly when there are no customers and when a search finds nothing', async () => {
    await page.getByRole('heading', { name: 'No customers yet' }).waitFor();
    await page.getByRole('button', { name: 'Search customers and records' }).click();
    await page.getByRole('combobox', { name: 'Search text' }).fill('Nobody Here');
    await page.getByRole('dialog').getByText('No customer or record matches “Nobody Here”.').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  });

  it('shows a server failure as a readable error with a retry that recovers', async () => {
    // The API answers 500 until the route is lifted; the page must say so and offer to try again.
    await page.route('**/api/v1/customers?**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'https://rapport.dev/problems/500', title: 'Internal Server Error', status: 500, detail: 'Something went wrong on our side; it has been logged' }),
      }),
    );
    await browser.expectConsoleErrors(/status of 500/, async () => {
      await page.getByRole('combobox', { name: 'Sort' }).click();
      await page.getByRole('option', { name: 'Newest first' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'Customers could not be loaded' });
      await alert.waitFor();
      expect(await alert.innerText()).toContain('Something went wrong on our side; it has been logged.');
    });
    await page.unroute('**/api/v1/customers?**');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'No customers yet' }).waitFor();
  });
});
