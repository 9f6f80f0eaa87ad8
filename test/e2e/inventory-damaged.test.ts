import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSatelliteServer } from '../helpers/satellite-server';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { checkPage } from './page-checks';
import { openUiSession, type UiSession } from './session';

// Issue 14: an inventory file that is no longer a database. The satellite still starts, and
// Services puts the damage first, naming the file and the way out, in real Chromium.

describeWithTools([TOOLS.chromium])('web UI: Services with a damaged inventory', () => {
  let session: UiSession | undefined;
  let page: Page;
  let work: string;
  let file: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-e2e-damaged-'));
    const dataDir = join(work, 'data');
    const first = await startSatelliteServer({ dataDir });
    await first.kill();
    file = join(dataDir, 'inventory.sqlite');
    writeFileSync(file, randomBytes(64 * 1024));
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    session = await openUiSession({ dataDir, dekPassphrase: first.dekPassphrase });
    ({ page } = session);
  });

  afterAll(async () => {
    await session?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('shows the inventory Damaged first, with the file and what to do', async () => {
    await page.getByTestId('nav-services').click();
    const card = page.getByTestId('inventory-status');
    await card.waitFor();
    expect(await card.getAttribute('data-state')).toBe('damaged');
    const text = await card.innerText();
    expect(text).toMatch(/^damaged$/im);
    expect(text).toMatch(/Inventory damaged: .*Writes are refused so nothing more is lost/s);
    expect(text).toContain(`put back a copy of ${file}`);
    // It comes before everything else on the page.
    const order = await page.locator('[data-testid="inventory-status"], [data-testid="key-generation-service"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(order[0]).toBe('inventory-status');
    await checkPage(page, 'services-inventory-damaged');
  });
});
