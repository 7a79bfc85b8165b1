/**
 * The Identity review queue and the customer page's identity actions, in Chromium against the real server: a
 * member of staff reviews the pairs resolution was unsure about in a small demo bank, accepts one (the two
 * records become one customer), then splits it back from the customer page, rejects another with the keyboard,
 * and undoes a merge. Every outcome is checked against the database, not only the screen.
 * UPDATE_SCREENSHOTS=1 rewrites docs/screenshots/identity-*.png; otherwise they go to tmp/e2e-screenshots/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, hasChromium, openBrowser, type BrowserSession } from './harness/browser.js';
import { startApp } from './harness/app.js';
import { ensureWebBuilt } from './harness/webBuild.js';
import { STAFF } from './fixtures/billJackson.js';
import { systemActor } from '../../src/core/actor.js';
import { DEFAULT_TENANT, newId } from '../../src/core/ids.js';
import { loadDemoBank } from '../../src/modules/demo/loader.js';

if (!hasChromium) console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`);

type Pair = { id: string; record_a: string; record_b: string; customer_a: string; customer_b: string; match_probability: number; match_weight: number | null; explanation: { weight: number; probability: number } };

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

describe.skipIf(!hasChromium)('web app in Chromium: reviewing matches, splitting and undoing merges', () => {
  let server: Awaited<ReturnType<typeof startApp>>;
  let browser: BrowserSession;
  let page: Page;
  let replacementId: string;
  const admin = systemActor(DEFAULT_TENANT);

  const pending = async () => (await server.services.resolution.listReviewPairs(admin, { status: 'pending', limit: 200 })) as unknown as Pair[];
  const customerOf = async (recordId: string) =>
    (await server.db.query<{ customer_id: string }>('SELECT customer_id FROM customer_links WHERE tenant_id = $1 AND source_record_id = $2', [DEFAULT_TENANT, recordId]))[0]?.customer_id;
  const pairStatus = async (id: string) => (await server.db.query<{ status: string }>('SELECT status FROM review_pairs WHERE id = $1', [id]))[0]?.status;
  const queue = () => page.getByRole('listbox', { name: 'Pairs to review' });
  const selectedOption = () => queue().locator('[role="option"][aria-selected="true"]');

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startApp();
    // A small demo bank, resolved: its doubtful pairs (households, namesakes) fill the queue.
    await loadDemoBank(server.db, { customers: 300, seed: 3, asOf: '2026-11-24' });
    // The card platform keyed one customer twice (a replacement card): the platform holds one record per
    // person, so resolution will not link the copy by itself and asks a person instead.
    const [original] = await server.db.query<{ id: string }>(
      `SELECT r.id FROM source_records r JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id
        WHERE s.code = 'card_platform' AND r.given_name IS NOT NULL AND r.date_of_birth IS NOT NULL AND r.email IS NOT NULL AND r.phone IS NOT NULL
        ORDER BY r.external_id LIMIT 1`,
    );
    replacementId = newId();
    await server.db.query(
      `INSERT INTO source_records (tenant_id, id, source_system_id, external_id, kind, given_name, family_name, full_name, search_name, date_of_birth, email, phone,
                                   street_number, address_line1, locality, postcode, region, country, raw)
       SELECT tenant_id, $2, source_system_id, external_id || '-R', kind, given_name, family_name, full_name, search_name, date_of_birth, email, phone,
              street_number, address_line1, locality, postcode, region, country, '{"note": "replacement card"}'::jsonb
         FROM source_records WHERE id = $1`,
      [original.id, replacementId],
    );
    await server.services.resolution.run(admin, { full: true });
    await server.services.access.createUser(DEFAULT_TENANT, { ...STAFF, role: 'admin' });
    browser = await openBrowser(server.baseURL);
    page = browser.page;
    await page.goto('/sign-in');
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

  it('opens the queue from the navigation: most uncertain first, the two records side by side, the weight of each field', async () => {
    const pairs = await pending();
    expect(pairs.length, 'the demo bank leaves pairs to review').toBeGreaterThan(5);
    const first = pairs[0];

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Identity' }).click();
    await page.waitForURL('**/identity/review');
    await page.getByRole('heading', { name: 'Identity', level: 1 }).waitFor();
    await page.getByText(`${pairs.length} pairs to review`).waitFor();
    expect(await queue().getByRole('option').count()).toBe(pairs.length);
    expect(await selectedOption().getAttribute('id'), 'the most uncertain pair is selected first').toBe(`pair-${first.id}`);

    const records = page.getByRole('table', { name: 'The two records, field by field' });
    await records.waitFor();
    const [a, b] = await Promise.all([server.services.customers.getSourceRecord(admin, first.record_a), server.services.customers.getSourceRecord(admin, first.record_b)]);
    const head = await records.locator('thead').innerText();
    expect(head).toContain(`${a.sourceCode} · ${a.externalId}`);
    expect(head).toContain(`${b.sourceCode} · ${b.externalId}`);
    // Differences are marked per field, as the data says.
    const dobRow = records.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: 'Date of birth' }) });
    const dobsDiffer = a.dateOfBirth !== null && b.dateOfBirth !== null && a.dateOfBirth !== b.dateOfBirth;
    expect(await dobRow.getAttribute('data-agreement')).toEqual(dobsDiffer ? 'differs' : a.dateOfBirth === b.dateOfBirth && a.dateOfBirth ? 'same' : expect.stringMatching(/missing/));

    const evidence = page.getByRole('table', { name: 'Evidence, field by field' });
    const evidenceText = await evidence.innerText();
    expect(evidenceText).toMatch(/Prior/);
    expect(evidenceText).toContain(`${first.explanation.weight < 0 ? '−' : '+'}${Math.abs(first.explanation.weight).toFixed(2)}`);
    expect(await evidence.locator('tbody tr').count(), 'the prior and one row per comparison').toBeGreaterThanOrEqual(6);
    if (first.match_weight !== null && first.explanation.weight - first.match_weight > 0.01) {
      await page.getByText(/the birth dates clearly differ/).waitFor();
    }
    expect(await page.getByText('Keyboard shortcuts: J next pair, K previous pair, A same person, R not the same person.').count(), 'the shortcuts are announced').toBe(1);
    await page.getByText(/^R not the same$/).waitFor();
    await browser.screenshot('identity-review', { height: 1400 });
  });

  it('moves through the queue with J / K and the arrow keys', async () => {
    const pairs = await pending();
    await page.getByRole('heading', { name: 'Identity', level: 1 }).click();
    await page.keyboard.press('j');
    await eventually(() => selectedOption().getAttribute('id'), (id) => id === `pair-${pairs[1].id}`, 'J to select the second pair');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await eventually(() => selectedOption().getAttribute('id'), (id) => id === `pair-${pairs[1].id}`, 'K to go back one');
    await queue().focus();
    await page.keyboard.press('ArrowUp');
    await eventually(() => selectedOption().getAttribute('id'), (id) => id === `pair-${pairs[0].id}`, 'ArrowUp in the list');
  });

  let accepted: Pair;
  let reason: string;

  it('accepts a suggested match with a reason and the A key: the two records become one customer', async () => {
    const pairs = await pending();
    const byLikelihood = [...pairs].sort((x, y) => y.match_probability - x.match_probability);
    // The replacement card record: a newer id than any demo record, so it is the pair's second record.
    accepted = byLikelihood.find((p) => p.record_b === replacementId)!;
    expect(accepted, 'resolution asks about the replacement card record').toBeDefined();
    expect(accepted.customer_a).not.toBe(accepted.customer_b);

    await page.getByRole('combobox', { name: 'Order' }).click();
    await page.getByRole('option', { name: 'Most likely first' }).click();
    const likeliest = byLikelihood.filter((p) => p.match_probability === byLikelihood[0].match_probability).map((p) => `pair-${p.id}`);
    await eventually(() => queue().getByRole('option').first().getAttribute('id'), (id) => id !== null && likeliest.includes(id), 'the likeliest pair on top');
    await queue().locator(`[id="pair-${accepted.id}"]`).click();
    await eventually(() => selectedOption().getAttribute('id'), (id) => id === `pair-${accepted.id}`, 'the chosen pair selected');

    // Same name, birth date, email and phone: the card platform's copy, not a second person.
    reason = 'Replacement card keyed as a new record';
    await page.getByRole('heading', { name: /^.+ and .+$/, level: 2 }).waitFor();
    await page.getByText(/keeps one record per person/).waitFor();
    await browser.screenshot('identity-review-pair', { height: 1750 });
    await page.getByRole('textbox', { name: /Reason/ }).fill(reason);
    // Shortcuts are ignored while typing; out of the text field, A accepts.
    await page.getByRole('heading', { name: 'Identity', level: 1 }).click();
    await page.keyboard.press('a');
    const status = page.getByRole('status', { name: 'Last decision' });
    await status.getByText(/^Merged: .+ are now one customer\./).waitFor();
    await page.getByText(`${pairs.length - 1} pairs to review`).waitFor();
    expect(await queue().locator(`#pair-${accepted.id}`).count(), 'the decided pair leaves the queue').toBe(0);

    expect(await pairStatus(accepted.id)).toBe('accepted');
    const [ca, cb] = [await customerOf(accepted.record_a), await customerOf(accepted.record_b)];
    expect(ca, 'both records now belong to one customer').toBe(cb);
    expect(ca).toBe(accepted.customer_a);
  });

  it('shows the merge in the customer’s history and splits the record back out with “Not this person”', async () => {
    await page.getByRole('status', { name: 'Last decision' }).getByRole('link', { name: 'Open the customer' }).click();
    await page.waitForURL(`**/customers/${accepted.customer_a}`);
    const history = page.getByRole('region', { name: 'History' });
    const latest = history.getByRole('list', { name: 'Changes, newest first' }).getByRole('listitem').first();
    await latest.waitFor();
    const latestText = await latest.innerText();
    expect(latestText).toContain('Merged in 1 record from');
    expect(latestText).toContain(`${STAFF.displayName} (you)`);
    expect(latestText).toContain(`Why: ${reason}`);
    await page.getByRole('button', { name: 'Undo last merge' }).waitFor();
    await browser.screenshot('identity-customer-history', { of: history });

    const record = page.locator(`[id="record-${accepted.record_b}"]`);
    await record.scrollIntoViewIfNeeded();
    await record.getByRole('button', { name: /^Not this person/ }).click();
    const dialog = page.getByRole('dialog', { name: /^Split .+ out of .+\?$/ });
    await dialog.waitFor();
    await browser.screenshot('identity-split-confirm');
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('Different people: twins');
    await dialog.getByRole('button', { name: 'Split it out' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('alert').filter({ hasText: 'is back with the customer it was merged from' }).waitFor();
    await page.locator(`[id="record-${accepted.record_b}"]`).waitFor({ state: 'detached' });

    const [ca, cb] = [await customerOf(accepted.record_a), await customerOf(accepted.record_b)];
    expect(ca, 'the records are in separate customers again').not.toBe(cb);
    expect(cb, 'the split restores the customer it was merged from, with its id').toBe(accepted.customer_b);
    // The API agrees: each customer's 360 lists only its own record.
    const res = await page.evaluate(async (id) => (await fetch(`/api/v1/customers/${id}/360`)).json(), accepted.customer_b);
    const ids = (res as { sourceRecordsByDivision: { records: { id: string }[] }[] }).sourceRecordsByDivision.flatMap((g) => g.records.map((r) => r.id));
    expect(ids).toContain(accepted.record_b);
    expect(ids).not.toContain(accepted.record_a);

    await history.getByRole('listitem').filter({ hasText: 'Split 1 record out into' }).waitFor();
    expect(await page.getByRole('button', { name: 'Undo last merge' }).count(), 'nothing left to undo').toBe(0);
  });

  it('rejects a pair with R, then accepts another and undoes that merge from the customer page', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Identity' }).click();
    await page.waitForURL('**/identity/review');
    const pairs = await pending();
    await eventually(() => selectedOption().getAttribute('id'), (id) => id === `pair-${pairs[0].id}`, 'the first pair selected');
    await page.getByRole('heading', { name: 'Identity', level: 1 }).click();
    await page.keyboard.press('r');
    await page.getByRole('status', { name: 'Last decision' }).getByText(/stay separate customers, and later runs keep them apart/).waitFor();
    expect(await pairStatus(pairs[0].id)).toBe('rejected');
    const [decision] = await server.db.query<{ decision: string }>('SELECT decision FROM match_decisions WHERE record_a = $1 AND record_b = $2', [pairs[0].record_a, pairs[0].record_b]);
    expect(decision?.decision).toBe('different');

    // The next pair is selected; accept it with the button this time.
    await eventually(() => selectedOption().getAttribute('id'), (id) => id === `pair-${pairs[1].id}`, 'the next pair selected');
    const next = pairs[1];
    await page.getByRole('button', { name: /^Same person/ }).click();
    await page.getByRole('status', { name: 'Last decision' }).getByText(/^Merged:/).waitFor();
    const merged = await customerOf(next.record_a);
    expect(await customerOf(next.record_b)).toBe(merged);

    await page.goto(`/customers/${merged}`);
    await page.getByRole('button', { name: 'Undo last merge' }).click();
    const dialog = page.getByRole('dialog', { name: 'Undo the last merge?' });
    await dialog.getByRole('button', { name: 'Undo the merge' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('alert').filter({ hasText: 'went back to the customer they came from' }).waitFor();
    expect(await customerOf(next.record_a)).not.toBe(await customerOf(next.record_b));
  });

  it('says plainly when the queue is empty and offers a resolution run', async () => {
    // Every pair decided: the server answers an empty queue (here simulated, the demo leaves over a hundred).
    await page.route('**/api/v1/review-pairs?**', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ items: [] }) }));
    await page.goto('/identity/review');
    await page.getByRole('heading', { name: 'Nothing to review' }).waitFor();
    await browser.screenshot('identity-review-empty');
    await page.getByRole('button', { name: 'Run resolution' }).click();
    const summary = page.getByRole('status', { name: 'Resolution finished' });
    await summary.waitFor({ timeout: 45_000 });
    expect(await summary.innerText()).toMatch(/records resolved into \d+ customers/);
    await page.unroute('**/api/v1/review-pairs?**');
  });
});
