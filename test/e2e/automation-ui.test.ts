import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../helpers/browser';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { checkPage } from './page-checks';
import { requestSeedCertificate } from './satellite-api';
import { openUiSession, type UiSession } from './session';

// Issue 18, as a person sees it: on the certificate page, "Renew and install automatically…"
// writes the certificate and key where they are typed (openssl reads them), and the card says what
// happened. A validation that fails is shown as failed, with its exit code and its own output, the
// previous files are back (openssl again), Services lists it first, and Certificates marks it.

const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const serialOf = (file: string) => /serial=([0-9A-F]+)/.exec(openssl(['x509', '-in', file, '-noout', '-serial']))![1]!;

describeWithTools([TOOLS.chromium, TOOLS.openssl])('web UI: certificates that renew and install themselves', () => {
  let session: UiSession | undefined;
  let page: Page;
  let id: string;
  const dir = mkdtempSync(join(tmpdir(), 'ks-e2e-automation-'));
  const crt = join(dir, 'site.crt');
  const key = join(dir, 'site.key');

  beforeAll(async () => {
    session = await openUiSession();
    ({ page } = session);
    id = await requestSeedCertificate(session.server);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const card = () => page.getByTestId('automation-card');

  it('sets up installation from the certificate page, and the card says what was written and when it renews', async () => {
    await page.evaluate((certificateId) => (location.hash = `#/certificates/${certificateId}`), id);
    await card().getByText('Not renewed or installed by the satellite').waitFor();
    await card().getByTestId('automation-set-up').click();
    const dialog = page.getByRole('dialog', { name: 'Renew and install automatically' });
    await dialog.getByTestId('installation-file').fill(crt);
    await dialog.getByTestId('installation-chain-file').fill(join(dir, 'chain.pem'));
    await dialog.getByTestId('installation-key-file').fill(key);
    await dialog.getByTestId('installation-after-install').fill('echo "reloaded for $KEYPAIR_SERIAL"');
    // Installing writes files on this machine (and runs a program): from a browser, the API key goes with the save.
    await dialog.getByTestId('automation-api-key').fill(session!.server.apiKey);
    await checkPage(page, 'automation-set-up');
    await dialog.getByTestId('automation-save').click();
    await card().getByTestId('automation-last-result-badge').filter({ hasText: 'Installed' }).waitFor({ timeout: 30_000 });

    const serial = serialOf(crt);
    expect(openssl(['x509', '-in', crt, '-noout', '-pubkey'])).toBe(openssl(['pkey', '-in', key, '-pubout']));
    expect(await card().getByTestId('automation-last-result').innerText()).toContain(`certificate ${serial} installed in 1 place`);
    expect(await card().getByTestId('automation-next-renewal').innerText()).toContain("the satellite's rule");
    await card().getByTestId('automation-history').locator('summary').click();
    const after = card().locator('[data-testid="automation-event"][data-step="afterInstallAction"]');
    expect(await after.getByTestId('automation-output').innerText()).toBe(`reloaded for ${serial}`);
    await checkPage(page, 'automation-installed');
    await card().screenshot({ path: join(SCREENSHOT_DIR, 'automation-card-installed.png') });
  }, 90_000);

  it('shows a failing validation as failed, with its output, and the previous files back in place', async () => {
    const before = serialOf(crt);
    await card().getByRole('button', { name: 'Change…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change automatic renewal and installation' });
    await dialog.getByTestId('installation-validation').fill('echo "health check refused $KEYPAIR_SERIAL" >&2; exit 2');
    await dialog.getByTestId('automation-api-key').fill(session!.server.apiKey);
    await dialog.getByTestId('automation-save').click();
    await card().getByTestId('automation-failure').waitFor({ timeout: 30_000 });

    await card().getByTestId('automation-renew-now').click();
    // The renewal made a new certificate: the page moves to it, and its card tells how installing it went.
    await page.waitForURL((url) => /#\/certificates\/[0-9a-f-]{36}$/.test(url.hash) && !url.hash.includes(id), { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="automation-event"][data-step="renew"]').length > 0, undefined, { timeout: 30_000 });
    const failure = await card().getByTestId('automation-failure').innerText();
    expect(failure).toContain('installValidationAction exited with 2');
    expect(failure).toContain('the previous files are back in place');
    expect(failure).toMatch(/tries again by itself at/);
    const history = card().getByTestId('automation-history');
    if (!(await history.evaluate((d) => (d as HTMLDetailsElement).open))) await history.locator('summary').click();
    const validation = card().locator('[data-testid="automation-event"][data-step="installValidationAction"][data-ok="false"]').first();
    expect(await validation.innerText()).toContain('→ exit 2');
    expect(await validation.getByTestId('automation-output').innerText()).toMatch(/^health check refused [0-9A-F]+$/);
    // The renewed certificate was refused: the files are the ones before it, whole.
    expect(serialOf(crt)).toBe(before);
    expect(openssl(['x509', '-in', crt, '-noout', '-pubkey'])).toBe(openssl(['pkey', '-in', key, '-pubout']));
    await checkPage(page, 'automation-failed');
    // The card alone, at full size, for a person to read what it says.
    await card().screenshot({ path: join(SCREENSHOT_DIR, 'automation-card-failed.png') });

    await page.evaluate(() => (location.hash = '#/services'));
    const status = page.getByTestId('automation-status');
    // The page asks again on arrival (the header's status may be up to 30 s old).
    await expect.poll(() => status.getAttribute('data-failing'), { timeout: 10_000 }).toBe('1');
    expect(await status.innerText()).toContain('installValidationAction exited with 2');
    await checkPage(page, 'automation-failing-services');

    await page.evaluate(() => (location.hash = '#/certificates'));
    // Where a person looks first: the list says an installation failed, and links to it.
    const banner = page.getByTestId('automation-failing-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('An automatic installation failed');
    await page.getByTestId('automation-badge').first().waitFor();
    await checkPage(page, 'automation-failing-list');
    expect(await page.getByTestId('automation-badge').first().innerText()).toBe('AUTO-INSTALL FAILED');
  }, 90_000);

  it('imports a VCert playbook from Certificates: a misspelt key is named, a good playbook is issued and installed', async () => {
    const playbook = (key: string) => `config:
  connection: { platform: vaas, credentials: { apiKey: x } }
certificateTasks:
  - name: ui-task
    renewBefore: 20d
    request:
      zone: "Default\\\\Default"
      subject: { commonName: ui.playbook.test }
      sanDNS: [ui.playbook.test]
      keyType: ECDSA
      keyCurve: P256
    installations:
      - format: PEM
        file: ${join(dir, 'ui.crt')}
        chainFile: ${join(dir, 'ui-chain.pem')}
        keyFile: ${join(dir, 'ui.key')}
        ${key}: "true"
`;
    await page.evaluate(() => (location.hash = '#/certificates'));
    await page.getByTestId('import-playbook-button').click();
    const dialog = page.getByRole('dialog', { name: 'Import a VCert playbook' });
    await dialog.getByTestId('playbook-yaml').fill(playbook('afterInstallActon'));
    await dialog.getByTestId('playbook-api-key').fill(session!.server.apiKey);
    await dialog.getByTestId('playbook-import').click();
    await dialog.getByText('unknown key "afterInstallActon" at certificateTasks[0].installations[0].afterInstallActon').first().waitFor();
    await checkPage(page, 'playbook-refused');
    await dialog.getByTestId('playbook-yaml').fill(playbook('afterInstallAction'));
    await dialog.getByTestId('playbook-import').click();
    const result = dialog.getByTestId('playbook-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toMatch(/ui-task: installed: certificate [0-9A-F]+ installed in 1 place/);
    expect(await result.innerText()).toContain('config.connection is not needed');
    expect(openssl(['x509', '-in', join(dir, 'ui.crt'), '-noout', '-subject'])).toContain('ui.playbook.test');
    await checkPage(page, 'playbook-imported');
  }, 90_000);
});
