import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SatelliteServer } from '../helpers/satellite-server';
import { certificateChainPems, requestCertificateFor } from '../helpers/cloud-fetch';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { checkPage } from './page-checks';
import { openUiSession, type UiSession } from './session';

// Services > Built-in CA > "New issuing CA…" in real Chromium against the headless satellite: the
// card says which issuing CA issues; the dialog says what will change, refuses a bad name on its
// field and a call without the API key on the key field (nothing changes either time); with the key
// the root signs a constrained issuing CA, the dialog and the card say so, and the satellite's own
// REST API agrees: a name outside is refused, one inside is issued under the new issuing CA, which
// openssl verifies to the same root.

describeWithTools([TOOLS.chromium, TOOLS.openssl])('web UI: a new issuing CA under the built-in root', () => {
  let session: UiSession | undefined;
  let server: SatelliteServer;
  let page: Page;
  let work: string;
  const card = () => page.getByTestId('builtin-ca');
  const dialog = () => page.getByRole('dialog');
  const request = (cn: string) => requestCertificateFor(server, cn);
  /** A certificate the first issuing CA issued, before the new one. */
  let oldCertificateId: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-e2e-new-issuing-'));
    session = await openUiSession();
    ({ server, page } = session);
    await page.getByTestId('nav-services').click();
    await page.getByTestId('builtin-ca-issuing').waitFor();
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the card names the issuing CA that issues now, and says it has no name constraints', async () => {
    expect(await page.getByTestId('builtin-ca-issuing').innerText()).toMatch(/^CN=Keypair Satellite Issuing CA [0-9A-F]{8}, O=Keypair Satellite, valid until /);
    expect(await card().innerText()).toMatch(/None: it can issue for any name its templates allow\. "New issuing CA" makes one that is constrained, under the same root\./);
  });

  it('the dialog says what changes; a bad name is refused on its field, a call without the API key on the key field, and nothing changes', async () => {
    await card().getByTestId('new-issuing-ca').click();
    await dialog().waitFor();
    expect(await dialog().innerText()).toMatch(/The one issuing now \(CN=Keypair Satellite Issuing CA [0-9A-F]{8}, O=Keypair Satellite\) issues nothing more; what it issued stays valid/);
    await checkPage(page, 'new-issuing-ca-dialog');

    await dialog().getByTestId('new-issuing-ca-dns').fill('not a name');
    await dialog().getByTestId('new-issuing-ca-api-key').fill(server.apiKey);
    await dialog().getByTestId('new-issuing-ca-confirm').click();
    const dns = dialog().getByTestId('new-issuing-ca-dns');
    await expect.poll(() => dns.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog().innerText()).toMatch(/Permitted DNS name "not a name" is not a DNS name; give one such as internal\.example\.com/);

    await dns.fill('internal.example.test');
    await dialog().getByTestId('new-issuing-ca-api-key').fill('');
    await dialog().getByTestId('new-issuing-ca-confirm').click();
    const key = dialog().getByTestId('new-issuing-ca-api-key');
    await expect.poll(() => key.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog().innerText()).toMatch(/API key: a new issuing CA changes what signs every certificate from now on/);
    // Unchanged: a name outside is still issued, by the one issuing CA there is.
    const before = await request('www.example.org');
    expect(before.json.certificateRequests?.[0]?.status).toBe('ISSUED');
    oldCertificateId = before.json.certificateRequests![0]!.certificateIds[0]!;
  });

  it('with the API key: the dialog and the card say the constrained issuing CA issues now, and the REST API agrees', async () => {
    await dialog().getByTestId('new-issuing-ca-api-key').fill(server.apiKey);
    await dialog().getByTestId('new-issuing-ca-confirm').click();
    const result = dialog().getByTestId('new-issuing-ca-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.innerText()).toMatch(/CN=Keypair Satellite Issuing CA [0-9A-F]{8} G2, O=Keypair Satellite, valid until .*It may issue only for DNS internal\.example\.test; IP none\. The ones before it answer CRL and OCSP for what they issued\./s);
    await checkPage(page, 'new-issuing-ca-done');
    await dialog().getByTestId('new-issuing-ca-close').click();
    await expect.poll(() => page.getByTestId('builtin-ca-issuing').innerText()).toMatch(/G2, O=Keypair Satellite, valid until .*It replaced one issuing CA, which still signs its CRL \(http:\/\/127\.0\.0\.1:\d+\/pki\/intermediate\.crl\) and OCSP answers for what it issued\./s);
    expect(await card().innerText()).toMatch(/Name constraints\s+DNS internal\.example\.test; IP none/);
    // The CA connectors' health names the issuing CA that issues now, not the one it replaced.
    await expect.poll(() => page.getByTestId('ca-connectors').innerText()).toMatch(/Built-in CA ready: CN=Keypair Satellite Issuing CA [0-9A-F]{8} G2/);
    await checkPage(page, 'services-new-issuing-ca');

    const outside = await request('www.example.org');
    expect(outside.status).toBe(400);
    expect(JSON.stringify(outside.json)).toMatch(/outside the built-in CA's name constraints \(DNS internal\.example\.test; IP none\)/);
    const inside = await request('web.internal.example.test');
    expect(inside.json.certificateRequests?.[0]?.status).toBe('ISSUED');
    const [leaf, issuing, root] = await certificateChainPems(server, inside.json.certificateRequests![0]!.certificateIds[0]!);
    // The same root the PKI listener publishes: nothing new to trust.
    const published = Buffer.from(await (await fetch(`${server.pkiUrl}/pki/root.cer`)).arrayBuffer()).toString('base64');
    expect(root!.replace(/-----[A-Z ]+-----|\s/g, '')).toBe(published);
    writeFileSync(join(work, 'leaf.pem'), leaf!);
    writeFileSync(join(work, 'issuing.pem'), issuing!);
    writeFileSync(join(work, 'root.pem'), root!);
    expect(execFileSync('openssl', ['x509', '-in', 'issuing.pem', '-noout', '-subject'], { cwd: work, encoding: 'utf8' })).toMatch(/Issuing CA [0-9A-F]{8} G2/);
    expect(execFileSync('openssl', ['verify', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'leaf.pem'], { cwd: work, encoding: 'utf8' })).toMatch(/leaf\.pem: OK/);
  });

  it('a certificate of the replaced issuing CA, revoked now, is named on its own CRL in the dialog, and on the CRL Services downloads for that one', async () => {
    await page.goto(`${server.url}/#/certificates/${oldCertificateId}`);
    await page.getByTestId('revoke').click();
    const revoke = page.getByRole('dialog', { name: 'Revoke this certificate?' });
    await revoke.waitFor();
    // What this certificate names: the replaced issuing CA's CRL, not the new one's.
    expect(await revoke.innerText()).toMatch(/will list it in its CRL at http:\/\/127\.0\.0\.1:\d+\/pki\/intermediate\.crl,/);
    await revoke.getByTestId('confirm-danger').click();
    await page.getByRole('heading', { level: 1 }).getByText('REVOKED').waitFor();

    await page.getByTestId('nav-services').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-crl-1').click()]);
    const crl = join(work, download.suggestedFilename());
    await download.saveAs(crl);
    const [leaf] = await certificateChainPems(server, oldCertificateId);
    writeFileSync(join(work, 'old.pem'), leaf!);
    const serial = execFileSync('openssl', ['x509', '-in', 'old.pem', '-noout', '-serial'], { cwd: work, encoding: 'utf8' }).split('=')[1]!.trim();
    const text = execFileSync('openssl', ['crl', '-in', crl, '-noout', '-text'], { cwd: work, encoding: 'utf8' });
    expect(text).toContain(`Serial Number: ${serial}`);
    expect(text).toMatch(/Issuer: CN\s?=\s?Keypair Satellite Issuing CA [0-9A-F]{8}, O/);
    // The current issuing CA's CRL does not list it.
    const [current] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-crl').click()]);
    const currentCrl = join(work, `current-${current.suggestedFilename()}`);
    await current.saveAs(currentCrl);
    expect(execFileSync('openssl', ['crl', '-in', currentCrl, '-noout', '-text'], { cwd: work, encoding: 'utf8' })).not.toContain(serial);
  });
});
