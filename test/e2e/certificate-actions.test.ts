import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { checkPage } from './page-checks';
import { certificateExists, certificatePem, requestSeedCertificate } from './satellite-api';
import { openUiSession, type UiSession } from './session';

// The certificate page's own actions, clicked: Renew makes a new key and certificate for the same
// names (openssl sees a different public key), Revoke… puts it on the built-in CA's CRL that the
// Services page downloads (openssl crl reads the serial and the reason), Retire… takes it out of
// the list until Recover, Delete… removes it.

const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** Both streams: `openssl crl -CAfile` says "verify OK" on stderr. */
const opensslRun = (args: string[]) => {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return `${r.stdout}\n${r.stderr}`;
};
const CERTIFICATE_URL = /#\/certificates\/([0-9a-f-]{36})$/;

describeWithTools([TOOLS.chromium, TOOLS.openssl])('web UI: renew, revoke and delete from the certificate page', () => {
  let session: UiSession | undefined;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'ks-e2e-actions-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  let firstId: string;
  let renewedId: string;

  beforeAll(async () => {
    session = await openUiSession();
    ({ page } = session);
    firstId = await requestSeedCertificate(session.server);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (id: string) => {
    await page.evaluate((certificateId) => {
      location.hash = `#/certificates/${certificateId}`;
    }, id);
    await page.getByTestId('detail-cn').waitFor();
  };

  it('renews: a new certificate for the same names with a new key, linked both ways', async () => {
    await open(firstId);
    await page.getByTestId('renew').click();
    // It says a new key will be made before it makes one.
    const confirm = page.getByRole('dialog', { name: 'Renew this certificate?' });
    expect(await confirm.innerText()).toMatch(/makes a new key pair .* stays valid until it expires and is marked Renewed/s);
    await checkPage(page, 'renew-dialog');
    await confirm.getByTestId('confirm').click();
    await page.waitForURL((url) => CERTIFICATE_URL.test(url.hash) && !url.hash.includes(firstId), { timeout: 60_000 });
    renewedId = CERTIFICATE_URL.exec(new URL(page.url()).hash)![1]!;
    await page.getByText('previous certificate').waitFor();

    const [before, after] = [file('first.pem', await certificatePem(session!.server, firstId)), file('renewed.pem', await certificatePem(session!.server, renewedId))];
    expect(openssl(['x509', '-in', after, '-noout', '-pubkey'])).not.toBe(openssl(['x509', '-in', before, '-noout', '-pubkey']));
    expect(openssl(['x509', '-in', after, '-noout', '-ext', 'subjectAltName'])).toBe(openssl(['x509', '-in', before, '-noout', '-ext', 'subjectAltName']));

    await page.getByText('previous certificate').click();
    await page.getByText('newer certificate').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/certificates/${firstId}`);
    // Renewed already: no advice on when to renew it.
    expect(await page.getByTestId('renewal-advice').count()).toBe(0);
  });

  it('revokes with a reason, and the CRL the Services page downloads lists it', async () => {
    await open(renewedId);
    await page.getByTestId('revoke').click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this certificate?' });
    await dialog.waitFor();
    // It says what will be published and where, not more.
    expect(await dialog.innerText()).toMatch(/built-in CA will list it in its CRL at http:\/\/127\.0\.0\.1:\d+\/pki\/intermediate\.crl, and its OCSP responder at http:\/\/127\.0\.0\.1:\d+\/pki\/ocsp will answer "revoked"/s);
    await dialog.getByTestId('revoke-reason').click();
    await page.getByRole('option', { name: 'Superseded' }).click();
    await checkPage(page, 'revoke-dialog');
    await dialog.getByTestId('confirm-danger').click();
    await page.getByRole('heading', { level: 1 }).getByText('REVOKED').waitFor();
    expect(await page.getByTestId('renew').getAttribute('aria-disabled')).toBe('true');
    expect(await page.locator('#renew-why').textContent()).toBe('A revoked certificate cannot be renewed: request a new one.');

    await page.getByTestId('nav-services').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-crl').click()]);
    const crl = join(dir, download.suggestedFilename());
    await download.saveAs(crl);
    const serial = openssl(['x509', '-in', join(dir, 'renewed.pem'), '-noout', '-serial']).split('=')[1]!.trim();
    const text = openssl(['crl', '-in', crl, '-noout', '-text']);
    expect(text).toContain(`Serial Number: ${serial}`);
    expect(text).toMatch(/Superseded/);
    // The root's CRL, for clients that check the intermediate too: signed by the root, listing nothing.
    const [rootCrlDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-root-crl').click()]);
    const rootCrl = join(dir, rootCrlDownload.suggestedFilename());
    await rootCrlDownload.saveAs(rootCrl);
    const [rootDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download root certificate' }).click()]);
    const root = join(dir, rootDownload.suggestedFilename());
    await rootDownload.saveAs(root);
    const rootCrlText = opensslRun(['crl', '-in', rootCrl, '-noout', '-text', '-CAfile', root]);
    expect(rootCrlText).toMatch(/verify OK/);
    expect(rootCrlText).toMatch(/No Revoked Certificates/);
  });

  it('retires: the certificate leaves the list until asked for, then Recover brings it back (the cloud API agrees at each step)', async () => {
    const id = await requestSeedCertificate(session!.server);
    const statusOf = async () =>
      ((await (await fetch(`${session!.server.url}/outagedetection/v1/certificates/${id}`, { headers: { 'tppl-api-key': session!.server.apiKey } })).json()) as { certificateStatus: string }).certificateStatus;
    await open(id);
    await page.getByTestId('retire').click();
    const dialog = page.getByRole('dialog', { name: 'Retire this certificate?' });
    expect(await dialog.innerText()).toMatch(/It is not revoked: it stays valid until it expires.*Recover brings it back/s);
    await checkPage(page, 'retire-dialog');
    await dialog.getByTestId('confirm').click();
    await page.locator('.mantine-Notification-root', { hasText: 'Certificate retired' }).waitFor();
    expect(await statusOf()).toBe('RETIRED');
    await page.getByTestId('recover').waitFor();

    await page.getByTestId('nav-certificates').click();
    const count = page.getByTestId('certificate-count');
    await expect.poll(() => count.innerText()).toMatch(/1 retired not shown/);
    expect(await page.locator(`a[href="#/certificates/${id}"]`).count()).toBe(0);
    await page.getByTestId('show-retired').click();
    await page.locator(`a[href="#/certificates/${id}"]`).first().waitFor();
    await checkPage(page, 'certificates-retired-shown');

    await open(id);
    await page.getByTestId('recover').click();
    await page.locator('.mantine-Notification-root', { hasText: 'Certificate recovered' }).waitFor();
    expect(await statusOf()).toBe('ACTIVE');
    await page.getByTestId('retire').waitFor();
  });

  it('deletes the certificate and its key, and the inventory no longer has it', async () => {
    await open(firstId);
    await page.getByTestId('delete').click();
    const dialog = page.getByRole('dialog', { name: 'Delete this certificate?' });
    await dialog.waitFor();
    await dialog.getByTestId('confirm-danger').click();
    await page.waitForURL((url) => url.hash === '#/certificates' || url.hash === '');
    await page.locator('.mantine-Notification-root', { hasText: 'Certificate deleted' }).waitFor();
    expect(await certificateExists(session!.server, firstId)).toBe(false);
    expect(await certificateExists(session!.server, renewedId)).toBe(true);
  });
});
