import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeOpensslPki, type OpensslPki } from '../helpers/openssl-pki';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { DEVELOPER_WORDS, inlineError } from './form-checks';
import { checkPage } from './page-checks';
import { openUiSession, type UiSession } from './session';

// Issues 3, 6 and 7 in the UI: an offline (MANUAL) issuing template made in the template
// editor; a request under it waits PENDING; its CSR, downloaded from the Requests page, is
// signed by the real `openssl x509 -req` with a CA openssl made; the issued certificate,
// imported through the dialog, turns the request ISSUED. Then certificates made elsewhere come
// in through Certificates > Import…, as PEM (certificate, chain, key) and as PKCS#12. Each new
// page and dialog is screenshot in both color schemes and scanned with axe-core.

const OFFLINE_CN = 'offline.e2e.example';
const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** openssl's "sha256 Fingerprint=AB:CD:..." as the detail page shows it. */
const sha256Of = (pemFile: string) => openssl(['x509', '-in', pemFile, '-noout', '-fingerprint', '-sha256']).split('=')[1]!.trim();

async function chooseOption(page: Page, input: Locator, name: string | RegExp): Promise<void> {
  await input.click();
  await page.getByRole('option', { name }).click();
}

/** Picks files through the page's own file button, as a user would. */
async function chooseFile(page: Page, button: Locator, file: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button.click()]);
  await chooser.setFiles(file);
}

describeWithTools([TOOLS.chromium, TOOLS.openssl])('web UI: offline CA through the Requests page, and Import certificate', () => {
  let session: UiSession | undefined;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'ks-e2e-offline-'));
  const p = (name: string) => join(dir, name);
  let imported: OpensslPki;

  beforeAll(async () => {
    session = await openUiSession();
    ({ page } = session);
    // The outside CA the user takes the CSR to.
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-subj', '/O=E2E Outside CA/CN=E2E Outside Root', '-days', '30',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    // A certificate with its key, made entirely outside the satellite.
    mkdirSync(p('pki'));
    imported = makeOpensslPki(p('pki'), 'EC P-256', 'imported.e2e.example');
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates an offline (MANUAL) template in the editor, with the schema’s messages inline', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('new-template').click();
    const dialog = page.getByRole('dialog', { name: 'New issuing template' });
    await dialog.waitFor();
    await dialog.getByTestId('template-name').fill('Offline CA');

    // ACME first, to see its settings: directory presets, EAB, the challenge.
    await chooseOption(page, dialog.getByTestId('template-ca'), /^ACME/);
    await dialog.getByRole('button', { name: 'Let’s Encrypt staging' }).click();
    expect(await dialog.getByTestId('acme-directory-url').inputValue()).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
    await dialog.getByRole('textbox', { name: 'EAB key id' }).fill('kid-1');
    await dialog.getByTestId('save-template').click();
    // A key id without its HMAC key is refused before anything is sent.
    expect(await inlineError(page, dialog.getByTestId('acme-eab-hmac'))).toMatch(/EAB HMAC key is required/);
    // The editor took the user to that field.
    expect(await dialog.getByTestId('acme-eab-hmac').evaluate((el) => el === document.activeElement)).toBe(true);
    // The picture shows the ACME settings from the top.
    await page.locator('.mantine-Modal-content').evaluate((el) => el.scrollTo(0, 0));
    await checkPage(page, 'template-editor-acme');

    // The cloud connector: its API key is a write-only secret, required for a new template.
    await chooseOption(page, dialog.getByTestId('template-ca'), /^Cloud service/);
    await dialog.getByTestId('cloud-settings').waitFor();
    await dialog.getByTestId('save-template').click();
    expect(await inlineError(page, dialog.getByTestId('cloud-api-key'))).toMatch(/API key is required/);
    await page.locator('.mantine-Modal-content').evaluate((el) => el.scrollTo(0, 0));
    await checkPage(page, 'template-editor-cloud');

    await chooseOption(page, dialog.getByTestId('template-ca'), /^Offline: export the CSR/);
    await dialog.getByTestId('manual-settings').waitFor();
    const validity = dialog.getByTestId('template-validity');
    await validity.fill('30 days');
    await dialog.getByTestId('template-cn-regexes').fill('.*\\.e2e\\.example\n(');
    await dialog.getByTestId('save-template').click();
    // The shared schema's own words, next to the fields they are about.
    expect(await inlineError(page, validity)).toBe('Must be an ISO 8601 duration such as P7D, P90D or PT12H');
    expect(await inlineError(page, dialog.getByTestId('template-cn-regexes'))).toBe('Line 2: is not a valid regular expression');
    await checkPage(page, 'template-editor-manual-invalid');

    await validity.fill('P30D');
    await dialog.getByTestId('template-cn-regexes').fill('.*\\.e2e\\.example');
    await dialog.getByTestId('save-template').click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.locator('[data-testid="template-row"][data-name="Offline CA"]');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Offline \(manual\)\s+.*P30D/s);

    // The default application gets an alias for it.
    await page.getByRole('button', { name: 'Edit application Default' }).click();
    const app = page.getByRole('dialog', { name: 'Edit application' });
    await app.getByRole('button', { name: 'Add alias' }).click();
    await app.getByRole('textbox', { name: 'Alias 2' }).fill('Offline');
    await chooseOption(page, app.getByLabel('Template for alias 2'), 'Offline CA');
    await app.getByTestId('save-application').click();
    await app.waitFor({ state: 'detached' });
  });

  it('shows the offline connector as Offline with its message on Services', async () => {
    await page.getByTestId('nav-services').click();
    const connector = page.locator('[data-testid="ca-connector"][data-ca="MANUAL"]');
    await connector.waitFor();
    expect(await connector.getAttribute('data-health')).toBe('offline');
    expect(await connector.innerText()).toMatch(/Offline CA\s+Offline \(manual\)\s+Offline\s+Offline: download the CSR/);
    await checkPage(page, 'services-offline-ca');
  });

  it('requests under it: PENDING, with a link to the Requests page', async () => {
    await page.getByTestId('nav-request').click();
    await expect.poll(() => page.getByTestId('request-application').inputValue()).toBe('Default');
    await chooseOption(page, page.getByTestId('request-template'), 'Offline (Offline CA)');
    await page.getByTestId('field-commonName').fill(OFFLINE_CN);
    await page.getByTestId('add-dnsNames').click();
    await page.getByTestId('dnsNames-0').fill(OFFLINE_CN);
    await chooseOption(page, page.getByTestId('field-keyType'), 'Elliptic curve (EC)');
    await page.getByTestId('submit-request').click();
    const pending = page.getByTestId('request-pending');
    await pending.waitFor({ timeout: 60_000 });
    expect(await pending.innerText()).toContain('PENDING');
    await checkPage(page, 'new-request-pending');

    // The key pair now waits for its certificate: Submit is gone, so no second key can be made by accident.
    expect(await page.getByTestId('submit-request').count()).toBe(0);
    await page.getByTestId('new-request-again').click();

    // A name outside the template's allowed common names: REJECTED by the policy, no key made.
    await chooseOption(page, page.getByTestId('request-template'), 'Offline (Offline CA)');
    await page.getByTestId('field-commonName').fill('outside.example.org');
    await page.getByTestId('add-dnsNames').click();
    await page.getByTestId('dnsNames-0').fill('outside.example.org');
    await page.getByTestId('submit-request').click();
    const refused = page.getByTestId('request-refused');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('REJECTED');
    await page.getByTestId('refused-requests-link').click();
    await page.waitForURL(/#\/requests$/);
    const rejected = page.locator('[data-testid="request-row"][data-cn="outside.example.org"]');
    await rejected.waitFor();
    expect(await rejected.getAttribute('data-status')).toBe('REJECTED');
    // The policy's reason on the row, naming the value.
    const reason = await rejected.getByTestId('request-error').innerText();
    expect(reason).toContain('outside.example.org');
    // In the form's words; the API's own message only under Details.
    expect(reason).toMatch(/^Common name "outside\.example\.org" is not allowed by the template's allowed common names/);
    expect(reason).not.toMatch(DEVELOPER_WORDS);
  });

  it('downloads the CSR from the Requests page; openssl signs it; the import dialog makes the request ISSUED', async () => {
    const row = page.locator(`[data-testid="request-row"][data-cn="${OFFLINE_CN}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('PENDING');
    expect(await row.innerText()).toContain('Offline CA');
    await checkPage(page, 'requests');

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('download-csr').click()]);
    expect(download.suggestedFilename()).toBe(`${OFFLINE_CN}.csr`);
    await download.saveAs(p('request.csr'));
    // A well-formed, self-signed PKCS#10 for the name requested, with its SAN.
    expect(execFileSync('sh', ['-c', 'openssl req -in "$1" -noout -verify 2>&1', 'sh', p('request.csr')], { encoding: 'utf8' })).toMatch(/verify OK/i);
    expect(openssl(['req', '-in', p('request.csr'), '-noout', '-subject'])).toContain(`CN = ${OFFLINE_CN}`);

    openssl(['x509', '-req', '-in', p('request.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-CAserial', p('ca.srl'), '-days', '10', '-sha256', '-copy_extensions', 'copyall', '-out', p('issued.pem')]);
    expect(openssl(['x509', '-in', p('issued.pem'), '-noout', '-ext', 'subjectAltName'])).toContain(`DNS:${OFFLINE_CN}`);

    await row.getByTestId('import-issued').click();
    const dialog = page.getByRole('dialog', { name: 'Import issued certificate' });
    await dialog.waitFor();
    // A certificate of some other key is refused, the message under the field.
    await dialog.getByTestId('issued-pem').fill(imported.certificatePem);
    await dialog.getByTestId('confirm-import-issued').click();
    expect(await inlineError(page, dialog.getByTestId('issued-pem'))).toMatch(/^No waiting request of this satellite has the key of this certificate/);
    await checkPage(page, 'import-issued-dialog');

    // The user picks the file the CA sent, with its chain.
    writeFileSync(p('issued-chain.pem'), readFileSync(p('issued.pem'), 'utf8') + readFileSync(p('ca.pem'), 'utf8'));
    await chooseFile(page, dialog.getByTestId('issued-file'), p('issued-chain.pem'));
    await expect.poll(() => dialog.getByTestId('issued-pem').inputValue()).toContain('BEGIN CERTIFICATE');
    await dialog.getByTestId('confirm-import-issued').click();
    // Under a full CI load the import (chain stored, request ISSUED) has taken longer than the default 20 s once.
    await page.waitForURL(/#\/certificates\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    await expect.poll(() => page.getByTestId('detail-cn').innerText()).toBe(OFFLINE_CN);
    const detail = await page.locator('main').innerText();
    expect(detail).toContain('ISSUED');
    expect(detail).toContain(sha256Of(p('issued.pem')));
    expect(detail).toContain('E2E Outside Root');
    // The satellite made the key, so keystores can be downloaded.
    expect(await page.getByTestId('download-keystore').isEnabled()).toBe(true);

    await page.getByTestId('nav-requests').click();
    await page.getByTestId('filter-issued').click();
    const issued = page.locator(`[data-testid="request-row"][data-cn="${OFFLINE_CN}"]`);
    await expect.poll(() => issued.getAttribute('data-status')).toBe('ISSUED');
    expect(await issued.getByTestId('open-certificate').isVisible()).toBe(true);
    await page.getByTestId('filter-failed').click();
    await page.getByTestId('requests-empty').waitFor();
    await checkPage(page, 'requests-empty-filter');
    await page.getByTestId('filter-all').click();
  });

  it('imports a PEM certificate, chain and key made by openssl through Certificates > Import…', async () => {
    await page.getByTestId('nav-certificates').click();
    await page.getByTestId('import-certificate-button').click();
    const dialog = page.getByRole('dialog', { name: 'Import certificate' });
    await dialog.waitFor();
    await expect.poll(() => dialog.getByTestId('import-application').inputValue()).toBe('Default');
    // The certificate with its chain, then the key: two files, as openssl wrote them.
    writeFileSync(p('imported-chain.pem'), imported.certificatePem + imported.chainPems.join(''));
    const addFile = dialog.getByRole('button', { name: /Add a \.pem/ });
    await chooseFile(page, addFile, p('imported-chain.pem'));
    await expect.poll(() => dialog.getByTestId('import-pem').inputValue()).toContain('BEGIN CERTIFICATE');
    await chooseFile(page, addFile, imported.paths.eeKey);
    // The key is taken in but never shown: not in the text box, nowhere on the page.
    await dialog.getByTestId('import-private-key').waitFor();
    expect(await dialog.getByTestId('import-pem').inputValue()).not.toContain('PRIVATE KEY');
    const keyBody = readFileSync(imported.paths.eeKey, 'utf8').split('\n')[1]!;
    expect(await page.content()).not.toContain(keyBody);
    await checkPage(page, 'import-certificate-dialog');
    await dialog.getByTestId('confirm-import-certificate').click();

    await page.waitForURL(/#\/certificates\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('detail-cn').innerText()).toBe('imported.e2e.example');
    expect(await page.locator('main').innerText()).toContain(sha256Of(imported.paths.eeCert));
    expect(await page.getByTestId('download-keystore').isEnabled()).toBe(true);

    // The same certificate again: the satellite's refusal, under the field it is about.
    await page.getByTestId('nav-certificates').click();
    await page.getByTestId('import-certificate-button').click();
    await dialog.getByTestId('import-pem').fill(imported.certificatePem);
    await dialog.getByTestId('confirm-import-certificate').click();
    expect(await inlineError(page, dialog.getByTestId('import-pem'))).toMatch(/already in the inventory/);
  });

  it('imports a DER certificate (.der, as openssl -outform DER writes it), and a pasted key is hidden as it is pasted', async () => {
    mkdirSync(p('der'));
    const other = makeOpensslPki(p('der'), 'EC P-256', 'der.e2e.example');
    openssl(['x509', '-in', other.paths.eeCert, '-outform', 'DER', '-out', p('der.e2e.example.der')]);
    // The dialog the previous case left open (its refusal shown): start from an empty box.
    const dialog = page.getByRole('dialog', { name: 'Import certificate' });
    await dialog.getByTestId('import-pem').fill('');
    await chooseFile(page, dialog.getByTestId('import-add-file'), p('der.e2e.example.der'));
    await expect.poll(() => dialog.getByTestId('import-der-file').innerText()).toMatch(/der\.e2e\.example\.der: a DER certificate/);
    const key = readFileSync(other.paths.eeKey, 'utf8');
    await dialog.getByTestId('import-pem').fill(`${key}`);
    await dialog.getByTestId('import-private-key').waitFor();
    expect(await dialog.getByTestId('import-pem').inputValue()).toBe('');
    await dialog.getByTestId('confirm-import-certificate').click();
    await page.waitForURL(/#\/certificates\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('detail-cn').innerText()).toBe('der.e2e.example');
    expect(await page.locator('main').innerText()).toContain(sha256Of(other.paths.eeCert));
    // Imported with its key: keystores can be downloaded.
    expect(await page.getByTestId('download-keystore').isEnabled()).toBe(true);
    // The next case goes on in the import dialog.
    await page.getByTestId('nav-certificates').click();
    await page.getByTestId('import-certificate-button').click();
    await dialog.waitFor();
  });

  it('imports a PKCS#12 file, naming a wrong passphrase inline', async () => {
    mkdirSync(p('p12'));
    const other = makeOpensslPki(p('p12'), 'RSA', 'pkcs12.e2e.example');
    openssl(['pkcs12', '-export', '-in', other.paths.eeCert, '-inkey', other.paths.eeKey, '-certfile', other.paths.intermediate, '-passout', 'pass:correct horse', '-out', p('other.p12')]);
    const dialog = page.getByRole('dialog', { name: 'Import certificate' });
    await dialog.getByText('PKCS#12 file', { exact: true }).click();
    await chooseFile(page, dialog.getByTestId('import-pkcs12-file'), p('other.p12'));
    await expect.poll(() => dialog.getByTestId('import-pkcs12-name').innerText()).toBe('other.p12');
    const passphrase = dialog.getByTestId('import-passphrase');
    await passphrase.fill('wrong horse');
    await dialog.getByTestId('confirm-import-certificate').click();
    expect(await inlineError(page, passphrase)).toMatch(/PKCS#12 file cannot be opened/);
    await checkPage(page, 'import-certificate-pkcs12-invalid');

    await passphrase.fill('correct horse');
    await dialog.getByTestId('confirm-import-certificate').click();
    await page.waitForURL(/#\/certificates\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('detail-cn').innerText()).toBe('pkcs12.e2e.example');
    expect(await page.locator('main').innerText()).toContain(sha256Of(other.paths.eeCert));
  });
  it('keeps an ACME template’s EAB HMAC key write-only: sealed on save, shown as stored, never sent back', async () => {
    const hmac = 'ZTJlLWVhYi1obWFjLWtleS1ub3QtZm9yLWRpc3BsYXk';
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('new-template').click();
    const dialog = page.getByRole('dialog', { name: 'New issuing template' });
    await dialog.getByTestId('template-name').fill('ACME with EAB');
    await chooseOption(page, dialog.getByTestId('template-ca'), /^ACME/);
    // Nothing listens on port 9: nothing here reaches the network.
    await dialog.getByTestId('acme-directory-url').fill('https://127.0.0.1:9/directory');
    await dialog.getByTestId('acme-terms').check();
    await dialog.getByRole('textbox', { name: 'EAB key id' }).fill('kid-1');
    await dialog.getByTestId('acme-eab-hmac').fill(hmac);
    await dialog.getByTestId('save-template').click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Edit template ACME with EAB' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit issuing template' });
    const field = edit.getByTestId('acme-eab-hmac');
    expect(await field.inputValue()).toBe('');
    expect(await field.getAttribute('placeholder')).toBe('•••••••• stored');
    expect(await edit.innerText()).toContain('Stored, sealed under the DEK. Leave empty to keep it');
    await edit.getByRole('button', { name: 'Cancel' }).click();

    // What the satellite hands the UI names the sealed secret, never the key.
    const templates = await page.evaluate(async () => {
      const session = sessionStorage.getItem('keypair-satellite.session') ?? '';
      const res = await fetch('/ui/rpc/listIssuingTemplates', { method: 'POST', headers: { 'content-type': 'application/json', 'x-satellite-session': session }, body: '{}' });
      return res.text();
    });
    expect(templates).not.toContain(hmac);
    const acme = (JSON.parse(templates) as { name: string; caSettings: Record<string, unknown> }[]).find((t) => t.name === 'ACME with EAB');
    expect(acme?.caSettings).toMatchObject({ type: 'ACME', eabKeyId: 'kid-1', eabHmacKeySecretId: expect.stringMatching(/.+/) });
  });
});
