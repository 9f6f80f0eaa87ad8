import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDek } from '../../src/main/core/dek/data-encryption-key';
import { DEFAULT_KEYCHAIN_ACCOUNT, keychainDekStore } from '../../src/main/core/dek/keychain';
import {
  DekBackupMismatchError,
  DekBackupPassphraseError,
  DekLifecycle,
  inventoryBlobRepository,
  pendingKeychainDekStore,
  PENDING_KEYCHAIN_SUFFIX,
} from '../../src/main/core/dek';
import { DEK_HASH_META, DekHolder, LAST_BACKUP_META } from '../../src/main/core/dek';
import { openInventoryStore, type InventoryStore } from '../../src/main/core/store/inventory-store';
import { sqliteSecretVault } from '../../src/main/core/store/secret-vault';
import { createSatellite } from '../../src/main/core/satellite';
import { silentLogger } from '../../src/main/core/common/log';
import { TOOLS, describeWithTools } from '../helpers/tools';

// Backup, a wiped keychain entry, restore, then rotation: against the real Secret Service
// (gnome-keyring under the dbus-run-session `npm test` starts) and a real SQLite inventory.

const PASSPHRASE = 'correct horse battery staple, twice';
const KEYS = 200;
const FAST_BACKUP = 2 ** 14;
const services: string[] = [];
let dir: string;
let inventory: InventoryStore;

function uniqueService(): string {
  const service = `Keypair Satellite lifecycle test ${randomUUID()}`;
  services.push(service);
  return service;
}

function secretTool(...args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync('secret-tool', args, { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout };
}

function lifecycleFor(service: string): DekLifecycle {
  return new DekLifecycle({
    current: keychainDekStore({ service }),
    pending: pendingKeychainDekStore({ service }),
    repository: inventoryBlobRepository(inventory),
    backupScryptN: FAST_BACKUP,
  });
}

/** Every stored key opens under `service`'s DEK and is the private half of the public key kept for it. */
async function expectEveryKeyDecrypts(service: string, publicKeys: Map<string, string>): Promise<number> {
  const keys = await DekHolder.open(keychainDekStore({ service }), inventoryBlobRepository(inventory));
  expect(keys.status.active, keys.status.reason).toBe(true);
  const sealer = keys.sealer();
  let opened = 0;
  for (const { recordId, dekHash } of inventory.listKeyBlobs()) {
    expect(dekHash).toBe(sealer.dekHash);
    const pkcs8 = sealer.open(recordId, inventory.getKeyBlob(recordId)!.blob);
    const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' }).toString('base64');
    expect(spki, recordId).toBe(publicKeys.get(recordId));
    opened++;
  }
  const secrets = sqliteSecretVault(inventory, sealer);
  expect((await secrets.read('acme-account-key'))?.toString()).toBe('acme account key bytes');
  return opened;
}

describeWithTools([TOOLS.secretTool, TOOLS.gnomeKeyring, TOOLS.dbusRunSession])('DEK backup, restore and rotation in the Secret Service', () => {
  beforeAll(() => {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
      throw new Error('No D-Bus session: run this suite through `npm test -- test/integration/dek-lifecycle-keychain.test.ts`, which starts one with an unlocked gnome-keyring.');
    }
    dir = mkdtempSync(join(tmpdir(), 'ks-dek-lifecycle-'));
    inventory = openInventoryStore(join(dir, 'inventory.db'));
  });
  afterAll(() => {
    inventory?.close();
    for (const service of services) secretTool('clear', 'service', service);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`backup, wipe the keychain entry, restore: every one of ${KEYS} keys decrypts; missing DEK, wrong passphrase and another DEK change nothing`, async () => {
    const service = uniqueService();
    const lookup = () => secretTool('lookup', 'service', service, 'username', DEFAULT_KEYCHAIN_ACCOUNT);

    // A first start makes the DEK; keys are generated and sealed under it.
    const first = await DekHolder.open(keychainDekStore({ service }), inventoryBlobRepository(inventory));
    expect(first.status.active).toBe(true);
    const sealer = first.sealer();
    const publicKeys = new Map<string, string>();
    inventory.transaction(() => {
      for (let i = 0; i < KEYS; i++) {
        const id = randomUUID();
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
        inventory.putKeyBlob(id, sealer.dekHash, sealer.seal(id, pkcs8));
        publicKeys.set(id, publicKey.export({ format: 'der', type: 'spki' }).toString('base64'));
      }
    });
    await sqliteSecretVault(inventory, sealer).write('acme-account-key', Buffer.from('acme account key bytes'));
    expect(first.status.nextStep).toMatch(/^Back up the DEK/);

    // Backup: a private file, and the Services page learns the date.
    const backupPath = join(dir, 'dek-backup.json');
    const summary = await lifecycleFor(service).backup(backupPath, PASSPHRASE);
    expect(summary.dekHash).toBe(sealer.dekHash);
    expect(statSync(backupPath).mode & 0o777).toBe(0o600);
    expect(inventory.getMeta(LAST_BACKUP_META)).toBe(summary.createdAt);
    const keychainValue = JSON.parse(lookup().stdout) as { key: string };
    expect(readFileSync(backupPath, 'utf8')).not.toContain(keychainValue.key);

    // The keychain entry is wiped (a new laptop, a reset profile).
    secretTool('clear', 'service', service, 'username', DEFAULT_KEYCHAIN_ACCOUNT);
    expect(lookup()).toMatchObject({ status: 1, stdout: '' });

    // The satellite says so plainly and makes no fresh DEK over the stored keys.
    const missing = await DekHolder.open(keychainDekStore({ service }), inventoryBlobRepository(inventory));
    expect(missing.status.active).toBe(false);
    expect(missing.status.reason).toMatch(new RegExp(`^DEK missing: restore it from a backup. Keys sealed under DEK ${sealer.dekHash} are stored`));
    expect(missing.status.dekHash).toBe(sealer.dekHash);
    expect(() => missing.sealer()).toThrow(/DEK missing: restore it from a backup/);
    expect(lookup()).toMatchObject({ status: 1, stdout: '' });
    expect(await keychainDekStore({ service }).read()).toBeNull();

    // A wrong passphrase: refused, the keychain stays empty, the inventory untouched.
    await expect(lifecycleFor(service).restore(backupPath, 'not the passphrase at all')).rejects.toThrow(DekBackupPassphraseError);
    await expect(lifecycleFor(service).restore(backupPath, 'not the passphrase at all')).rejects.toThrow(/passphrase does not open this backup/);
    expect(lookup()).toMatchObject({ status: 1, stdout: '' });
    expect(inventory.getMeta(DEK_HASH_META)).toBe(sealer.dekHash);

    // A backup of another DEK: refused, naming both DEKs, nothing written.
    const otherService = uniqueService();
    const otherDek = (await openDek(keychainDekStore({ service: otherService }), { create: true }))!;
    const otherPath = join(dir, 'other-dek-backup.json');
    const otherInventory = openInventoryStore(join(dir, 'other.db'));
    try {
      await new DekLifecycle({
        current: keychainDekStore({ service: otherService }),
        pending: pendingKeychainDekStore({ service: otherService }),
        repository: inventoryBlobRepository(otherInventory),
        backupScryptN: FAST_BACKUP,
      }).backup(otherPath, PASSPHRASE);
    } finally {
      otherInventory.close();
    }
    const mismatch = await lifecycleFor(service).restore(otherPath, PASSPHRASE).catch((e: Error) => e);
    expect(mismatch).toBeInstanceOf(DekBackupMismatchError);
    expect((mismatch as Error).message).toContain(`This backup holds DEK ${otherDek.dekHash}, the stored keys are sealed under DEK ${sealer.dekHash}`);
    expect(lookup()).toMatchObject({ status: 1, stdout: '' });

    // The right backup and passphrase: the entry is back (secret-tool sees it) and every key decrypts.
    const restored = await lifecycleFor(service).restore(backupPath, PASSPHRASE);
    expect(restored).toMatchObject({ dekHash: sealer.dekHash, alreadyPresent: false, blobCount: KEYS + 1 });
    expect(restored.verifiedBlob).toBeDefined();
    expect(lookup().status).toBe(0);
    expect(JSON.parse(lookup().stdout).key).toBe(keychainValue.key);
    expect(await expectEveryKeyDecrypts(service, publicKeys)).toBe(KEYS);
  });

  it('rotation in the keychain: every key moves to a new DEK, the .next entry is gone afterwards, the old backup date is dropped', async () => {
    const service = uniqueService();
    const first = await DekHolder.open(keychainDekStore({ service }), inventoryBlobRepository(inventory));
    // The inventory still holds the first test's keys under its DEK: start this one on a fresh inventory.
    expect(first.status.active).toBe(false);
    expect(await keychainDekStore({ service }).read()).toBeNull();

    inventory.close();
    inventory = openInventoryStore(join(dir, 'rotation.db'));
    const keys = await DekHolder.open(keychainDekStore({ service }), inventoryBlobRepository(inventory));
    const sealer = keys.sealer();
    const publicKeys = new Map<string, string>();
    for (let i = 0; i < 20; i++) {
      const id = randomUUID();
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      inventory.putKeyBlob(id, sealer.dekHash, sealer.seal(id, privateKey.export({ format: 'der', type: 'pkcs8' })));
      publicKeys.set(id, publicKey.export({ format: 'der', type: 'spki' }).toString('base64'));
    }
    await sqliteSecretVault(inventory, sealer).write('acme-account-key', Buffer.from('acme account key bytes'));
    await lifecycleFor(service).backup(join(dir, 'rotation-backup.json'), PASSPHRASE);

    const result = await lifecycleFor(service).rotate();
    expect(result).toMatchObject({ oldDekHash: sealer.dekHash, moved: 21, resumed: false });
    expect(result.newDekHash).not.toBe(sealer.dekHash);
    expect(secretTool('lookup', 'service', service, 'username', `${DEFAULT_KEYCHAIN_ACCOUNT}${PENDING_KEYCHAIN_SUFFIX}`)).toMatchObject({ status: 1, stdout: '' });
    expect(inventory.getMeta(DEK_HASH_META)).toBe(result.newDekHash);
    expect(inventory.getMeta(LAST_BACKUP_META)).toBeUndefined();
    expect(await expectEveryKeyDecrypts(service, publicKeys)).toBe(20);
    const after = await DekHolder.open(keychainDekStore({ service }), inventoryBlobRepository(inventory));
    expect(after.status).toMatchObject({ active: true, dekHash: result.newDekHash });
    expect(after.status.nextStep).toMatch(/^Back up the DEK/);
    // The backup of the retired DEK is refused now.
    await expect(lifecycleFor(service).restore(join(dir, 'rotation-backup.json'), PASSPHRASE)).rejects.toThrow(DekBackupMismatchError);
  });

  it('the DEK deleted from the keychain while the satellite runs: Services > Check again (recheck) reports it missing, no new DEK is made', async () => {
    const service = uniqueService();
    const dataDir = join(dir, 'running');
    const satellite = await createSatellite({ dataDir, dekStore: 'keychain', keychain: { service }, log: silentLogger });
    try {
      // A key exists under the DEK, so a new DEK must never replace it.
      await satellite.call('getBuiltinCa', {});
      expect((await satellite.call('getServicesStatus', {})).keyGeneration.active).toBe(true);
      expect(secretTool('clear', 'service', service, 'username', DEFAULT_KEYCHAIN_ACCOUNT).status).toBe(0);
      // Without a recheck the satellite reports what it holds; with one, what the keychain holds.
      expect((await satellite.call('getServicesStatus', {})).keyGeneration.active).toBe(true);
      const rechecked = (await satellite.call('getServicesStatus', { recheck: true })).keyGeneration;
      expect(rechecked.active).toBe(false);
      expect(rechecked.reason).toMatch(/DEK missing/);
      expect(secretTool('lookup', 'service', service, 'username', DEFAULT_KEYCHAIN_ACCOUNT)).toMatchObject({ status: 1, stdout: '' });
    } finally {
      await satellite.close();
    }
  });
});
