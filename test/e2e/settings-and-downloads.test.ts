import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { checkPage } from './page-checks';
import { requestSeedCertificate } from './satellite-api';
import { openUiSession, type UiSession } from './session';

// Settings' API key and DEK cards, and the certificate download dialog, clicked through in the
// web UI: the DEK backup file the browser saves restores the DEK (and a wrong passphrase is
// refused inline), a rotation shows the new fingerprint, and the downloaded PEM is what openssl
// verifies against the built-in CA's chain.

const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describeWithTools([TOOLS.chromium, TOOLS.openssl])('web UI: Settings (API key, DEK backup, restore, rotation) and Download certificate', () => {
  let session: UiSession | undefined;
  let page: Page;
  const downloads = mkdtempSync(join(tmpdir(), 'ks-e2e-settings-'));

  beforeAll(async () => {
    session = await openUiSession();
    ({ page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('shows the API key the REST API takes', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('show-api-key').click();
    const value = page.getByTestId('api-key-value');
    await value.waitFor();
    expect(await value.inputValue()).toBe(session!.server.apiKey);
  });

  it('backs up the DEK to a file, refuses a wrong passphrase for it inline, and restores it with the right one', async () => {
    const fingerprint = await page.getByTestId('dek-fingerprint').innerText();
    await page.getByTestId('dek-backup').click();
    const backup = page.getByRole('dialog', { name: 'Back up the DEK' });
    await backup.waitFor();
    await backup.getByTestId('dek-generate-passphrase').click();
    const passphraseInput = backup.getByTestId('dek-backup-passphrase');
    await expect.poll(() => passphraseInput.inputValue()).toMatch(/^.{12,}$/);
    const passphrase = await passphraseInput.inputValue();
    const [download] = await Promise.all([page.waitForEvent('download'), backup.getByTestId('dek-backup-submit').click()]);
    const file = join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^keypair-satellite-dek-[0-9a-f]{12}-\d{4}-\d{2}-\d{2}\.json$/);
    expect(readFileSync(file, 'utf8')).not.toContain(passphrase);
    await backup.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('dek-last-backup').innerText()).toMatch(/Last backup/i);

    await page.getByTestId('dek-restore').click();
    const restore = page.getByRole('dialog', { name: 'Restore the DEK from a backup' });
    await restore.waitFor();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), restore.getByTestId('dek-restore-file').click()]);
    await chooser.setFiles(file);
    await restore.getByTestId('dek-restore-passphrase').fill('not the passphrase of this backup');
    await restore.getByTestId('dek-restore-submit').click();
    const refused = restore.getByRole('alert').filter({ hasText: 'The DEK was not restored' });
    await refused.waitFor();
    await checkPage(page, 'dek-restore-refused');

    await restore.getByTestId('dek-restore-passphrase').fill(passphrase);
    await restore.getByTestId('dek-restore-submit').click();
    const result = restore.getByTestId('dek-restore-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('DEK restored');
    await restore.getByRole('button', { name: 'Close', exact: true }).click();
    await restore.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('dek-fingerprint').innerText()).toBe(fingerprint);
  });

  it('rotates the DEK and shows the new fingerprint', async () => {
    const before = await page.getByTestId('dek-fingerprint').innerText();
    await page.getByTestId('dek-rotate').click();
    const confirm = page.getByRole('dialog', { name: 'Rotate the DEK?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Rotate DEK' }).click();
    const result = page.getByTestId('dek-rotate-result');
    await result.waitFor();
    const shown = /New DEK fingerprint: ([0-9a-f]{16})…/.exec(await result.innerText())?.[1];
    expect(shown).toBeDefined();
    expect(`${shown}…`).not.toBe(before);
    await checkPage(page, 'dek-rotated');
    await page.getByRole('dialog', { name: 'DEK rotated' }).getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(() => page.getByTestId('dek-fingerprint').innerText()).toBe(`${shown}…`);
  });

  it('downloads a certificate as PEM with its chain, and openssl verifies it against the chain it came with', async () => {
    const id = await requestSeedCertificate(session!.server);
    await page.evaluate((certificateId) => {
      location.hash = `#/certificates/${certificateId}`;
    }, id);
    await page.getByTestId('detail-cn').waitFor();
    await page.getByTestId('download-certificate').click();
    const dialog = page.getByRole('dialog', { name: 'Download certificate' });
    await dialog.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('confirm-download-certificate').click()]);
    const file = join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe('ask.venafi.example.pem');
    await page.locator('.mantine-Notification-root', { hasText: 'Certificate saved' }).waitFor();

    // Certificate first, then the intermediate and the root: split them and let openssl check the path.
    const blocks = readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
    expect(blocks).toHaveLength(3);
    const [leaf, intermediate, root] = blocks.map((pem, i) => {
      const path = join(downloads, `block-${i}.pem`);
      writeFileSync(path, pem);
      return path;
    });
    expect(openssl(['verify', '-CAfile', root!, '-untrusted', intermediate!, leaf!])).toContain(': OK');
    expect(openssl(['x509', '-in', leaf!, '-noout', '-subject'])).toContain('ask.venafi.example');
  });
});
