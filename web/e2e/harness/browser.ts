import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { REPO_ROOT } from './webBuild.js';

/** Debian's Chromium (apt-get install chromium), or CHROMIUM_PATH: the harness never downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far that no step declared as expected. */
  consoleErrors: string[];
  /** Runs a step that must log console errors matching `pattern` (say, the 401 of a wrong password) and no others. */
  expectConsoleErrors<T>(pattern: RegExp, step: () => Promise<T>): Promise<T>;
  /**
   * Saves a viewport screenshot. `of` scrolls that element to just below the fixed header first; `height`
   * grows the viewport for this one picture.
   */
  screenshot(name: string, opts?: { of?: Locator; height?: number }): Promise<string>;
  close(): Promise<void>;
}

export async function openBrowser(baseURL: string): Promise<BrowserSession> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    baseURL,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);

  const consoleErrors: string[] = [];
  let expected: { pattern: RegExp; seen: string[] } | null = null;
  const report = (text: string) => {
    if (expected && expected.pattern.test(text)) expected.seen.push(text);
    else consoleErrors.push(text);
  };
  page.on('console', (msg) => {
    if (msg.type() === 'error') report(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => report(`uncaught: ${err.message}`));

  // Docs screenshots are rewritten only on request, so a plain `npm test` leaves the working tree clean.
  const shotDir = process.env.UPDATE_SCREENSHOTS ? path.join(REPO_ROOT, 'docs/screenshots') : path.join(REPO_ROOT, 'tmp/e2e-screenshots');
  fs.mkdirSync(shotDir, { recursive: true });

  return {
    context,
    page,
    consoleErrors,
    async expectConsoleErrors(pattern, step) {
      expected = { pattern, seen: [] };
      try {
        const result = await step();
        // Console messages arrive asynchronously; give the expected one a moment to land.
        for (let i = 0; i < 20 && expected.seen.length === 0; i++) await page.waitForTimeout(50);
        if (!expected.seen.length) throw new Error(`expected a console error matching ${pattern}, saw none`);
        return result;
      } finally {
        expected = null;
      }
    },
    async screenshot(name, opts) {
      const file = path.join(shotDir, `${name}.png`);
      const size = page.viewportSize();
      if (opts?.height && size) await page.setViewportSize({ width: size.width, height: opts.height });
      try {
        if (opts?.of) await opts.of.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 72));
        await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
      } finally {
        if (opts?.height && size) await page.setViewportSize(size);
      }
      return file;
    },
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the sign-in form (the page must show it, or be sent to it) and waits for the customer list. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByRole('textbox', { name: 'Email' }).fill(who.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/customers');
}
