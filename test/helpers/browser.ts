import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// The system Chromium driven by playwright-core, for the end-to-end suites. Never
// `playwright install`: the browser is the Debian package at /usr/bin/chromium.

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(REPO, 'test-artifacts', 'screenshots');

/** Quiet, offline, throwaway: no GPU, no sync, no component updates, no first-run UI. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TestBrowser {
  /** One context on a fresh --user-data-dir: its pages share the satellite's session cookie. */
  context: BrowserContext;
  newPage(): Promise<Page>;
  /** Closes Chromium and removes its profile and download directories. */
  close(): Promise<void>;
}

/** `env`: Chromium's environment, e.g. a HOME whose ~/.pki/nssdb is a throwaway NSS database. */
export async function launchBrowser(options: { env?: Record<string, string> } = {}): Promise<TestBrowser> {
  // launchPersistentContext passes this directory as --user-data-dir (plain launch() refuses that flag).
  const userDataDir = mkdtempSync(join(tmpdir(), 'ks-chromium-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      acceptDownloads: true,
      viewport: { width: 1280, height: 860 },
      locale: 'en-US',
      timezoneId: 'UTC',
      timeout: 60_000,
      ...(options.env ? { env: { ...process.env, ...options.env } as Record<string, string> } : {}),
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(20_000);
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Opens the satellite's one-time sign-in link, as a person does: the server hands the token to
 * the UI, which exchanges it for this tab's session and opens the certificates page.
 */
export async function signIn(page: Page, server: { url: string; loginToken: string }): Promise<void> {
  await page.goto(`${server.url}/ui/login?token=${encodeURIComponent(server.loginToken)}`);
  await page.waitForURL(`${server.url}/#/certificates`);
  await page.getByTestId('sign-out').waitFor();
}

/** A full-page screenshot in test-artifacts/screenshots/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // Let transitions (modals, notifications) settle so the picture shows the resting state.
  await page.waitForTimeout(250);
  // The app shell's header is position: fixed; at any other scroll position it lands mid-picture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}
