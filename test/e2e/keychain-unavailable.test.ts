import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { checkPage } from './page-checks';
import { openUiSession, type UiSession } from './session';

// Issue 6, "Done when": the Services page shows the key generation service Inactive, with its
// reason, when the OS keychain cannot be used. The satellite keeps its DEK in the keychain
// (--dek-store keychain) but its D-Bus session address points at a socket that does not exist.

describeWithTools([TOOLS.chromium])('web UI: Services when the keychain is unavailable', () => {
  let session: UiSession | undefined;
  let page: Page;

  beforeAll(async () => {
    // The helper passes --dek-store file first; the last --dek-store wins.
    session = await openUiSession({ extraArgs: ['--dek-store', 'keychain'], env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' } });
    ({ page } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('shows the key generation service Inactive with the keychain as the reason and what to do next', async () => {
    await page.getByTestId('nav-services').click();
    const card = page.getByTestId('key-generation-service');
    await card.waitFor();
    const state = card.locator('[data-state]');
    await expect.poll(() => state.getAttribute('data-state')).toBe('inactive');
    expect(await state.innerText()).toMatch(/^inactive$/i);

    const reason = await page.getByTestId('key-generation-reason').innerText();
    expect(reason).toContain('is not usable');
    expect(reason).toContain('Secret Service');
    expect(reason).toMatch(/D-Bus/);
    expect(await page.getByTestId('key-generation-next-step').innerText()).toContain('--dek-store file');
    expect(await card.innerText()).toContain('Secret Service (Linux)');
    // The header tells every page the same.
    expect(await page.locator('header').innerText()).toMatch(/Key generation service:\s*Inactive/);
    await checkPage(page, 'services-inactive');
  });

  it('no page invites a request: the empty list and New request say why and link to Services; Submit is disabled', async () => {
    await page.getByTestId('nav-certificates').click();
    const services = page.getByTestId('empty-services-button');
    await services.waitFor();
    expect(await page.getByTestId('empty-request-button').count()).toBe(0);
    expect(await page.locator('main').innerText()).toMatch(/none can be made now.*key generation service is inactive/is);
    await checkPage(page, 'certificates-empty-no-keychain');

    await page.getByTestId('nav-request').click();
    const inactive = page.getByTestId('keygen-inactive');
    await inactive.waitFor();
    expect(await inactive.innerText()).toMatch(/No key pair can be made or sealed now.*Open Services/s);
    expect(await page.getByTestId('submit-request').isDisabled()).toBe(true);
    await checkPage(page, 'new-request-no-keychain');

    await page.getByTestId('nav-settings').click();
    const dek = page.getByTestId('dek-last-backup');
    await dek.waitFor();
    expect(await dek.innerText()).toMatch(/No DEK is open, so there is nothing to back up/);
    expect(await page.getByTestId('dek-backup-card').innerText()).not.toMatch(/Back it up now/);
  });
});
