/**
 * The service journey in Chromium against the real server and a small demo bank with its service history
 * (loadDemoBank + finishDemo, which runs seedServiceDemo): a member of staff opens a complaint on Bill Jackson's
 * page, watches its SLA clock count down to the due time the server set, replies and resolves it with a root
 * cause, works the intensive-care list and reads the alarms, the lifecycle funnel and the survey results.
 * UPDATE_SCREENSHOTS=1 rewrites docs/screenshots/; otherwise screenshots go to tmp/e2e-screenshots/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, hasChromium, openBrowser, type BrowserSession } from './harness/browser.js';
import { startApp } from './harness/app.js';
import { ensureWebBuilt } from './harness/webBuild.js';
import { loadDemoBank } from '../../src/modules/demo/loader.js';
import { finishDemo } from '../../src/cli/demoSetup.js';
import { STORY } from '../../src/modules/demo/story.js';
import { DEFAULT_TENANT } from '../../src/core/ids.js';

if (!hasChromium) console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`);

const STAFF = { email: 'service.lead@bank.example', password: 'correct horse battery staple', displayName: 'Service Lead' };

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

/** "1 d 02 h 03 m 09 s left" -> seconds. */
function secondsLeft(text: string): number {
  const part = (unit: string) => Number(new RegExp(`(\\d+) ${unit}\\b`).exec(text)?.[1] ?? 0);
  return part('d') * 86_400 + part('h') * 3600 + part('m') * 60 + part('s');
}

describe.skipIf(!hasChromium)('web app in Chromium: the service journey', () => {
  let server: Awaited<ReturnType<typeof startApp>>;
  let browser: BrowserSession;
  let page: Page;
  let billId: string;
  let caseId: string;

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startApp();
    await loadDemoBank(server.db, { customers: 150, seed: 1 });
    await finishDemo(server.db, server.services, { quiet: true });
    const [bill] = await server.db.query<{ customer_id: string }>(
      'SELECT l.customer_id FROM demo_truth t JOIN customer_links l ON l.tenant_id = t.tenant_id AND l.source_record_id = t.source_record_id WHERE t.tenant_id = $1 AND t.person_key = $2 LIMIT 1',
      [DEFAULT_TENANT, STORY.bill],
    );
    billId = bill.customer_id;
    await server.services.access.createUser(DEFAULT_TENANT, { ...STAFF, role: 'admin' });
    browser = await openBrowser(server.baseURL);
    page = browser.page;
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(() => {
    const errors = browser.consoleErrors.splice(0);
    expect(errors, 'console errors in the browser').toEqual([]);
  });

  it('shows the service side on the customer page: stage with its cause, open cases with their clocks, alarms', async () => {
    await page.goto('/sign-in');
    await page.getByRole('textbox', { name: 'Email' }).fill(STAFF.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(STAFF.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/customers');

    await page.goto(`/customers/${billId}`);
    const card = page.getByRole('region', { name: 'Service' });
    await card.getByTestId('lifecycle-stage').waitFor();
    // The demo gave Bill a complaint, so he is in intensive care, and the card says which rule put him there.
    expect(await card.getByTestId('lifecycle-stage').innerText()).toMatch(/intensive care/i);
    expect(await card.getByTestId('lifecycle-cause').innerText()).toMatch(/^Why: /);
    expect(await card.getByRole('table', { name: 'Open cases' }).getByRole('row').count()).toBeGreaterThan(1);
    await browser.screenshot('service-customer-card', { of: card });
  });

  it('opens a complaint from the customer page and shows its SLA clock counting down to the server’s due time', async () => {
    const card = page.getByRole('region', { name: 'Service' });
    await card.getByRole('button', { name: 'Open a case' }).click();
    const dialog = page.getByRole('dialog', { name: /Open a case for/ });
    await dialog.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'Complaint' }).click();
    await dialog.getByRole('textbox', { name: 'Subject' }).fill('Card blocked abroad without warning');
    await dialog.getByRole('textbox', { name: 'Description' }).fill('Stuck at a hotel desk in Lisbon; the card was declined twice.');
    const division = dialog.getByRole('combobox', { name: /^Division/ });
    if (!(await division.inputValue())) {
      await division.click();
      await page.getByRole('option').first().click();
    }
    await dialog.getByRole('button', { name: 'Open case' }).click();
    await page.waitForURL(/\/service\?case=/);
    caseId = new URL(page.url()).searchParams.get('case') ?? '';
    expect(caseId).toMatch(/^[0-9a-f-]{36}$/);

    const drawer = page.getByRole('dialog', { name: 'Card blocked abroad without warning' });
    const due = drawer.getByTestId('due-first-response');
    await due.waitFor();
    const server = await page.request.get(`/api/v1/cases/${caseId}`);
    expect(server.ok()).toBe(true);
    const detail = (await server.json()) as { timers: { firstResponse: { dueAt: string; state: string } } };
    expect(detail.timers.firstResponse.state).toBe('running');
    expect(await due.getAttribute('datetime'), 'the due time shown is the server’s').toBe(detail.timers.firstResponse.dueAt);

    const timer = drawer.getByTestId('sla-first-response');
    const first = secondsLeft(await timer.innerText());
    const expected = Math.floor((Date.parse(detail.timers.firstResponse.dueAt) - Date.now()) / 1000);
    expect(Math.abs(first - expected), 'the countdown agrees with the due time').toBeLessThanOrEqual(3);
    const later = await eventually(async () => secondsLeft(await timer.innerText()), (s) => s <= first - 2, 'the timer to count down', 8_000);
    expect(later).toBeLessThan(first);
    expect(await drawer.getByRole('table', { name: 'Recovery actions' }).getByRole('row').count(), 'a complaint starts four recovery actions').toBe(4);
    await browser.screenshot('service-case', { height: 1100 });
  });

  it('records a reply (the first-response clock is met) and resolves the complaint with its root cause', async () => {
    const drawer = page.getByRole('dialog', { name: 'Card blocked abroad without warning' });
    await drawer.getByRole('textbox', { name: 'Reply to the customer' }).fill('Called Bill: the block is lifted and we apologised.');
    await drawer.getByRole('button', { name: 'Record reply' }).click();
    await eventually(() => drawer.getByTestId('sla-first-response').getAttribute('data-sla-state'), (s) => s === 'met', 'the first response to be met');

    await drawer.getByRole('group', { name: 'Allowed moves' }).getByRole('button', { name: 'Resolved' }).click();
    expect(await drawer.getByRole('button', { name: 'Move to Resolved' }).isDisabled(), 'a complaint needs its root cause').toBe(true);
    await drawer.getByRole('combobox', { name: /^Root cause/ }).click();
    await page.getByRole('option', { name: 'Process' }).click();
    await drawer.getByRole('button', { name: 'Move to Resolved' }).click();
    await eventually(() => drawer.getByTestId('case-status').innerText(), (t) => /resolved/i.test(t), 'the case to be resolved');
    const after = (await (await page.request.get(`/api/v1/cases/${caseId}`)).json()) as { status: string; rootCause: string; timers: { resolution: { state: string } } };
    expect(after).toMatchObject({ status: 'resolved', rootCause: 'process', timers: { resolution: { state: 'met' } } });
    await drawer.getByRole('button', { name: 'Close case' }).click();
  });

  it('lists customers in intensive care with their recovery actions, and a recovery action can be marked done', async () => {
    await page.getByRole('tab', { name: 'Intensive care' }).click();
    const sections = page.getByRole('region', { name: 'Customer in intensive care' });
    await sections.first().waitFor();
    expect(await sections.count()).toBeGreaterThan(0);
    const pendingApology = page.getByRole('button', { name: 'Mark apology done' }).first();
    await pendingApology.waitFor();
    const before = await page.getByRole('button', { name: 'Mark apology done' }).count();
    await pendingApology.click();
    await eventually(() => page.getByRole('button', { name: 'Mark apology done' }).count(), (n) => n === before - 1, 'the apology to be marked done');
    await browser.screenshot('service-intensive-care');
  });

  it('shows neglect alarms that say why and link to the customer', async () => {
    await page.getByRole('tab', { name: 'Alarms' }).click();
    const table = page.getByRole('table', { name: 'Alarms' });
    await table.waitFor();
    const rows = table.getByRole('row');
    expect(await rows.count()).toBeGreaterThan(1);
    expect((await rows.nth(1).innerText()).length).toBeGreaterThan(20);
    await browser.screenshot('service-alarms');
    const link = rows.nth(1).getByRole('link').first();
    await eventually(() => link.innerText(), (t) => t !== '…', 'the customer’s name');
    await link.click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    await page.getByRole('region', { name: 'Service' }).getByTestId('lifecycle-stage').waitFor();
    await page.goBack();
  });

  it('shows the case queues with live timers and filters, the lifecycle funnel and survey results', async () => {
    await page.getByRole('tab', { name: 'Case queues' }).click();
    const table = page.getByRole('table', { name: 'Cases' });
    await table.waitFor();
    expect(await table.getByRole('row').count()).toBeGreaterThan(1);
    await page.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'Complaint' }).click();
    await page.waitForURL(/kind=complaint/);
    await eventually(() => table.getByRole('row').allInnerTexts(), (rows) => rows.slice(1).every((r) => r.includes('complaint')), 'only complaints');
    await browser.screenshot('service-queues');
    await page.getByRole('button', { name: 'Clear filters' }).click();

    await page.getByRole('tab', { name: 'Lifecycle' }).click();
    const stages = page.getByRole('table', { name: 'Lifecycle stages' });
    await stages.waitFor();
    expect(await stages.getByRole('row').count()).toBe(7);
    await browser.screenshot('service-lifecycle');

    await page.getByRole('tab', { name: 'Surveys' }).click();
    const results = page.getByRole('table', { name: 'Survey results' });
    await results.waitFor();
    expect(await results.getByRole('row').count()).toBeGreaterThan(1);
    await browser.screenshot('service-surveys');
  });
});
