/**
 * The import wizard in Chromium against the real server: a new division's export (a CSV with one bad row)
 * is uploaded, its columns mapped from the suggestions, imported as a job with an error report naming the bad
 * line, and resolved: the new records join the customers the bank already knew. Then the same file with
 * "import nothing" fails as a whole and writes nothing. Outcomes are checked against the database.
 * UPDATE_SCREENSHOTS=1 rewrites docs/screenshots/identity-import-*.png; otherwise tmp/e2e-screenshots/.
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
import { DEFAULT_TENANT } from '../../src/core/ids.js';
import { loadDemoBank } from '../../src/modules/demo/loader.js';

if (!hasChromium) console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium`);

const HEADER = ['client_ref', 'first_name', 'surname', 'dob', 'email', 'mobile', 'postcode', 'relationship_manager'];
const BAD_LINE = 5;

interface Known {
  id: string;
  customerId: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  postcode: string;
}

/** The private bank's export: five people the bank already knows, one it does not, one row cut short. */
function privateBankCsv(known: Known[]) {
  const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  const national = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
  const rows = known.map((k, i) => [`PB-${1001 + i}`, k.givenName, k.familyName, ddmmyyyy(k.dateOfBirth), k.email, national(k.phone), k.postcode, 'R. Okafor']);
  rows.push(['PB-1099', 'Zelda', 'Quimby', '03/02/1985', 'zelda.quimby@quimbymail.net', '(312) 555-0177', '60614', 'R. Okafor']);
  const lines = [HEADER.join(','), ...rows.map((r) => r.map((v) => (v.includes(',') ? `"${v}"` : v)).join(','))];
  // Line 5 (header is line 1): the export cut this row short.
  lines.splice(BAD_LINE - 1, 0, 'PB-1050,Harold,Finch,14/09/1971');
  return `${lines.join('\n')}\n`;
}

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

describe.skipIf(!hasChromium)('web app in Chromium: importing a division’s records and resolving them', () => {
  let server: Awaited<ReturnType<typeof startApp>>;
  let browser: BrowserSession;
  let page: Page;
  let dataDir: string;
  let known: Known[];
  let csv: string;
  const admin = systemActor(DEFAULT_TENANT);

  const countImported = async () =>
    (
      await server.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM source_records r JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id WHERE s.code = 'PRIVATE_BANK'",
      )
    )[0].n;
  const mapping = (column: string) => page.getByRole('combobox', { name: `Rapport field for column ${column}` });
  const choose = async (combobox: ReturnType<Page['getByRole']>, option: string) => {
    await combobox.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };
  const uploadFile = () => page.locator('input[type="file"]').setInputFiles({ name: 'private-bank.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

  beforeAll(async () => {
    await ensureWebBuilt();
    // Uploads are kept under the data directory, read when the server is built.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-e2e-import-'));
    process.env.RAPPORT_DATA_DIR = dataDir;
    server = await startApp();
    await loadDemoBank(server.db, { customers: 300, seed: 3, asOf: '2026-11-24' });
    await server.services.resolution.run(admin, { full: true });
    await server.services.access.createUser(DEFAULT_TENANT, { ...STAFF, role: 'admin' });
    known = await server.db.query<Known>(
      `SELECT r.id, l.customer_id AS "customerId", r.given_name AS "givenName", r.family_name AS "familyName", r.date_of_birth::text AS "dateOfBirth",
              r.email, r.phone, r.postcode
         FROM source_records r JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id
         JOIN customer_links l ON l.tenant_id = r.tenant_id AND l.source_record_id = r.id
        WHERE s.code = 'core_banking' AND r.given_name IS NOT NULL AND r.family_name IS NOT NULL AND r.date_of_birth IS NOT NULL
          AND r.email IS NOT NULL AND r.phone LIKE '+1%' AND length(r.phone) = 12 AND r.postcode IS NOT NULL
        ORDER BY r.external_id LIMIT 5`,
    );
    expect(known).toHaveLength(5);
    csv = privateBankCsv(known);

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
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    const errors = browser.consoleErrors.splice(0);
    expect(errors, 'console errors in the browser').toEqual([]);
  });

  it('previews the file, names a new source system and division, and suggests the column mapping', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Identity' }).click();
    await page.getByRole('tab', { name: 'Import records' }).click();
    await page.waitForURL('**/identity/import');

    await uploadFile();
    await page.getByLabel('File summary').getByText(/private-bank\.csv · .+ · CSV, comma-separated · 8 columns/).waitFor();
    const firstRows = page.getByRole('table', { name: 'First rows as read' });
    expect(await firstRows.innerText()).toContain(known[0].email);
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('radio', { name: 'A new source system' }).check();
    await page.getByRole('textbox', { name: 'Code of the new source system' }).fill('PRIVATE_BANK');
    await page.getByRole('combobox', { name: 'Division' }).fill('Private Banking');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Next' }).click();

    // Suggested from the header names.
    const expected: Record<string, string> = {
      client_ref: 'Id in the source system',
      first_name: 'Given name',
      surname: 'Family name',
      dob: 'Date of birth',
      email: 'Email',
      mobile: 'Phone',
      postcode: 'Postcode',
      relationship_manager: 'Not mapped (kept as read)',
    };
    for (const [column, label] of Object.entries(expected)) expect(await mapping(column).inputValue(), column).toBe(label);

    // Without an id column the wizard says what is missing and will not go on.
    await choose(mapping('client_ref'), 'Not mapped (kept as read)');
    await page.getByRole('alert').filter({ hasText: 'Pick the column holding each record’s id' }).waitFor();
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await choose(mapping('client_ref'), 'Id in the source system');
    await page.getByRole('alert').filter({ hasText: 'Before importing' }).waitFor({ state: 'detached' });

    // The file writes dates day first: say so, or 03/02/1985 would be refused as ambiguous.
    await choose(page.getByRole('combobox', { name: 'Dates of birth are written' }), 'Day first (12/04/1968)');
    const preview = page.getByRole('table', { name: 'Preview: the first rows under their Rapport fields' });
    expect(await preview.locator('thead').innerText()).toMatch(/Id in the source system\s+Given name\s+Family name\s+Date of birth/);
    await browser.screenshot('identity-import-mapping', { height: 1300 });
    expect(await page.getByRole('button', { name: 'Next' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();
  });

  it('imports as a job, skipping the bad row and naming its line in the error report', async () => {
    await page.getByText(/Import private-bank\.csv into PRIVATE_BANK \(a new source system of Private Banking\), mapping 7 of 8 columns\./).waitFor();
    expect(await page.getByRole('radio', { name: 'Skip it and import the rest' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Start the import' }).click();

    const summary = page.getByRole('status', { name: 'Imported, with rows skipped' });
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.innerText()).toContain('7 rows read: 6 new, 0 changed, 0 unchanged, 1 bad; 0 values dropped as unreadable');
    const report = page.getByRole('table', { name: 'Rows not imported (1)' });
    const rows = report.locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const cells = await rows.first().locator('td').allInnerTexts();
    expect(cells[0], 'the line number of the bad row').toBe(String(BAD_LINE));
    expect(cells[2]).toBe(`expected ${HEADER.length} fields, found 4`);
    expect(cells[3]).toContain('PB-1050,Harold,Finch');
    expect(await countImported()).toBe(6);
    await browser.screenshot('identity-import-report', { height: 1100 });
  });

  it('runs resolution after the import: the new records join the customers the bank already knew', async () => {
    await page.getByRole('button', { name: 'Run resolution' }).click();
    const done = page.getByRole('status', { name: 'Resolution finished' });
    await done.waitFor({ timeout: 45_000 });
    expect(await done.innerText()).toMatch(/records resolved into \d+ customers/);
    await browser.screenshot('identity-import-resolved', { height: 1300 });

    const linked = await server.db.query<{ external_id: string; customer_id: string | null }>(
      `SELECT r.external_id, l.customer_id FROM source_records r JOIN source_systems s ON s.tenant_id = r.tenant_id AND s.id = r.source_system_id
         LEFT JOIN customer_links l ON l.tenant_id = r.tenant_id AND l.source_record_id = r.id
        WHERE s.code = 'PRIVATE_BANK' ORDER BY r.external_id`,
    );
    const byRef = new Map(linked.map((r) => [r.external_id, r.customer_id]));
    known.forEach((k, i) => expect(byRef.get(`PB-${1001 + i}`), `PB-${1001 + i} joins ${k.givenName} ${k.familyName}`).toBe(k.customerId));
    const zelda = byRef.get('PB-1099');
    expect(zelda, 'the stranger gets a customer of her own').toBeTruthy();
    expect(known.map((k) => k.customerId)).not.toContain(zelda);

    // The customer page shows the new division's record beside the others.
    await page.goto(`/customers/${known[0].customerId}`);
    const region = page.getByRole('region', { name: 'Private Banking records' });
    await region.waitFor();
    expect(await region.innerText()).toContain('PRIVATE_BANK · PB-1001');
  });

  it('with “import nothing”, a file with a bad row fails as a whole and writes nothing', async () => {
    const before = await server.db.query<{ updated_at: string }>(
      "SELECT r.updated_at::text FROM source_records r JOIN source_systems s ON s.id = r.source_system_id WHERE s.code = 'PRIVATE_BANK' ORDER BY r.external_id",
    );
    await page.goto('/identity/import');
    await uploadFile();
    await page.getByLabel('File summary').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await choose(page.getByRole('combobox', { name: 'Source system' }), 'PRIVATE_BANK (Private Banking)');
    await page.getByRole('button', { name: 'Next' }).click();
    await choose(page.getByRole('combobox', { name: 'Dates of birth are written' }), 'Day first (12/04/1968)');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: 'Import nothing' }).check();
    await page.getByRole('button', { name: 'Start the import' }).click();

    const failed = page.getByRole('alert').filter({ hasText: 'The import failed' });
    await failed.waitFor({ timeout: 30_000 });
    const report = page.getByRole('table', { name: 'Rows not imported (1)' });
    await eventually(() => report.locator('tbody tr td').first().innerText(), (t) => t === String(BAD_LINE), 'the bad line in the report');
    const after = await server.db.query<{ updated_at: string }>(
      "SELECT r.updated_at::text FROM source_records r JOIN source_systems s ON s.id = r.source_system_id WHERE s.code = 'PRIVATE_BANK' ORDER BY r.external_id",
    );
    expect(after, 'nothing was written').toEqual(before);
  });
});
