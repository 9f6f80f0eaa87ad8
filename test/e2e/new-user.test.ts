import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SatelliteServer } from '../helpers/satellite-server';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { inlineError } from './form-checks';
import { checkPage } from './page-checks';
import { inventoryCount } from './satellite-api';
import { openUiSession, type UiSession } from './session';

// Issue 6, "Done when": a new user, in real Chromium against the headless satellite, fills the
// New request form with the seed's attributes by clicking and typing, sees the certificate in
// the inventory, downloads a PKCS#12 that openssl opens; invalid input is refused inline and
// nothing is requested; Services shows the key generation service Active. Every page is
// screenshot in both color schemes and scanned with axe-core on the way.

const SEED = {
  commonName: 'ask.venafi.example',
  organization: 'Venafi, Inc.',
  organizationalUnit: 'Quality Assurance',
  locality: 'Salt Lake City',
  state: 'Utah',
  country: 'US',
  dnsName: 'ask.venafi.example',
  validityDays: '7',
};

const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describeWithTools([TOOLS.chromium, TOOLS.openssl])('web UI: a new user requests the seed certificate and downloads a PKCS#12', () => {
  let session: UiSession | undefined;
  let server: SatelliteServer;
  let page: Page;
  const downloads = mkdtempSync(join(tmpdir(), 'ks-e2e-downloads-'));
  /** Every RPC the page sent since sign-in, by method name. */
  let rpcCalls: string[] = [];

  beforeAll(async () => {
    session = await openUiSession();
    ({ server, page, rpcCalls } = session);
  });

  afterAll(async () => {
    await session?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('signs in with the one-time link and shows the empty inventory with what to do next', async () => {
    await expect.poll(() => page.getByText('No certificates yet').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('empty-request-button').isVisible()).toBe(true);
    await checkPage(page, 'certificates-empty');
  });

  it('shows the key generation service Active, and the local API listening, on the Services page', async () => {
    await page.getByTestId('nav-services').click();
    const card = page.getByTestId('key-generation-service');
    await card.waitFor();
    await expect.poll(() => card.locator('[data-state]').getAttribute('data-state')).toBe('active');
    expect(await card.locator('[data-state]').innerText()).toMatch(/^active$/i);
    expect(await card.innerText()).toContain('Passphrase-wrapped file');
    const api = page.getByTestId('local-api');
    expect(await api.locator('[data-state]').getAttribute('data-state')).toBe('active');
    expect(await api.innerText()).toContain(server.url);
    // The built-in CA says where revocation is published, where its root is trusted, and what it may issue for.
    const revocation = page.getByTestId('builtin-ca-revocation-urls');
    await revocation.waitFor();
    expect(await revocation.innerText()).toMatch(/^CRL http:\/\/127\.0\.0\.1:\d+\/pki\/intermediate\.crl · root's CRL http:\/\/127\.0\.0\.1:\d+\/pki\/root\.crl · OCSP http:\/\/127\.0\.0\.1:\d+\/pki\/ocsp$/);
    expect(await page.getByTestId('builtin-ca-trusted-in').innerText()).toMatch(/^Not by this satellite\. Until the root is in this computer's trust stores, browsers and programs here refuse its certificates/);
    expect(await page.getByTestId('builtin-ca').innerText()).toMatch(/Name constraints\s+None/);
    await checkPage(page, 'services-active');
  });

  it('shows the Settings page', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await checkPage(page, 'settings');
  });

  it('refuses a bad country and a bad DNS name inline, and requests nothing', async () => {
    const before = await inventoryCount(server);
    await page.getByTestId('nav-request').click();
    await page.getByTestId('field-commonName').fill(SEED.commonName);
    await checkPage(page, 'new-request');

    // What was typed stays as typed: "USA" is not cut to "US" (nor "AUT", Austria, to "AU", Australia).
    const country = page.getByTestId('field-country');
    await country.click();
    await page.keyboard.type('USA');
    expect(await country.inputValue()).toBe('USA');
    await country.fill('');
    await page.keyboard.type('ZZ');
    await page.getByTestId('add-dnsNames').click();
    await page.getByTestId('dnsNames-0').click();
    await page.keyboard.type('bad_name..example');

    const requestsBefore = rpcCalls.filter((m) => m === 'requestCertificate').length;
    await page.getByTestId('submit-request').click();

    // The shared schema's own words, next to the field they are about.
    await expect.poll(() => country.getAttribute('aria-invalid')).toBe('true');
    expect(await inlineError(page, country)).toBe('Country "ZZ" is not an ISO 3166-1 alpha-2 code: use two letters such as US, GB or DE');
    const dns = page.getByTestId('dnsNames-0');
    expect(await dns.getAttribute('aria-invalid')).toBe('true');
    expect(await inlineError(page, dns)).toMatch(/^"bad_name\.\.example" is not a valid DNS name/);
    expect(await page.getByTestId('field-commonName').getAttribute('aria-invalid')).not.toBe('true');
    await checkPage(page, 'new-request-invalid');

    // Nothing went to the satellite, and its inventory is as it was.
    expect(rpcCalls.filter((m) => m === 'requestCertificate').length).toBe(requestsBefore);
    expect(await inventoryCount(server)).toBe(before);
    await page.getByRole('button', { name: 'Clear form' }).click();
  });

  it('fills the form with the seed by clicking and typing and gets the certificate ISSUED', async () => {
    await page.getByTestId('nav-request').click();
    // A new user's only application and its only template are chosen for them.
    await expect.poll(() => page.getByTestId('request-application').inputValue()).toBe('Default');
    await expect.poll(() => page.getByTestId('request-template').inputValue()).not.toBe('');

    await page.getByTestId('request-server-type').click();
    await page.getByRole('option', { name: /^Apache/ }).click();

    const type = async (testId: string, text: string) => {
      await page.getByTestId(testId).click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(text);
    };
    await type('field-commonName', SEED.commonName);
    await type('field-organization', SEED.organization);
    await type('field-locality', SEED.locality);
    await type('field-state', SEED.state);
    await type('field-country', SEED.country);
    await page.getByTestId('add-organizationalUnits').click();
    await type('organizationalUnits-0', SEED.organizationalUnit);
    await page.getByTestId('add-dnsNames').click();
    await type('dnsNames-0', SEED.dnsName);

    await page.getByTestId('field-keyType').click();
    await page.getByRole('option', { name: 'RSA', exact: true }).click();
    await page.getByTestId('field-keyLength').click();
    await page.getByRole('option', { name: '2048 bits' }).click();
    await type('field-validityDays', SEED.validityDays);
    await checkPage(page, 'new-request-filled');

    await page.getByTestId('submit-request').click();
    // An issued request opens its certificate.
    await page.waitForURL(/#\/certificates\/[0-9a-f-]{36}$/, { timeout: 90_000 });
    await expect.poll(() => page.getByTestId('detail-cn').innerText()).toBe(SEED.commonName);
    expect(rpcCalls.filter((m) => m === 'requestCertificate')).toHaveLength(1);

    await page.getByTestId('nav-certificates').click();
    const row = page.locator(`[data-testid="certificate-row"][data-cn="${SEED.commonName}"]`);
    await row.waitFor();
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('ACTIVE');
    // The template column fills once the templates have loaded.
    await expect.poll(() => row.innerText()).toContain('Built-in CA');
    await checkPage(page, 'certificates-filled');

    await row.click();
    await page.getByTestId('detail-cn').waitFor();
    const detail = await page.locator('main').innerText();
    expect(detail).toContain('ISSUED');
    // The cloud writes subject DNs with lower-case attribute names.
    for (const part of ['cn=ask.venafi.example', 'o=Venafi, Inc.', 'ou=Quality Assurance', 'l=Salt Lake City', 'st=Utah', 'c=US']) expect(detail).toContain(part);
    expect(detail).toContain('RSA 2048');
    // When to renew: the built-in CA suggests no window, so the satellite's rule (a 7-day certificate: not due yet).
    const renewalAdvice = page.getByTestId('renewal-advice');
    await renewalAdvice.waitFor();
    expect(await renewalAdvice.getAttribute('data-state')).toBe('NOT_YET');
    expect(await renewalAdvice.getAttribute('data-source')).toBe('SATELLITE');
    expect(await renewalAdvice.innerText()).toMatch(/Not due yet\s+between .+ and .+\n.*last third of the lifetime/s);
    await checkPage(page, 'certificate-detail');
  });

  it('downloads a PKCS#12 through the keystore dialog, and openssl opens it with the key matching the certificate', async () => {
    await page.getByTestId('download-keystore').click();
    const dialog = page.getByRole('dialog', { name: 'Download keystore' });
    await dialog.waitFor();
    // Apache's keystore is PEM: the user switches to PKCS#12.
    await dialog.getByText('PKCS#12', { exact: true }).click();
    await dialog.getByTestId('profile-modern').check();
    await dialog.getByTestId('generate-passphrase').click();
    const passphraseInput = dialog.getByTestId('keystore-passphrase');
    await expect.poll(() => passphraseInput.inputValue()).toMatch(/^.{12,}$/);
    const passphrase = await passphraseInput.inputValue();
    await checkPage(page, 'keystore-dialog');

    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('confirm-download-keystore').click()]);
    expect(download.suggestedFilename()).toBe('ask.venafi.example.p12');
    const file = join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    expect(statSync(file).size).toBeGreaterThan(1000);
    // The notification names the scheme the satellite read back from the file it wrote.
    const saved = page.locator('.mantine-Notification-root', { hasText: 'Keystore saved' });
    await saved.waitFor();
    expect(await saved.innerText()).toMatch(/ask\.venafi\.example\.p12 .*PKCS#12 Modern/s);

    // openssl prints the scheme of each bag and of the MAC on stderr; -noout keeps the keys out of the output.
    const pass = `pass:${passphrase}`;
    const info = execFileSync('sh', ['-c', 'openssl pkcs12 -info -noout -in "$1" -passin "$2" 2>&1', 'sh', file, pass], { encoding: 'utf8' });
    expect(info).toContain('MAC: sha256');
    expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);

    const certPem = join(downloads, 'cert.pem');
    const keyPem = join(downloads, 'key.pem');
    openssl(['pkcs12', '-in', file, '-passin', pass, '-nokeys', '-clcerts', '-out', certPem]);
    openssl(['pkcs12', '-in', file, '-passin', pass, '-nocerts', '-nodes', '-out', keyPem]);
    const subject = openssl(['x509', '-in', certPem, '-noout', '-subject', '-nameopt', 'RFC2253']);
    for (const part of ['CN=ask.venafi.example', 'OU=Quality Assurance', 'O=Venafi\\, Inc.', 'L=Salt Lake City', 'ST=Utah', 'C=US']) expect(subject).toContain(part);
    expect(openssl(['x509', '-in', certPem, '-noout', '-ext', 'subjectAltName'])).toContain('DNS:ask.venafi.example');
    expect(openssl(['pkey', '-in', keyPem, '-noout', '-text_pub'])).toContain('Public-Key: (2048 bit)');
    // Validity P7D, as typed: notAfter is seven days from the request (which was minutes ago).
    const notAfter = Date.parse(openssl(['x509', '-in', certPem, '-noout', '-enddate']).replace('notAfter=', '').trim());
    expect(Math.abs(notAfter - (Date.now() + 7 * 86_400_000))).toBeLessThan(15 * 60_000);
    // The key in the file is the certificate's key.
    expect(openssl(['pkey', '-in', keyPem, '-pubout'])).toBe(openssl(['x509', '-in', certPem, '-noout', '-pubkey']));
    // And a wrong passphrase opens nothing.
    expect(() => openssl(['pkcs12', '-info', '-noout', '-in', file, '-passin', 'pass:not the passphrase'])).toThrow();
  });
});
