/**
 * Stored XSS through imported data: a division's file carries names, addresses and notes written as HTML and
 * script. They go through the real import path and resolution into the web app, which must show them as the
 * text they are: no script runs, no dialog opens, no element is injected. The server also sends a
 * Content-Security-Policy that would stop an inline script even if one were rendered.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, hasChromium, openBrowser, signIn, type BrowserSession } from './harness/browser.js';
import { startApp } from './harness/app.js';
import { ensureWebBuilt } from './harness/webBuild.js';
import { systemActor } from '../../src/core/actor.js';
import { DEFAULT_TENANT } from '../../src/core/ids.js';
import { runImport } from '../../src/modules/identity/import/importer.js';
import { issueFiles } from '../../src/modules/identity/import/issues.js';
import { planTarget } from '../../src/modules/identity/import/target.js';
import { parseMappingJson } from '../../src/modules/identity/import/mapping.js';
import { kindAndMapping } from '../../src/modules/identity/import/kinds.js';

if (!hasChromium) console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`);

const STAFF = { email: 'ops@bank.example', password: 'a long and careful passphrase', displayName: 'Ops Reviewer' };
const PAYLOADS = {
  given: `<img src=x onerror="window.__xss='img'">`,
  family: `Smith<script>window.__xss='script'</script>`,
  street: `javascript:window.__xss='href'`,
  city: `"><svg onload="window.__xss='svg'">`,
  subject: `<b onmouseover="window.__xss='hover'">Urgent</b><iframe src="javascript:window.__xss='frame'"></iframe>`,
};

describe.skipIf(!hasChromium)('web app in Chromium: hostile imported data stays text', () => {
  let server: Awaited<ReturnType<typeof startApp>>;
  let browser: BrowserSession;
  let page: Page;
  let customerId: string;
  const dialogs: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-xss-'));

  beforeAll(async () => {
    await ensureWebBuilt();
    server = await startApp();
    const { services, db } = server;
    const admin = systemActor(DEFAULT_TENANT);
    await services.access.createUser(DEFAULT_TENANT, { ...STAFF, role: 'admin' });
    const file = path.join(dir, 'crm.csv');
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    fs.writeFileSync(
      file,
      ['id,first,last,street,city,email', `X-1,${quote(PAYLOADS.given)},${quote(PAYLOADS.family)},${quote(PAYLOADS.street)},${quote(PAYLOADS.city)},x1@example.org`, `X-2,Alice,Ordinary,1 High St,Springfield,alice@example.org`].join('\n') + '\n',
    );
    const { kind, mapping } = kindAndMapping(parseMappingJson(JSON.stringify({ columns: { id: 'external_id', first: 'given_name', last: 'family_name', street: 'address_line1', city: 'locality', email: 'email' } }), 'mapping'));
    const target = await planTarget(services.org, admin, { source: 'crm', division: 'Retail' });
    const summary = await runImport({ db, kind, file, mapping, nameHint: file, onError: 'abort', target, issues: issueFiles({}) });
    expect(summary.inserted).toBe(2);
    await services.resolution.run(admin, { full: true });
    const [row] = await db.query<{ id: string; customer_id: string; division_id: string }>(
      `SELECT r.id, l.customer_id, s.division_id FROM source_records r JOIN customer_links l ON l.source_record_id = r.id JOIN source_systems s ON s.id = r.source_system_id WHERE r.external_id = 'X-1'`,
    );
    customerId = row.customer_id;
    await services.interactions.record(admin, { sourceRecordId: row.id, divisionId: row.division_id, touchPoint: 'web', direction: 'inbound', occurredAt: new Date(), subject: PAYLOADS.subject, outcome: PAYLOADS.given });
    browser = await openBrowser(server.baseURL);
    page = browser.page;
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(browser.consoleErrors.splice(0), 'console errors in the browser').toEqual([]);
  });

  const noScriptRan = async () => {
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null), 'a payload ran').toBeNull();
    expect(dialogs).toEqual([]);
    expect(await page.locator('img[src="x"], svg[onload], iframe, script:not([src])').count(), 'an element was injected').toBe(0);
  };

  it('serves the app with a Content-Security-Policy that allows only its own scripts', async () => {
    const res = await page.request.get('/');
    const csp = res.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
  });

  it('keeps the raw payloads as they came, for the record', async () => {
    const [raw] = await server.db.query<{ raw: Record<string, string> }>("SELECT raw FROM source_records WHERE external_id = 'X-1'");
    expect(Object.values(raw.raw)).toEqual(expect.arrayContaining([PAYLOADS.given, PAYLOADS.family]));
  });

  it('shows hostile names and notes as text in the customer list, the search and the customer page', async () => {
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await signIn(page, STAFF);
    // Names and addresses pass through normalisation, which keeps letters and drops markup characters.
    await page.getByRole('table', { name: 'Customers' }).getByText('Img Src X Onerror', { exact: false }).first().waitFor();
    await noScriptRan();

    await page.keyboard.press('Control+K');
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.waitFor();
    await page.keyboard.type('Smith');
    await dialog.getByRole('option').first().waitFor();
    await noScriptRan();
    await page.keyboard.press('Escape');

    await page.goto(`/customers/${customerId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByText('Javascript Window Xss Href').first().waitFor();
    // Contact notes are stored as written: the markup is on screen as text.
    const timeline = page.getByRole('region', { name: 'Interaction timeline' });
    await timeline.getByText('<b onmouseover', { exact: false }).first().waitFor();
    await timeline.getByText('<b onmouseover', { exact: false }).first().hover();
    await browser.screenshot('xss-customer');
    await noScriptRan();
  });
});
