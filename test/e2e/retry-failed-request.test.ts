import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import { createSatellite } from '../../src/main/core/satellite';
import { seedRequestBody } from '../helpers/seed-request';
import { addUnreachableAcmeTemplate, pointAtBuiltinCa } from '../helpers/unreachable-ca';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { checkPage, requireBuiltWebUi } from './page-checks';
import { certificatePem } from './satellite-api';
import { openUiSession, type UiSession } from './session';

// A request its CA could not serve is FAILED with the CA's words and its key kept; once the
// template points at a CA that answers, Retry on the Requests page issues it for the same key.
// The data directory is prepared through the core (an ACME template on a loopback port nothing
// listens on), then the UI takes over.

const COMMON_NAME = 'retry.e2e.example';

describeWithTools([TOOLS.chromium, TOOLS.openssl])('web UI: retrying a failed request from the Requests page', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ks-e2e-retry-'));
  const dekPassphrase = randomBytes(18).toString('base64url');
  let session: UiSession | undefined;
  let page: Page;
  let failedCsr: string;

  beforeAll(async () => {
    requireBuiltWebUi();
    const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase });
    try {
      const { template, applicationId } = await addUnreachableAcmeTemplate(satellite);
      const body = seedRequestBody({ applicationId, certificateIssuingTemplateId: template.id });
      body.csrAttributes = { commonName: COMMON_NAME, subjectAlternativeNamesByType: { dnsNames: [COMMON_NAME] }, keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } };
      const failed = await satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body));
      expect(failed.status).toBe('FAILED');
      failedCsr = failed.certificateSigningRequest!;
      // The administrator points the template at the built-in CA.
      await pointAtBuiltinCa(satellite, template);
    } finally {
      await satellite.close();
    }
    session = await openUiSession({ dataDir, dekPassphrase });
    ({ page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the failure with the CA’s reason, and Retry issues it for the key made the first time', async () => {
    await page.getByTestId('nav-requests').click();
    const row = page.locator(`[data-testid="request-row"][data-cn="${COMMON_NAME}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('FAILED');
    expect(await row.getByTestId('request-error').innerText()).toMatch(/^The CA did not issue: .*127\.0\.0\.1:9/);
    expect(await row.getByTestId('next-auto-retry').innerText()).toMatch(/The satellite tries again by itself at .+; Retry tries now\./);
    await checkPage(page, 'requests-failed');

    await row.getByTestId('retry-request').click();
    await page.locator('.mantine-Notification-root', { hasText: `Retry of ${COMMON_NAME}: ISSUED` }).waitFor({ timeout: 60_000 });
    await expect.poll(() => row.getAttribute('data-status')).toBe('ISSUED');

    await row.getByTestId('open-certificate').click();
    await page.getByTestId('detail-cn').waitFor();
    expect(await page.getByTestId('detail-cn').innerText()).toBe(COMMON_NAME);
    const history = await page.locator('main').innerText();
    expect(history).toMatch(/FAILED[\s\S]*REQUESTED[\s\S]*ISSUED/);
    // The key made before the failure was used: openssl reads the same public key in the CSR and the certificate.
    const id = /#\/certificates\/([0-9a-f-]{36})$/.exec(new URL(page.url()).hash)![1]!;
    const publicKey = (args: string[], input: string) => execFileSync('openssl', args, { input, encoding: 'utf8' });
    expect(publicKey(['x509', '-noout', '-pubkey'], await certificatePem(session!.server, id))).toBe(publicKey(['req', '-noout', '-pubkey'], failedCsr));
  });
});
