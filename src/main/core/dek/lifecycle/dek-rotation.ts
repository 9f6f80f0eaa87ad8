/*
 * DEK rotation: a new DEK, every sealed blob rewrapped under it, the old DEK retired.
 *
 * Why a crash at any point loses nothing. Two DEK stores take part: `current` (the keychain
 * entry or dek.json the satellite always uses) and `pending` (data-encryption-key.next or
 * dek.next.json). Every write below is durable and atomic on its own: a keychain entry is
 * replaced whole, DEK files are written to a temp file and renamed, and each blob is swapped in
 * its own SQLite transaction (WAL, synchronous=FULL) together with its dekHash column.
 *
 *   1. The new DEK N is written to `pending` and read back. Until then no blob depends on N.
 *   2. Each blob under the old DEK O is opened with O, sealed with N for the same record id, and
 *      swapped by compare-and-swap (only if still under O). Throughout, O is in `current` and N in
 *      `pending`, so every blob, whichever side of the swap it is on, has its DEK in a store. The
 *      per-blob dekHash is the progress record: a resume rewraps exactly the blobs still under O.
 *   3. Only when no blob is left under O is N written over O in `current` and read back. This is
 *      the one moment O leaves the stores, and nothing depends on it any more.
 *   4. meta 'dekHash' := N; the last-backup date is dropped (that backup holds O, now useless).
 *   5. `pending` is removed; N stays in `current`.
 *
 * resumeRotation, run at every start before the key generation service opens, reads `pending`:
 *   - none: no rotation was under way (or step 5 completed);
 *   - `current` already holds N: steps 4 and 5 remain;
 *   - `current` holds O: steps 2..5 remain (step 2 skips the blobs already under N);
 *   - `current` holds nothing (the keychain was wiped meanwhile): if every blob is under N, N is
 *     promoted; otherwise the blobs under O need O from a backup and nothing is changed.
 * A crash inside resumeRotation is resumed the same way: each step is idempotent.
 *
 * Sealing new blobs while a rotation runs would seal them under O; step 2 repeats its pass until
 * none is left under O, but the service layer should hold new key generation while it rotates.
 * Two processes must not rotate the same inventory at once (the app is single-instance).
 */
import { randomBytes } from 'node:crypto';
import type { DataEncryptionKey } from '../data-encryption-key';
import { DEK_LENGTH, type DekStore, type StoredDek } from '../dek-store';
import { DEK_HASH_META, LAST_BACKUP_META } from './meta-keys';
import { VaultError } from '../../vault/vault-errors';
import { readDek, writeAndConfirm } from './dek-material';
import { DekLifecycleError, DekMissingError } from './errors';
import type { SealedBlobRef, SealedBlobRepository } from './sealed-blob-repository';

export type RotationEvent =
  | { phase: 'pending-written'; oldDekHash: string; newDekHash: string; blobs: number }
  | { phase: 'blob-moved'; kind: SealedBlobRef['kind']; id: string; moved: number }
  | { phase: 'all-moved'; moved: number }
  | { phase: 'current-replaced'; newDekHash: string }
  | { phase: 'done'; newDekHash: string };

export interface RotationOptions {
  /** Told of each step; the SIGKILL test uses it to see where a kill landed. */
  onProgress?: (event: RotationEvent) => void;
  now?: () => Date;
}

export interface RotationResult {
  /** Undefined when a resume found only the last steps left and cannot know the old DEK. */
  oldDekHash?: string;
  newDekHash: string;
  /** Blobs rewrapped by this call. */
  moved: number;
  /** This call finished a rotation an earlier run started. */
  resumed: boolean;
}

/** Passes over the blobs before giving up on keys still being sealed under the old DEK. */
const MAX_PASSES = 5;

/**
 * Rotates the DEK in `current` (steps 1..5 above). An interrupted rotation is finished first.
 * Refused, with nothing changed, when the DEK is missing or blobs are under a DEK that is not current.
 */
export async function rotateDek(current: DekStore, pending: DekStore, repository: SealedBlobRepository, options: RotationOptions = {}): Promise<RotationResult> {
  await resumeRotation(current, pending, repository, options);

  const old = await readDek(current);
  const recorded = repository.getMeta(DEK_HASH_META);
  if (!old) throw new DekMissingError(current.backend, recorded);
  if (recorded && recorded !== old.dekHash) {
    throw new DekLifecycleError(
      `${current.backend} holds DEK ${old.dekHash}, but the stored keys are sealed under DEK ${recorded}. Nothing was changed.`,
      `restore DEK ${recorded} from its backup before rotating.`,
    );
  }
  const strays = repository.listSealed().filter((r) => r.dekHash !== old.dekHash);
  if (strays.length > 0) {
    const hashes = [...new Set(strays.map((r) => r.dekHash))].join(', ');
    throw new DekLifecycleError(
      `${strays.length} stored blob(s) are sealed under DEK ${hashes}, not the current DEK ${old.dekHash}. Nothing was changed.`,
      'restore that DEK from its backup, or delete those records, then rotate again.',
    );
  }

  const fresh: StoredDek = { key: randomBytes(DEK_LENGTH), createdAt: (options.now?.() ?? new Date()).toISOString() };
  try {
    await writeAndConfirm(pending, fresh);
  } finally {
    fresh.key.fill(0);
  }
  const next = await readDek(pending);
  if (!next) throw new DekLifecycleError(`${pending.backend} lost the new DEK right after writing it. The old DEK still holds every key.`, 'retry the rotation.');
  options.onProgress?.({ phase: 'pending-written', oldDekHash: old.dekHash, newDekHash: next.dekHash, blobs: repository.listSealed().length });

  const moved = moveAll(old, next, repository, options);
  await promote(next, current, pending, repository, options);
  return { oldDekHash: old.dekHash, newDekHash: next.dekHash, moved, resumed: false };
}

/** Finishes an interrupted rotation (see the top of this file); null when none was under way. */
export async function resumeRotation(current: DekStore, pending: DekStore, repository: SealedBlobRepository, options: RotationOptions = {}): Promise<RotationResult | null> {
  const next = await readDek(pending);
  if (!next) return null;
  const old = await readDek(current);

  if (old?.dekHash === next.dekHash) {
    await finish(next, pending, repository, options);
    return { newDekHash: next.dekHash, moved: 0, resumed: true };
  }
  if (!old) {
    const stranded = repository.listSealed().filter((r) => r.dekHash !== next.dekHash);
    if (stranded.length > 0) {
      throw new DekMissingError(current.backend, stranded[0]!.dekHash);
    }
    await promote(next, current, pending, repository, options);
    return { newDekHash: next.dekHash, moved: 0, resumed: true };
  }
  const moved = moveAll(old, next, repository, options);
  await promote(next, current, pending, repository, options);
  return { oldDekHash: old.dekHash, newDekHash: next.dekHash, moved, resumed: true };
}

// Step 2: rewrap every blob still under `old`, one transaction each.
function moveAll(old: DataEncryptionKey, next: DataEncryptionKey, repository: SealedBlobRepository, options: RotationOptions): number {
  const from = old.sealer();
  const to = next.sealer();
  let moved = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const left = repository.listSealed().filter((r) => r.dekHash === old.dekHash);
    if (left.length === 0) {
      options.onProgress?.({ phase: 'all-moved', moved });
      return moved;
    }
    for (const ref of left) {
      const blob = repository.get(ref.kind, ref.id);
      if (!blob) continue;
      let plaintext: Buffer;
      try {
        plaintext = from.open(ref.id, blob);
      } catch (err) {
        if (!(err instanceof VaultError)) throw err;
        throw new DekLifecycleError(
          `The rotation to DEK ${next.dekHash} stopped at ${ref.kind} ${ref.id}: ${err.message} Both DEKs are kept; no key was lost.`,
          `delete or restore record ${ref.id}, then restart the satellite to finish the rotation.`,
        );
      }
      const sealed = to.seal(ref.id, plaintext);
      plaintext.fill(0);
      if (repository.replace(ref.kind, ref.id, old.dekHash, next.dekHash, sealed) === 'replaced') {
        moved++;
        options.onProgress?.({ phase: 'blob-moved', kind: ref.kind, id: ref.id, moved });
      }
    }
  }
  throw new DekLifecycleError(
    `Blobs were still being sealed under the old DEK ${old.dekHash} after ${MAX_PASSES} passes of the rotation. Both DEKs are kept; no key was lost.`,
    'let running requests finish, then restart the satellite to finish the rotation.',
  );
}

// Step 3: the only place the old DEK leaves the stores; then steps 4 and 5.
async function promote(next: DataEncryptionKey, current: DekStore, pending: DekStore, repository: SealedBlobRepository, options: RotationOptions): Promise<void> {
  const left = repository.listSealed().filter((r) => r.dekHash !== next.dekHash).length;
  if (left > 0) throw new Error(`Internal error: promote with ${left} blob(s) not under DEK ${next.dekHash}; the old DEK was kept.`);
  const stored = await pending.read();
  if (!stored) throw new DekLifecycleError(`${pending.backend} no longer holds the new DEK ${next.dekHash}.`, 'restart the satellite.');
  try {
    await writeAndConfirm(current, stored);
  } finally {
    stored.key.fill(0);
  }
  options.onProgress?.({ phase: 'current-replaced', newDekHash: next.dekHash });
  await finish(next, pending, repository, options);
}

async function finish(next: DataEncryptionKey, pending: DekStore, repository: SealedBlobRepository, options: RotationOptions): Promise<void> {
  repository.setMeta(DEK_HASH_META, next.dekHash);
  repository.deleteMeta(LAST_BACKUP_META);
  await pending.remove();
  options.onProgress?.({ phase: 'done', newDekHash: next.dekHash });
}
