import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDek, type DataEncryptionKey } from '../data-encryption-key';
import { DEK_HASH_META, LAST_BACKUP_META } from './meta-keys';
import { fakeCertificate, fakeRequest } from '../../store/fixtures';
import { openInventoryStore, type InventoryStore } from '../../store/inventory-store';
import { readBlobDekHash } from '../../vault/blob-format';
import { resumeRotation, rotateDek, type RotationEvent } from './dek-rotation';
import { readDek } from './dek-material';
import { DekLifecycleError, DekMissingError } from './errors';
import { inventoryBlobRepository } from './inventory-blob-repository';
import { CrashPlan, SimulatedCrash, memoryDekStore, sealInventory } from './lifecycle.testkit';

let inventory: InventoryStore;
let current: ReturnType<typeof memoryDekStore>;
let pending: ReturnType<typeof memoryDekStore>;
let old: DataEncryptionKey;
let plain: Map<string, Buffer>;

/** A fresh inventory of 12 keys and 2 secrets sealed under a new DEK, backed up once. */
async function freshInventory(): Promise<void> {
  inventory = openInventoryStore(':memory:');
  current = memoryDekStore('current');
  pending = memoryDekStore('pending');
  old = (await openDek(current, { create: true }))!;
  plain = sealInventory(inventory, old, 12, 2);
  inventory.setMeta(LAST_BACKUP_META, '2026-01-01T00:00:00.000Z');
}

beforeEach(freshInventory);
afterEach(() => inventory.close());

/** The DEK hashes the two stores hold right now. */
async function presentDekHashes(): Promise<Set<string>> {
  const hashes = new Set<string>();
  for (const store of [current, pending]) {
    const dek = await readDek(store);
    if (dek) hashes.add(dek.dekHash);
  }
  return hashes;
}

/** No blob is under a DEK that is in neither store, and the row's dekHash is its header's. */
async function expectNoBlobStranded(): Promise<void> {
  const present = await presentDekHashes();
  const repo = inventoryBlobRepository(inventory);
  for (const ref of repo.listSealed()) {
    expect(present.has(ref.dekHash), `${ref.kind} ${ref.id} under ${ref.dekHash}`).toBe(true);
    expect(readBlobDekHash(repo.get(ref.kind, ref.id)!)).toBe(ref.dekHash);
  }
}

/** Rotation finished: one new DEK, every blob under it and opening to its original bytes. */
async function expectConverged(): Promise<DataEncryptionKey> {
  const now = (await readDek(current))!;
  expect(now.dekHash).not.toBe(old.dekHash);
  expect(pending.peek()).toBeUndefined();
  expect(inventory.getMeta(DEK_HASH_META)).toBe(now.dekHash);
  expect(inventory.getMeta(LAST_BACKUP_META)).toBeUndefined();
  const repo = inventoryBlobRepository(inventory);
  const refs = repo.listSealed();
  expect(refs).toHaveLength(plain.size);
  for (const ref of refs) {
    expect(ref.dekHash).toBe(now.dekHash);
    expect(now.sealer().open(ref.id, repo.get(ref.kind, ref.id)!).equals(plain.get(`${ref.kind}:${ref.id}`)!)).toBe(true);
  }
  return now;
}

describe('rotateDek', () => {
  it('rewraps every key and secret under a new DEK, retires the old one last, and drops the stale backup date', async () => {
    const events: RotationEvent['phase'][] = [];
    const result = await rotateDek(current, pending, inventoryBlobRepository(inventory), { onProgress: (e) => events.push(e.phase) });
    const now = await expectConverged();
    expect(result).toEqual({ oldDekHash: old.dekHash, newDekHash: now.dekHash, moved: 14, resumed: false });
    expect(events[0]).toBe('pending-written');
    expect(events.filter((e) => e === 'blob-moved')).toHaveLength(14);
    expect(events.slice(-3)).toEqual(['all-moved', 'current-replaced', 'done']);
    expect(await presentDekHashes()).toEqual(new Set([now.dekHash]));
  });

  it('moves the dekHash of the request and certificates that own a key along with the blob', async () => {
    const request = fakeRequest({ id: 'req-0000', dekHash: old.dekHash });
    inventory.insertRequest(request);
    const cert = fakeCertificate({ certificateRequestId: request.id, dekHash: old.dekHash });
    inventory.putCertificate(cert, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    const { newDekHash } = await rotateDek(current, pending, inventoryBlobRepository(inventory));
    expect(inventory.getRequest(request.id)!.dekHash).toBe(newDekHash);
    expect(inventory.getCertificate(cert.id)!.dekHash).toBe(newDekHash);
  });

  it('a crash before or after any single change never strands a blob, and the next start finishes the rotation', async () => {
    let completedWithoutCrash = false;
    let crashPoints = 0;
    for (let at = 1; at < 100 && !completedWithoutCrash; at++) {
      for (const when of ['before', 'after'] as const) {
        inventory.close();
        await freshInventory();

        const plan = new CrashPlan(at, when);
        const outcome = await rotateDek(plan.store(current), plan.store(pending), plan.repository(inventoryBlobRepository(inventory))).then(
          () => 'finished' as const,
          (err: unknown) => {
            if (!(err instanceof SimulatedCrash)) throw err;
            return 'crashed' as const;
          },
        );
        if (outcome === 'finished') {
          completedWithoutCrash = true;
          break;
        }
        crashPoints++;
        await expectNoBlobStranded();
        // The restart may itself be cut short once; the one after it must converge.
        await resumeRotation(new CrashPlan(1, 'after').store(current), pending, inventoryBlobRepository(inventory)).catch((err: unknown) => {
          if (!(err instanceof SimulatedCrash)) throw err;
        });
        await expectNoBlobStranded();
        await resumeRotation(current, pending, inventoryBlobRepository(inventory));
        if (at === 1 && when === 'before') {
          // Died before the new DEK was written: the rotation never started and nothing changed.
          expect((await readDek(current))!.dekHash).toBe(old.dekHash);
          expect(pending.peek()).toBeUndefined();
          expect(new Set(inventoryBlobRepository(inventory).listSealed().map((r) => r.dekHash))).toEqual(new Set([old.dekHash]));
        } else {
          await expectConverged();
        }
      }
    }
    expect(completedWithoutCrash).toBe(true);
    // 1 pending write, 14 swaps, 1 current write, 2 meta changes, 1 removal, each before and after.
    expect(crashPoints).toBe(2 * 19);
  });

  it('with no DEK in the store: "DEK missing", and no DEK is made anywhere', async () => {
    await current.remove();
    await expect(rotateDek(current, pending, inventoryBlobRepository(inventory))).rejects.toThrow(DekMissingError);
    await expect(rotateDek(current, pending, inventoryBlobRepository(inventory))).rejects.toThrow(/^DEK missing: restore it from a backup/);
    expect(current.peek()).toBeUndefined();
    expect(pending.peek()).toBeUndefined();
  });

  it('refuses, changing nothing, while blobs are under a DEK that is not current', async () => {
    const stranger = (await openDek(memoryDekStore('x'), { create: true }))!;
    inventory.putKeyBlob('foreign', stranger.dekHash, stranger.sealer().seal('foreign', Buffer.from('k')));
    await expect(rotateDek(current, pending, inventoryBlobRepository(inventory))).rejects.toThrow(
      new RegExp(`1 stored blob\\(s\\) are sealed under DEK ${stranger.dekHash}, not the current DEK ${old.dekHash}`),
    );
    expect(pending.peek()).toBeUndefined();
    expect((await readDek(current))!.dekHash).toBe(old.dekHash);
  });

  it('a blob that does not open stops the rotation with both DEKs kept; once it is dealt with, resume finishes', async () => {
    const repo = inventoryBlobRepository(inventory);
    const bad = Buffer.from(repo.get('key', 'req-0005')!);
    bad[bad.length - 1]! ^= 1;
    inventory.putKeyBlob('req-0005', old.dekHash, bad);
    const err = await rotateDek(current, pending, repo).catch((e: Error) => e);
    expect(err).toBeInstanceOf(DekLifecycleError);
    expect((err as Error).message).toMatch(/stopped at key req-0005: The sealed key of record req-0005 was altered.*Both DEKs are kept/);
    const next = (await readDek(pending))!;
    expect(await presentDekHashes()).toEqual(new Set([old.dekHash, next.dekHash]));
    await expectNoBlobStranded();

    inventory.deleteKeyBlob('req-0005');
    plain.delete('key:req-0005');
    expect((await resumeRotation(current, pending, repo))!.resumed).toBe(true);
    await expectConverged();
  });
});

describe('resumeRotation', () => {
  it('does nothing when no rotation was under way', async () => {
    expect(await resumeRotation(current, pending, inventoryBlobRepository(inventory))).toBeNull();
    expect((await readDek(current))!.dekHash).toBe(old.dekHash);
  });

  it('with the current store wiped mid-rotation and blobs left under the old DEK: says which DEK is missing, changes nothing; after its restore, finishes', async () => {
    const oldStored = { ...current.peek()!, key: Buffer.from(current.peek()!.key) };
    await rotateDek(current, pending, new CrashPlan(7, 'before').repository(inventoryBlobRepository(inventory))).catch(() => undefined);
    await current.remove();
    await expect(resumeRotation(current, pending, inventoryBlobRepository(inventory))).rejects.toThrow(
      new RegExp(`^DEK missing: restore it from a backup. current holds no DEK, and stored keys are sealed under DEK ${old.dekHash}`),
    );
    expect(current.peek()).toBeUndefined();
    expect(pending.peek()).toBeDefined();

    await current.write(oldStored);
    await resumeRotation(current, pending, inventoryBlobRepository(inventory));
    await expectConverged();
  });

  it('with the current store wiped after every blob moved: promotes the new DEK', async () => {
    // Changes: 1 pending write, 14 swaps; die before the 16th (writing the current store).
    const plan = new CrashPlan(16, 'before');
    await rotateDek(plan.store(current), plan.store(pending), plan.repository(inventoryBlobRepository(inventory))).catch((e: unknown) => {
      if (!(e instanceof SimulatedCrash)) throw e;
    });
    await current.remove();
    expect((await resumeRotation(current, pending, inventoryBlobRepository(inventory)))!.resumed).toBe(true);
    await expectConverged();
  });
});
