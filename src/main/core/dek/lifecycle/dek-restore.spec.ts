import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDek, type DataEncryptionKey } from '../data-encryption-key';
import { DEK_HASH_META } from './meta-keys';
import { openInventoryStore, type InventoryStore } from '../../store/inventory-store';
import { backupDek } from './dek-backup';
import { readDek } from './dek-material';
import { restoreDek } from './dek-restore';
import { DekBackupMismatchError, DekBackupPassphraseError, DekRestoreConflictError } from './errors';
import { inventoryBlobRepository } from './inventory-blob-repository';
import { memoryDekStore, sealInventory } from './lifecycle.testkit';

const PASS = 'backup passphrase for tests';
const FAST = { scryptN: 2 ** 14 };
let inventory: InventoryStore;
let source: ReturnType<typeof memoryDekStore>;
let dek: DataEncryptionKey;
let backup: Buffer;
let plain: Map<string, Buffer>;

beforeEach(async () => {
  inventory = openInventoryStore(':memory:');
  source = memoryDekStore('old machine');
  dek = (await openDek(source, { create: true }))!;
  plain = sealInventory(inventory, dek, 5, 1);
  backup = await backupDek(source, PASS, FAST);
});
afterEach(() => inventory.close());

describe('restoreDek', () => {
  it('puts the DEK into an empty store, reads it back and opens a stored blob with it', async () => {
    const target = memoryDekStore('new machine');
    const result = await restoreDek(backup, PASS, target, inventoryBlobRepository(inventory));
    expect(result).toEqual({ dekHash: dek.dekHash, alreadyPresent: false, verifiedBlob: { kind: 'key', id: 'req-0000' }, blobCount: 6, replacedDekHash: undefined });
    const back = (await readDek(target))!;
    expect(back.dekHash).toBe(dek.dekHash);
    expect(back.createdAt).toBe(dek.createdAt);
    expect(back.sealer().open('req-0003', inventory.getKeyBlob('req-0003')!.blob).equals(plain.get('key:req-0003')!)).toBe(true);
  });

  it('a wrong passphrase is refused and changes nothing', async () => {
    const target = memoryDekStore('new machine');
    await expect(restoreDek(backup, 'the wrong passphrase', target, inventoryBlobRepository(inventory))).rejects.toThrow(DekBackupPassphraseError);
    expect(target.peek()).toBeUndefined();
    expect(inventory.getMeta(DEK_HASH_META)).toBe(dek.dekHash);
  });

  it('a backup of another DEK is refused, naming both DEKs, and changes nothing', async () => {
    const other = memoryDekStore('elsewhere');
    const otherDek = (await openDek(other, { create: true }))!;
    const target = memoryDekStore('new machine');
    const err = await restoreDek(await backupDek(other, PASS, FAST), PASS, target, inventoryBlobRepository(inventory)).catch((e: Error) => e);
    expect(err).toBeInstanceOf(DekBackupMismatchError);
    expect((err as Error).message).toBe(
      `This backup holds DEK ${otherDek.dekHash}, the stored keys are sealed under DEK ${dek.dekHash}. Nothing was changed. Fix: restore the backup of DEK ${dek.dekHash}.`,
    );
    expect(target.peek()).toBeUndefined();
  });

  it('without meta, compares with the dekHash the blobs are under', async () => {
    inventory.deleteMeta(DEK_HASH_META);
    const other = memoryDekStore('elsewhere');
    await openDek(other, { create: true });
    await expect(restoreDek(await backupDek(other, PASS, FAST), PASS, memoryDekStore('t'), inventoryBlobRepository(inventory))).rejects.toThrow(
      DekBackupMismatchError,
    );
    const target = memoryDekStore('t2');
    await restoreDek(backup, PASS, target, inventoryBlobRepository(inventory));
    expect(inventory.getMeta(DEK_HASH_META)).toBe(dek.dekHash);
  });

  it('a store holding another DEK with blobs under it is left alone unless forced', async () => {
    const target = memoryDekStore('busy');
    const squatter = (await openDek(target, { create: true }))!;
    inventory.putKeyBlob('squat', squatter.dekHash, squatter.sealer().seal('squat', Buffer.from('k')));
    await expect(restoreDek(backup, PASS, target, inventoryBlobRepository(inventory))).rejects.toThrow(DekRestoreConflictError);
    expect((await readDek(target))!.dekHash).toBe(squatter.dekHash);
    const forced = await restoreDek(backup, PASS, target, inventoryBlobRepository(inventory), { force: true });
    expect(forced.replacedDekHash).toBe(squatter.dekHash);
    expect((await readDek(target))!.dekHash).toBe(dek.dekHash);
  });

  it('a store already holding this DEK is not rewritten; one holding an unused DEK is overwritten', async () => {
    expect((await restoreDek(backup, PASS, source, inventoryBlobRepository(inventory))).alreadyPresent).toBe(true);
    const target = memoryDekStore('fresh');
    const unused = (await openDek(target, { create: true }))!;
    const result = await restoreDek(backup, PASS, target, inventoryBlobRepository(inventory));
    expect(result.replacedDekHash).toBe(unused.dekHash);
    expect((await readDek(target))!.dekHash).toBe(dek.dekHash);
  });

  it('when the stored blob does not open, the store is put back as it was', async () => {
    for (const ref of inventoryBlobRepository(inventory).listSealed()) {
      const blob = Buffer.from(inventoryBlobRepository(inventory).get(ref.kind, ref.id)!);
      blob[blob.length - 1]! ^= 1;
      if (ref.kind === 'key') inventory.putKeyBlob(ref.id, dek.dekHash, blob);
      else inventory.putSecret(ref.id, dek.dekHash, blob);
    }
    const target = memoryDekStore('new machine');
    await expect(restoreDek(backup, PASS, target, inventoryBlobRepository(inventory))).rejects.toThrow(/altered or is corrupt/);
    expect(target.peek()).toBeUndefined();
  });
});
