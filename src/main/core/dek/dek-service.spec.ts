import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/log';
import { openInventoryStore, type InventoryStore } from '../store/inventory-store';
import { DekService } from './dek-service';
import { inventoryBlobRepository } from './lifecycle/inventory-blob-repository';
import { memoryDekStore } from './lifecycle/lifecycle.testkit';

let inventory: InventoryStore;
let changes: number;

async function openService(): Promise<DekService> {
  return DekService.open({
    current: memoryDekStore('current'),
    pending: memoryDekStore('pending'),
    repository: inventoryBlobRepository(inventory),
    log: silentLogger,
    onDekChanged: () => changes++,
  });
}

beforeEach(() => {
  inventory = openInventoryStore(':memory:');
  changes = 0;
});
afterEach(() => inventory.close());

describe('DekService', () => {
  it('opens a fresh DEK on an empty inventory, and warns until a backup is saved', async () => {
    const dek = await openService();
    expect(dek.active).toBe(true);
    expect(dek.status).toMatchObject({ active: true, lastBackupDate: undefined, nextStep: expect.stringMatching(/Back up the DEK/) });
  });

  it('saveBackup records the backup only when save says it was saved (a cancelled dialog records nothing)', async () => {
    const dek = await openService();
    expect(await dek.saveBackup('a long backup passphrase', async () => null)).toBeNull();
    expect(dek.status.lastBackupDate).toBeUndefined();
    const saved = await dek.saveBackup('a long backup passphrase', async (backup) => backup.summary.fileName);
    expect(saved).toMatch(/^keypair-satellite-dek-[0-9a-f]{12}-\d{4}-\d{2}-\d{2}\.json$/);
    expect(dek.status.lastBackupDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await expect(dek.saveBackup('short', async (b) => b)).rejects.toMatchObject({ httpStatus: 400, args: { field: 'passphrase' } });
  });

  it('a rotation waits for key work under way, and work that starts during it waits for the new DEK', async () => {
    const dek = await openService();
    const before = dek.status.dekHash;
    const order: string[] = [];
    let finishFirst!: () => void;
    const first = dek.withDek(async () => {
      order.push('first started');
      await new Promise<void>((resolve) => (finishFirst = resolve));
      order.push(`first sealed under ${dek.sealer().dekHash === before ? 'old' : 'new'}`);
    });
    const rotation = dek.rotate();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = dek.withDek(async () => {
      order.push(`second sealed under ${dek.sealer().dekHash === before ? 'old' : 'new'}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual(['first started']);
    finishFirst();
    await Promise.all([first, rotation, second]);
    expect(order).toEqual(['first started', 'first sealed under old', 'second sealed under new']);
    expect(dek.status.dekHash).not.toBe(before);
    expect(changes).toBe(1);
  });

  it('work that waits longer than its bound runs and is refused by the held DEK with a 503 to retry', async () => {
    const dek = await openService();
    let release!: () => void;
    const blocker = dek.withDek(() => new Promise<void>((resolve) => (release = resolve)));
    const rotation = dek.rotate();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The rotation waits for blocker, so it has not held the DEK yet: a short bound runs the work now.
    await expect(dek.withDek(async () => dek.requireDek().dekHash, 5)).resolves.toBeDefined();
    release();
    await Promise.all([blocker, rotation]);
  });
});
