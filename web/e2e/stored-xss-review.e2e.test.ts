/**
 * Stored XSS, second part (stored-xss.e2e.test.ts covers import -> list, search and customer page): the
 * importer's normalisation strips markup from names and addresses, so here the same payloads are also written
 * straight into a division's records, as a feed that skips the importer would, and into contact subjects;
 * resolution puts the hostile record in the review queue. Staff open the customer list, the customer page and
 * the review queue. Every payload would set `window.__xss` (or open a dialog) if it ran; the flag must stay
 * unset, no dialog may open, no request may go to the payloads' bogus image URL, and the text must be shown
 * literally.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, hasChromium, openBrowser, type BrowserSession } from './harness/browser.js';
import { startApp } from './harness/app.js';
import { ensureWebBuilt } from './harness/webBuild.js';
import { STAFF } from './fixtures/billJackson.js';
import { systemActor } from '../../src/core/actor.js';
import { DEFAULT_TENANT, newId } from '../../src/core/ids.js';
import { searchKey } from '../../src/modules/identity/normalise.js';
import { loadDemoBank } from '../../src/modules/demo/loader.js';
import { runImport } from '../../src/modules/identity/import/importer.js';
import { kindAndMapping } from '../../src/modules/identity/import/kinds.js';
import { planTarget } from '../../src/modules/identity/import/target.js';

if (!hasChromium) console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`);

const GIVEN = '<img src=/xss-probe.png onerror="window.__xss=1">Eve';
const FAMILY = '<script>window.__xss=2</script>Mallory';
const STREET = '<svg onload="window.__xss=3">1 Evil Street';
const NOTE = 'javascript:window.__xss=4';
const SUBJECT = '<b onmouseover="window.__xss=5">Bold</b> <iframe src="javascript:window.__xss=6"></iframe> complaint';

const csv = (rows: string[][]) => rows.map((r) => r.map((v) => `"${v.replaceAll('"', '""')}"`).join(',')).join('\n') + '\n';

describe.skipIf(!hasChromium)('web app in Chromium: hostile records that skipped the importer, in the list, the customer page and the review queue', () => {
  let server: Awaited<ReturnType<typeof startApp>>;
  let browser: BrowserSession;
  let page: Page;
  let tmp: string;
  let customerId: string;
  let hostileIds: string[] = [];
  const dialogs: string[] = [];
  const probes: string[] = [];
  const admin = systemActor(DEFAULT_TENANT);

  const importRows = async (source: string, division: string, rows: string[][]) => {
    const file = path.join(tmp, `${source}.csv`);
    fs.writeFileSync(file, csv([['id', 'first', 'last', 'dob', 'email', 'street', 'town', 'notes', 'website'], ...rows]));
    const { kind, mapping } = kindAndMapping({
      columns: {
        id: 'external_id', first: 'given_name', last: 'family_name', dob: 'date_of_birth', email: 'email', street: 'address_line1', town: 'locality',
        notes: { attribute: 'notes' }, website: { attribute: 'website' },
      },
      constants: { country: 'AU' },
    });
    const target = await planTarget(server.services.org, admin, { source, division });
    return runImport({ db: server.db, kind, file, mapping, nameHint: file, onError: 'abort', target });
  };

  const assertNothingRan = async (where: string) => {
    // Give an onerror or onload handler time to fire (the broken image fails within milliseconds).
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), `${where}: a payload ran`).toBeUndefined();
    expect(dialogs, `${where}: a dialog opened`).toEqual([]);
    expect(probes, `${where}: the payload's image was requested, so it was parsed as HTML`).toEqual([]);
    expect(await page.locator('script:not([src]), iframe, svg[onload], img[onerror], b[onmouseover]').count(), `${where}: payload markup in the DOM`).toBe(0);
  };

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startApp();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-e2e-xss-'));
    // A small resolved bank trains the model; the hostile export arrives afterwards, as a new division's file.
    await loadDemoBank(server.db, { customers: 200, seed: 5, asOf: '2026-11-24' });
    const imported = await importRows('XSS-IMPORT', 'Hostile', [['X1', GIVEN, FAMILY, '1980-01-02', 'eve@example.org', STREET, 'Sydney', NOTE, 'javascript:alert(1)']]);
    expect(imported.inserted).toBe(1);
    // The importer's normalisation already strips markup from names and addresses; other feeds (a source
    // adapter, SQL) may not, so the hostile text also goes straight into a card platform record and into a copy
    // of it (a replacement card: the platform holds one record per person, so resolution asks a person).
    const [victim] = await server.db.query<{ id: string }>(
      `SELECT r.id FROM source_records r JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id
        WHERE s.code = 'card_platform' AND r.given_name IS NOT NULL AND r.date_of_birth IS NOT NULL AND r.email IS NOT NULL AND r.phone IS NOT NULL
        ORDER BY r.external_id LIMIT 1`,
    );
    hostileIds = [victim.id, newId()];
    await server.db.query(`UPDATE source_records SET given_name = $2, family_name = $3, full_name = $2 || ' ' || $3, search_name = $4, address_line1 = $5, raw = $6::jsonb WHERE id = $1`, [
      victim.id, GIVEN, FAMILY, searchKey({ givenName: GIVEN, familyName: FAMILY }), STREET, JSON.stringify({ notes: NOTE, website: 'javascript:alert(1)' }),
    ]);
    await server.db.query(
      `INSERT INTO source_records (tenant_id, id, source_system_id, external_id, kind, given_name, family_name, full_name, search_name, date_of_birth, email, phone,
                                   street_number, address_line1, locality, postcode, region, country, raw)
       SELECT tenant_id, $2, source_system_id, external_id || '-R', kind, given_name, family_name, full_name, search_name, date_of_birth, email, phone,
              street_number, address_line1, locality, postcode, region, country, $3::jsonb
         FROM source_records WHERE id = $1`,
      [victim.id, hostileIds[1], JSON.stringify({ notes: `<a href="${NOTE}">click</a>` })],
    );
    await server.services.resolution.run(admin, { full: true });
    const [rec] = await server.db.query<{ customer_id: string; division_id: string }>(
      `SELECT l.customer_id, s.division_id FROM customer_links l JOIN source_records r ON r.tenant_id = l.tenant_id AND r.id = l.source_record_id
         JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id WHERE l.source_record_id = $1`,
      [victim.id],
    );
    customerId = rec.customer_id;
    await server.services.interactions.record(admin, {
      sourceRecordId: victim.id, divisionId: rec.division_id,
      touchPoint: 'email', direction: 'inbound', occurredAt: new Date('2026-11-20T10:00:00Z'), subject: SUBJECT, outcome: null, sentiment: null, staffUserId: null,
    });
    await server.services.access.createUser(DEFAULT_TENANT, { ...STAFF, role: 'admin' });

    browser = await openBrowser(server.baseURL);
    page = browser.page;
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (r.url().includes('xss-probe')) probes.push(r.url());
    });
    await page.goto('/sign-in');
    await page.getByRole('textbox', { name: 'Email' }).fill(STAFF.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(STAFF.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/customers');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  afterEach(() => {
    const errors = browser.consoleErrors.splice(0);
    expect(errors, 'console errors in the browser (a CSP violation would show here)').toEqual([]);
  });

  it('the importer keeps markup out of names and addresses and keeps other columns verbatim', async () => {
    const [row] = await server.db.query<{ given_name: string; family_name: string; address_line1: string; raw: Record<string, unknown> }>(
      `SELECT given_name, family_name, address_line1, raw FROM source_records WHERE external_id = 'X1'`,
    );
    for (const v of [row.given_name, row.family_name, row.address_line1]) expect(v).not.toMatch(/[<>"=]/);
    expect(JSON.stringify(row.raw)).toContain(NOTE);
  });

  it('the customer list shows the hostile name literally and runs nothing', async () => {
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    await page.getByRole('textbox', { name: 'Name' }).fill('Mallory');
    const table = page.getByRole('table', { name: 'Customers' });
    const link = table.getByRole('link').filter({ hasText: 'Mallory' }).first();
    await link.waitFor();
    expect(await link.innerText()).toContain('<script>window.__xss=2</script>Mallory');
    await assertNothingRan('customer list');
    await link.hover();
    await assertNothingRan('customer list, hovered');
  });

  it('the customer page shows names, addresses, notes and contact subjects literally and runs nothing', async () => {
    await page.goto(`/customers/${customerId}`);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.filter({ hasText: 'Mallory' }).waitFor();
    expect(await heading.innerText()).toContain('<img src=/xss-probe.png onerror="window.__xss=1">Eve');
    const body = await page.locator('main').innerText();
    expect(body).toContain(STREET);
    await page.getByText(SUBJECT).first().waitFor();
    await page.getByText(SUBJECT).first().hover();
    await assertNothingRan('customer page');
    // No link on the page points at a javascript: URL.
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => /^\s*javascript:/i.test(h))).toEqual([]);
    await browser.screenshot('xss-customer-page');
  });

  it('the review queue shows the hostile pair literally and runs nothing', async () => {
    const pending = (await server.services.resolution.listReviewPairs(admin, { status: 'pending', limit: 500 })) as unknown as { id: string; record_a: string; record_b: string }[];
    const ids = new Set(hostileIds);
    const hostile = pending.find((p) => ids.has(p.record_a) || ids.has(p.record_b));
    await page.goto('/identity/review');
    await page.getByRole('heading', { name: 'Identity', level: 1 }).waitFor();
    const queue = page.getByRole('listbox', { name: 'Pairs to review' });
    await queue.waitFor();
    if (hostile) {
      await page.locator(`[id="pair-${hostile.id}"]`).click();
      const records = page.getByRole('table', { name: 'The two records, field by field' });
      await records.filter({ hasText: 'Mallory' }).waitFor();
      expect(await records.innerText()).toContain(FAMILY);
    }
    await assertNothingRan('review queue');
    expect(hostile, 'the two hostile records are in the queue as a pair to review').toBeTruthy();
  });
});
