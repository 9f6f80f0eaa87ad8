import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import { createSatellite } from '../../src/main/core/satellite';
import { openInventoryStore } from '../../src/main/core/store';
import { makeOpensslPki } from '../helpers/openssl-pki';
import { seedRequestBody } from '../helpers/seed-request';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { checkPage, requireBuiltWebUi } from './page-checks';
import { inventoryCount } from './satellite-api';
import { openUiSession, type UiSession } from './session';

// "Renew them…" on the Certificates page's renewal banner: two certificates this satellite issued
// and one imported from openssl are all past two thirds of their lifetime (their issue dates are
// moved back in the store: nobody can wait weeks in a test). The two are renewed with progress;
// the imported one is listed with the reason; what is left due is the imported one alone.

const DAY_MS = 86_400_000;
const ISSUED = ['due-1.e2e.example', 'due-2.e2e.example'];
const IMPORTED = 'imported-due.e2e.example';

/** What the certificates name for CRL and OCSP; nothing here fetches them. */
const PKI_BASE_URL = 'http://127.0.0.1:7480';

describeWithTools([TOOLS.chromium, TOOLS.openssl])('web UI: renewing every certificate due from the Certificates page', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ks-e2e-renew-due-'));
  const dekPassphrase = randomBytes(18).toString('base64url');
  let session: UiSession | undefined;
  let page: Page;

  beforeAll(async () => {
    requireBuiltWebUi();
    const ids: string[] = [];
    // With the PKI base URL the server below has: a CA whose intermediate names another (or none)
    // gets it issued again at the next start, and that intermediate joins the inventory with the
    // first renewal, one row more than the renewals this test counts.
    const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase, pkiBaseUrl: PKI_BASE_URL });
    try {
      const [application] = await satellite.call('listApplications', {});
      for (const commonName of ISSUED) {
        const body = seedRequestBody({ applicationId: application!.id, certificateIssuingTemplateId: application!.certificateIssuingTemplateAliasIdMap.Default! });
        body.csrAttributes = { commonName, subjectAlternativeNamesByType: { dnsNames: [commonName] }, keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } };
        const issued = await satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body));
        expect(issued.status).toBe('ISSUED');
        ids.push(issued.certificateIds[0]!);
      }
      mkdirSync(join(dataDir, 'pki'));
      const pki = makeOpensslPki(join(dataDir, 'pki'), 'EC P-256', IMPORTED);
      const imported = await satellite.call('importCertificate', rpcInputSchemas.importCertificate.parse({ applicationId: application!.id, pem: pki.certificatePem + pki.chainPems.join('') }));
      ids.push(imported.id);
    } finally {
      await satellite.close();
    }
    const store = openInventoryStore(join(dataDir, 'inventory.sqlite'));
    try {
      for (const id of ids) store.updateCertificate(id, { validityStart: new Date(Date.now() - 90 * DAY_MS).toISOString() });
    } finally {
      store.close();
    }
    session = await openUiSession({ dataDir, dekPassphrase, extraArgs: ['--pki-base-url', PKI_BASE_URL] });
    ({ page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('renews the two it can with progress, lists the one it cannot with the reason, and leaves only that one due', async () => {
    const before = await inventoryCount(session!.server);
    const banner = page.getByTestId('renewal-due-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('3 certificates are past two thirds of their lifetime');

    await page.getByTestId('renew-due').click();
    const dialog = page.getByRole('dialog', { name: 'Renew the certificates due' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('3 certificates get a new key pair');
    await dialog.getByTestId('renew-due-confirm').click();
    const result = dialog.getByTestId('renew-due-result');
    await result.waitFor({ timeout: 60_000 });
    const text = await result.innerText();
    expect(text).toContain('2 of 3 renewed');
    expect(text).toMatch(new RegExp(`${IMPORTED.replaceAll('.', '\\.')}: certificate [0-9a-f-]{36} was not requested through this satellite; request a new certificate instead`));
    await checkPage(page, 'renew-due-result');
    await dialog.getByTestId('renew-due-close').click();

    await expect.poll(() => banner.innerText()).toContain('1 certificate is past two thirds of its lifetime');
    expect(await inventoryCount(session!.server)).toBe(before + 2);
    await page.getByTestId('show-renewal-due').click();
    await expect.poll(() => page.locator('[data-testid="certificate-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-cn')))).toEqual([IMPORTED]);
  });
});
