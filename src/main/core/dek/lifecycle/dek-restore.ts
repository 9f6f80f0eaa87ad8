import type { DekStore, StoredDek } from '../dek-store';
import { DEK_HASH_META } from './meta-keys';
import { openDekBackup } from './dek-backup';
import { toDek, writeAndConfirm } from './dek-material';
import { DekBackupMismatchError, DekLifecycleError, DekRestoreConflictError } from './errors';
import type { SealedBlobRepository } from './sealed-blob-repository';

export interface RestoreOptions {
  /** Overwrite another DEK in the store even though blobs are sealed under it (they become unreadable). */
  force?: boolean;
}

export interface RestoreResult {
  dekHash: string;
  /** The store already held this very DEK; nothing was written. */
  alreadyPresent: boolean;
  /** The blob opened to prove the restored DEK works, when any is stored. */
  verifiedBlob?: { kind: 'key' | 'secret'; id: string };
  /** Blobs sealed under the restored DEK. */
  blobCount: number;
  /** The DEK the store held before and that was overwritten (force, or no blob under it). */
  replacedDekHash?: string;
}

/** The DEK the stored blobs need: the recorded one, else the one every blob is under. */
export function requiredDekHash(repository: SealedBlobRepository): string | undefined {
  const recorded = repository.getMeta(DEK_HASH_META);
  if (recorded) return recorded;
  const hashes = new Set(repository.listSealed().map((r) => r.dekHash));
  return hashes.size === 1 ? [...hashes][0] : undefined;
}

/**
 * Puts the DEK from a backup into `target`. Refused, with nothing changed: a wrong passphrase; a
 * backup of another DEK than the stored blobs need; a store holding another DEK that blobs still
 * depend on (unless forced). Afterwards the DEK is read back from the store and must open a
 * stored blob; if it does not, the store is put back as it was.
 */
export async function restoreDek(
  backup: Uint8Array,
  passphrase: string,
  target: DekStore,
  repository: SealedBlobRepository,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const restored = await openDekBackup(backup, passphrase);
  const stored: StoredDek = { key: restored.key, createdAt: restored.createdAt };
  try {
    const sealed = repository.listSealed();
    const required = requiredDekHash(repository);
    const blobHashes = new Set(sealed.map((r) => r.dekHash));
    if (required ? required !== restored.dekHash : blobHashes.size > 0 && !blobHashes.has(restored.dekHash)) {
      throw new DekBackupMismatchError(restored.dekHash, required ?? [...blobHashes].join(' / '));
    }

    const previous = await target.read();
    const previousDek = previous ? await toDek(previous, target.backend) : undefined;
    const alreadyPresent = previousDek?.dekHash === restored.dekHash;
    if (previousDek && !alreadyPresent) {
      const dependent = sealed.filter((r) => r.dekHash === previousDek.dekHash).length;
      if (dependent > 0 && !options.force) throw new DekRestoreConflictError(target.backend, previousDek.dekHash, dependent);
    }

    if (!alreadyPresent) await writeAndConfirm(target, stored);
    const underRestored = sealed.filter((r) => r.dekHash === restored.dekHash);
    let verifiedBlob: RestoreResult['verifiedBlob'];
    try {
      verifiedBlob = await proveItOpens(target, restored.dekHash, underRestored, repository);
    } catch (err) {
      if (!alreadyPresent) await (previous ? target.write(previous) : target.remove());
      throw err;
    } finally {
      previous?.key.fill(0);
    }
    if (!repository.getMeta(DEK_HASH_META) && underRestored.length > 0) repository.setMeta(DEK_HASH_META, restored.dekHash);
    return {
      dekHash: restored.dekHash,
      alreadyPresent,
      verifiedBlob,
      blobCount: underRestored.length,
      replacedDekHash: previousDek && !alreadyPresent ? previousDek.dekHash : undefined,
    };
  } finally {
    stored.key.fill(0);
  }
}

// Reads the DEK back from the store (not from memory) and opens one blob with it.
async function proveItOpens(
  target: DekStore,
  dekHash: string,
  candidates: { kind: 'key' | 'secret'; id: string }[],
  repository: SealedBlobRepository,
): Promise<RestoreResult['verifiedBlob']> {
  const back = await target.read();
  if (!back) throw new DekLifecycleError(`${target.backend} lost the restored DEK right after writing it.`, 'check that nothing else manages this keychain entry or file, then retry.');
  try {
    const dek = await toDek(back, target.backend);
    if (dek.dekHash !== dekHash) throw new DekLifecycleError(`${target.backend} returned DEK ${dek.dekHash} instead of the restored ${dekHash}.`, 'check that nothing else manages this keychain entry or file, then retry.');
    for (const c of candidates) {
      const blob = repository.get(c.kind, c.id);
      if (!blob) continue;
      dek.sealer().open(c.id, blob).fill(0);
      return { kind: c.kind, id: c.id };
    }
    return undefined;
  } finally {
    back.key.fill(0);
  }
}
