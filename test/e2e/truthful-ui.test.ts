import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SatelliteServer } from '../helpers/satellite-server';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { DEVELOPER_WORDS, inlineError } from './form-checks';
import { checkPage } from './page-checks';
import { opensslExtensions } from '../helpers/openssl-text';
import { certificatePem } from './satellite-api';
import { openUiSession, type UiSession } from './session';

// Issue 16, "Done when": what the UI shows is what happened, and nothing the user typed is
// changed behind their back. Asserted on what a person sees in Chromium and on what openssl
// reads from the issued files.

const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describeWithTools([TOOLS.chromium, TOOLS.openssl])('web UI tells the truth', () => {
  let session: UiSession | undefined;
  let server: SatelliteServer;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'ks-e2e-truth-'));
  /** Every RPC the page sent since sign-in, by method name. */
  let rpcCalls: string[] = [];

  /** The web UI's own RPC, with this tab's session: to set up what a test needs. */
  const rpc = async <T,>(method: string, input: unknown): Promise<T> => {
    const token = await page.evaluate(() => sessionStorage.getItem('keypair-satellite.session'));
    const res = await fetch(`${server.url}/ui/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-satellite-session': token! }, body: JSON.stringify(input) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };

  beforeAll(async () => {
    session = await openUiSession();
    ({ server, page, rpcCalls } = session);
  });
  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an openssl req -x509 certificate imported with its key is in the list, marked CA, and found by search', async () => {
    const cert = join(dir, 'self.pem');
    const key = join(dir, 'self.key');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=selfsigned.e2e.example', '-addext', 'subjectAltName=DNS:selfsigned.e2e.example', '-days', '30', '-keyout', key, '-out', cert]);
    expect(openssl(['x509', '-in', cert, '-noout', '-text'])).toMatch(/CA:TRUE/);
    await page.getByTestId('nav-certificates').click();
    await page.getByTestId('empty-import-button').click();
    const dialog = page.getByRole('dialog', { name: 'Import certificate' });
    await dialog.getByTestId('import-pem').fill(readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'));
    await dialog.getByTestId('confirm-import-certificate').click();
    await page.waitForURL(/#\/certificates\/[0-9a-f-]{36}$/);

    await page.getByTestId('nav-certificates').click();
    const row = page.locator('[data-cn="selfsigned.e2e.example"]');
    await row.waitFor();
    expect(await row.getByTestId('ca-badge').innerText()).toBe('CA');
    await page.getByTestId('certificate-search').fill('selfsigned');
    await expect.poll(() => page.getByTestId('certificate-count').innerText()).toMatch(/^1 of 1 match$/);
    await checkPage(page, 'certificates-imported-self-signed');
    await page.getByTestId('certificate-search').fill('');
  });

  it('keeps what was typed and refuses it in words: *.*.example.com, "AUT", 5000 days; nothing is requested', async () => {
    await page.getByTestId('nav-request').click();
    await expect.poll(() => page.getByTestId('request-template').inputValue()).not.toBe('');
    const before = rpcCalls.filter((m) => m === 'requestCertificate').length;
    await page.getByTestId('field-commonName').fill('*.*.example.com');
    const country = page.getByTestId('field-country');
    await country.click();
    await page.keyboard.type('AUT');
    const validity = page.getByTestId('field-validityDays');
    await validity.fill('5000');
    await validity.blur();
    await page.getByTestId('submit-request').click();

    expect(await inlineError(page, page.getByTestId('field-commonName'))).toMatch(/^Common name "\*\.\*\.example\.com" is not a valid DNS name: .*Browsers accept a certificate only for the DNS names in its subject alternative names/);
    expect(await country.inputValue()).toBe('AUT');
    expect(await inlineError(page, country)).toMatch(/^Country "AUT" is not an ISO 3166-1 alpha-2 code/);
    expect(await validity.inputValue()).toBe('5000');
    expect(await inlineError(page, validity)).toMatch(/at most 397 days/);
    expect(rpcCalls.filter((m) => m === 'requestCertificate').length).toBe(before);
    await checkPage(page, 'new-request-kept-and-refused');

    // Corrected: a plain host-name CN and no SANs gets a certificate whose SAN openssl shows, with C=AT.
    await page.getByTestId('field-commonName').fill('plain.e2e.example');
    await country.fill('at');
    await expect.poll(() => page.getByText('AT — Austria').count()).toBe(1);
    await validity.fill('30');
    await page.getByTestId('submit-request').click();
    await page.waitForURL(/#\/certificates\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    const id = /#\/certificates\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    const pemFile = join(dir, 'plain.pem');
    writeFileSync(pemFile, await certificatePem(server, id));
    const dump = openssl(['x509', '-in', pemFile, '-noout', '-text']);
    expect(dump).toMatch(/X509v3 Subject Alternative Name:\s*\n\s*DNS:plain\.e2e\.example\s*\n/);
    expect(dump).toMatch(/Subject: .*C ?= ?AT/);
    // The certificate page shows the extensions openssl shows for the same file, in the same words.
    // Under load the detail can still be loading after the URL changes: wait until it has drawn them.
    await page.getByTestId('extension').first().waitFor({ timeout: 30_000 });
    const shown = await page.getByTestId('extension').evaluateAll((els) => els.map((el) => ({ name: el.getAttribute('data-name'), critical: el.getAttribute('data-critical') === 'true', text: (el as HTMLElement).innerText })));
    const theirs = opensslExtensions(pemFile);
    expect(shown.map((e) => [e.name, e.critical])).toEqual(theirs.map((e) => [e.name, e.critical]));
    for (const [i, e] of theirs.entries()) expect(shown[i]!.text.replace(/^critical\s*/i, '').replace(/\s+/g, ' ')).toBe(e.values.join(' ').replace(/\s+/g, ' '));
    expect(await page.getByTestId('signature-algorithm').innerText()).toBe(/Signature Algorithm: (\S+)/.exec(openssl(['x509', '-in', pemFile, '-noout', '-text']))![1]);
    expect(await page.getByTestId('certificate-pem').inputValue()).toBe(readFileSync(pemFile, 'utf8').trim() + '\n');
    // "View as text" has openssl's own Subject, Issuer and validity lines for the file.
    await page.getByTestId('certificate-text-toggle').locator('summary').click();
    const asText = await page.getByTestId('certificate-text').inputValue();
    for (const line of openssl(['x509', '-in', pemFile, '-noout', '-text']).split('\n').filter((l) => /^\s+(Subject|Issuer|Not Before|Not After ?):/.test(l))) {
      expect(asText).toContain(line.trim());
    }
    await checkPage(page, 'certificate-detail-extensions');
    // 30 days, as the form said: it will have expired in 31.
    expect(() => openssl(['x509', '-in', pemFile, '-noout', '-checkend', String(31 * 86400)])).toThrow();
    expect(openssl(['x509', '-in', pemFile, '-noout', '-checkend', String(29 * 86400)])).toMatch(/will not expire/);
  });

  it('after Submit the outcome is in view and has focus; a double click makes one request', async () => {
    const templates = await rpc<{ id: string; name: string }[]>('listIssuingTemplates', {});
    const base = templates.find((t) => t.name === 'Default') ?? templates[0]!;
    const full = await rpc<Record<string, unknown>[]>('listIssuingTemplates', {}).then((all) => all.find((t) => t.id === base.id)!);
    const { id: _id, creationDate: _c, modificationDate: _m, ...input } = full as Record<string, unknown>;
    const restricted = await rpc<{ id: string }>('saveIssuingTemplate', { ...input, name: 'Only allowed.example', subjectCNRegexes: ['.*\\.allowed\\.example'], sanRegexes: ['.*\\.allowed\\.example'] });
    const [app] = await rpc<Record<string, unknown>[]>('listApplications', {});
    const { creationDate: _ac, modificationDate: _am, ...appInput } = app as Record<string, unknown>;
    await rpc('saveApplication', { ...appInput, certificateIssuingTemplateAliasIdMap: { ...(app!.certificateIssuingTemplateAliasIdMap as object), Restricted: restricted.id } });

    await page.goto(`${server.url}/#/certificates`);
    await page.getByTestId('nav-request').click();
    await page.getByTestId('request-template').click();
    await page.getByRole('option', { name: /^Restricted/ }).click();
    await page.getByTestId('field-commonName').fill('denied.e2e.example');
    const before = rpcCalls.filter((m) => m === 'requestCertificate').length;
    const submit = page.getByTestId('submit-request');
    await submit.scrollIntoViewIfNeeded();
    const scrollBefore = await page.evaluate(() => window.scrollY);
    await submit.dblclick();

    const refused = page.getByTestId('request-refused');
    await refused.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('request-outcome');
    const box = (await refused.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.y, `the refusal is on screen (scrollY was ${scrollBefore})`).toBeGreaterThanOrEqual(0);
    expect(box.y + Math.min(box.height, 80)).toBeLessThanOrEqual(viewport.height);
    const words = await refused.innerText();
    expect(words).toMatch(/Request rejected/);
    expect(words.replace(/Details[\s\S]*$/, '')).not.toMatch(DEVELOPER_WORDS);
    expect(rpcCalls.filter((m) => m === 'requestCertificate').length).toBe(before + 1);
    // Submitting the same refused form again sends nothing and brings the refusal back into focus.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await submit.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('request-outcome');
    expect(rpcCalls.filter((m) => m === 'requestCertificate').length).toBe(before + 1);
    await checkPage(page, 'new-request-rejected-in-view');
  });
});
