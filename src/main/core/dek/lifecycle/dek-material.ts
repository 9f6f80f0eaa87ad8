import { timingSafeEqual } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { DataEncryptionKey } from '../data-encryption-key';
import { DEK_LENGTH, DekStoreUnavailableError, type DekStore, type StoredDek } from '../dek-store';

/** The DEK object for stored bytes (libsodium must be ready before the edge key is derived). */
export async function toDek(stored: StoredDek, backend: string): Promise<DataEncryptionKey> {
  await sodium.ready;
  return new DataEncryptionKey(stored, backend);
}

/** The DEK in `store`, or null; a store that cannot be used throws DekStoreUnavailableError. */
export async function readDek(store: DekStore): Promise<DataEncryptionKey | null> {
  const stored = await store.read();
  if (!stored) return null;
  try {
    return await toDek(stored, store.backend);
  } finally {
    stored.key.fill(0);
  }
}

/**
 * Writes `dek` and reads it back: a store that returns anything else (a keychain that silently
 * dropped the write, a file another process replaced) fails here, before anything depends on it.
 */
export async function writeAndConfirm(store: DekStore, dek: StoredDek): Promise<void> {
  await store.write(dek);
  const back = await store.read();
  try {
    if (!back || back.key.length !== DEK_LENGTH || !timingSafeEqual(back.key, dek.key)) {
      throw new DekStoreUnavailableError(
        store.backend,
        'it accepted the DEK but does not return the same value',
        'check that nothing else manages this keychain entry or file, then retry',
      );
    }
  } finally {
    back?.key.fill(0);
  }
}
