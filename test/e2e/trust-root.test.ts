import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SatelliteServer } from '../helpers/satellite-server';
import { makeThrowawayTrustStores, type ThrowawayTrustStores } from '../helpers/throwaway-trust-stores';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { checkPage } from './page-checks';
import { openUiSession, type UiSession } from './session';

// "Trust on this computer" on Services, as mkcert -install does from a command line: in real
// Chromium against the headless satellite, the person asks, is asked for the API key (the stores
// are the satellite's machine's, not the tab's), sees each store's outcome in the dialog, and the
// card says where the root is trusted; certutil, keytool and the rebuilt system bundle agree.
// Then "Stop trusting" takes it out of each again. Every store is a throwaway copy.

const CERTUTIL = { command: 'certutil', install: 'apt-get install libnss3-tools' };
const UPDATE_CA = { command: 'update-ca-certificates', install: 'apt-get install ca-certificates' };

describeWithTools([TOOLS.chromium, TOOLS.keytool, CERTUTIL, UPDATE_CA])('web UI: trusting the built-in CA on this computer', () => {
  let work: string;
  let stores: ThrowawayTrustStores;
  let session: UiSession | undefined;
  let server: SatelliteServer;
  let page: Page;

  const nssNicknames = () => execFileSync('certutil', ['-L', '-d', `sql:${join(stores.home, '.pki', 'nssdb')}`], { encoding: 'utf8' });
  const javaAliases = () => execFileSync('keytool', ['-list', '-keystore', stores.cacerts, '-storepass', 'changeit'], { encoding: 'utf8' });
  /** The root's body, as it would sit in the system bundle. */
  let rootBody: string;
  const card = () => page.getByTestId('builtin-ca');
  /** The dialog's outcome of each store, e.g. "nss done", once it shows them. */
  const stepOutcomes = async () => {
    const steps = dialog().getByTestId('trust-root-steps');
    await steps.waitFor({ timeout: 60_000 });
    return { steps, outcomes: await steps.locator('[data-store]').evaluateAll((items) => items.map((i) => `${i.getAttribute('data-store')} ${i.getAttribute('data-outcome')}`)) };
  };
  const dialog = () => page.getByRole('dialog');

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-e2e-trust-'));
    stores = makeThrowawayTrustStores(work);
    session = await openUiSession({ extraArgs: stores.args });
    ({ server, page } = session);
    await page.getByTestId('nav-services').click();
    await page.getByTestId('builtin-ca-trusted-in').waitFor();
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('says the root is not trusted here yet, and what to do', async () => {
    expect(await page.getByTestId('builtin-ca-trusted-in').innerText()).toBe('Not by this satellite. Until the root is in this computer\'s trust stores, browsers and programs here refuse its certificates: use "Trust on this computer" below.');
    // The root as the PKI listener publishes it (DER), in the lines of base64 a PEM bundle holds.
    const der = Buffer.from(await (await fetch(`${server.pkiUrl}/pki/root.cer`)).arrayBuffer());
    rootBody = der.toString('base64').match(/.{1,64}/g)!.join('\n');
    expect(readFileSync(stores.bundle, 'utf8')).not.toContain(rootBody);
  });

  it('without the API key, refuses on the key field and changes no store', async () => {
    await card().getByTestId('trust-root').click();
    await dialog().waitFor();
    await dialog().getByTestId('trust-root-confirm').click();
    const key = dialog().getByTestId('trust-root-api-key');
    await expect.poll(() => key.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog().innerText()).toMatch(/API key: trusting the built-in CA changes the trust stores of the computer the satellite runs on/);
    expect(nssNicknames()).not.toMatch(/Keypair Satellite root/);
    expect(javaAliases()).not.toMatch(/keypair satellite root/i);
  });

  it('with the API key, trusts the root in the system store, NSS and Java, says so store by store, and the stores agree', async () => {
    await dialog().getByTestId('trust-root-api-key').fill(server.apiKey);
    await dialog().getByTestId('trust-root-confirm').click();
    const { steps, outcomes } = await stepOutcomes();
    expect(outcomes, await steps.innerText()).toEqual(['system done', 'nss done', 'java done']);
    expect(await steps.innerText()).toContain(join(stores.home, '.pki', 'nssdb'));
    await checkPage(page, 'trust-root-done');

    // What the real tools say of the stores.
    expect(nssNicknames()).toMatch(/Keypair Satellite root [0-9a-f]{12}\s+C,,/);
    expect(javaAliases()).toMatch(/keypair satellite root [0-9a-f]{12}/i);
    expect(readFileSync(stores.bundle, 'utf8')).toContain(rootBody);

    await dialog().getByTestId('trust-root-close').click();
    await expect.poll(() => page.getByTestId('builtin-ca-trusted-in').innerText()).toMatch(/^Added by this satellite to system store: .*; NSS: .*\.pki\/nssdb; Java: .*cacerts$/);
    await card().getByTestId('untrust-root').waitFor();
    await checkPage(page, 'services-root-trusted');
  });

  it('"Stop trusting" removes it from each store again', async () => {
    await card().getByTestId('untrust-root').click();
    await dialog().getByTestId('trust-root-api-key').fill(server.apiKey);
    await dialog().getByTestId('trust-root-confirm').click();
    const { steps, outcomes } = await stepOutcomes();
    expect(outcomes, await steps.innerText()).toEqual(['system done', 'nss done', 'java done']);
    expect(nssNicknames()).not.toMatch(/Keypair Satellite root/);
    expect(javaAliases()).not.toMatch(/keypair satellite root/i);
    expect(readFileSync(stores.bundle, 'utf8')).not.toContain(rootBody);
    await dialog().getByTestId('trust-root-close').click();
    await expect.poll(() => page.getByTestId('builtin-ca-trusted-in').innerText()).toMatch(/^Not by this satellite/);
    await card().getByTestId('trust-root').waitFor();
  });
});
