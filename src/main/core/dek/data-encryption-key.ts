import { randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import sodium from 'libsodium-wrappers';
import { AesGcmSealer } from '../vault/aes-gcm-sealer';
import { ownSecret } from '../vault/own-secret';
import type { Sealer } from '../vault/sealer';
import { DEK_LENGTH, DekStoreUnavailableError, type DekStore, type StoredDek } from './dek-store';
import { HKDF_INFO, computeDekHash, computeEdgeKeyId, hkdf32 } from './derive';

/** A sealed box that does not open under this satellite's edge key. */
export class SealedBoxOpenError extends Error {
  constructor(edgeKeyId: string, dekHash: string, problem: string) {
    super(
      `The sealed value cannot be opened with edge key ${edgeKeyId}: ${problem}. ` +
        `Seal it with crypto_box_seal to the key from GET /v1/edgeencryptionkeys/${dekHash}.`,
    );
    this.name = 'SealedBoxOpenError';
  }
}

/**
 * The DEK and what is derived from it. The raw key and the private halves live in private
 * fields: they never show in JSON, inspect, toString or any error message.
 */
export class DataEncryptionKey {
  readonly dekHash: string;
  readonly createdAt: string;
  /** Human name of the store holding the DEK. */
  readonly backend: string;
  readonly edgeKeyId: string;
  readonly #dek: Buffer;
  readonly #vaultKey: Buffer;
  readonly #edgePrivateKey: Uint8Array;
  readonly #edgePublicKey: Uint8Array;

  /** Use openDek; libsodium must be ready before this runs. */
  constructor(stored: StoredDek, backend: string) {
    if (stored.key.length !== DEK_LENGTH) throw new Error(`A DEK must be ${DEK_LENGTH} bytes, got ${stored.key.length}.`);
    // A copy of its own, outside Node's shared Buffer pool (own-secret.ts); the stored copy is the caller's.
    this.#dek = ownSecret(Uint8Array.from(stored.key));
    this.createdAt = stored.createdAt;
    this.backend = backend;
    this.dekHash = computeDekHash(this.#dek);
    this.#vaultKey = hkdf32(this.#dek, HKDF_INFO.vaultKey);
    // Any 32 bytes are an X25519 private key; scalar multiplication clamps them.
    this.#edgePrivateKey = new Uint8Array(hkdf32(this.#dek, HKDF_INFO.edgeX25519));
    this.#edgePublicKey = sodium.crypto_scalarmult_base(this.#edgePrivateKey);
    this.edgeKeyId = computeEdgeKeyId(this.#edgePublicKey);
  }

  /** Raw 32-byte X25519 public key clients seal passphrases to (edgeencryptionkeys' `key`). */
  get edgePublicKey(): Uint8Array {
    return new Uint8Array(this.#edgePublicKey);
  }

  get edgePublicKeyBase64(): string {
    return Buffer.from(this.#edgePublicKey).toString('base64');
  }

  /** Opens a libsodium crypto_box_seal ciphertext (base64) sealed to edgePublicKey. */
  openSealedBox(base64: string): Buffer {
    const text = base64.trim();
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
      throw new SealedBoxOpenError(this.edgeKeyId, this.dekHash, 'the value is not base64');
    }
    const sealed = Buffer.from(text, 'base64');
    if (sealed.length < sodium.crypto_box_SEALBYTES) {
      throw new SealedBoxOpenError(this.edgeKeyId, this.dekHash, `${sealed.length} bytes is shorter than a sealed box`);
    }
    try {
      return Buffer.from(sodium.crypto_box_seal_open(sealed, this.#edgePublicKey, this.#edgePrivateKey));
    } catch {
      throw new SealedBoxOpenError(this.edgeKeyId, this.dekHash, 'it was sealed to another key or altered');
    }
  }

  /** The vault for this DEK. */
  sealer(): Sealer {
    return new AesGcmSealer(this.#vaultKey, this.dekHash);
  }

  toJSON(): Record<string, string> {
    return { dekHash: this.dekHash, createdAt: this.createdAt, backend: this.backend, edgeKeyId: this.edgeKeyId, edgePublicKey: this.edgePublicKeyBase64 };
  }

  toString(): string {
    return `DataEncryptionKey(${this.dekHash})`;
  }

  [inspect.custom](): string {
    return `DataEncryptionKey ${JSON.stringify(this.toJSON())}`;
  }
}

/**
 * The DEK from `store`. When the store holds none: with `create`, 32 new random bytes are
 * written and read back; without, null (the caller reports "DEK missing" and must never make a
 * fresh DEK over blobs sealed under a lost one). A store that cannot be used throws
 * DekStoreUnavailableError and nothing is created.
 */
export async function openDek(store: DekStore, opts: { create: boolean }): Promise<DataEncryptionKey | null> {
  await sodium.ready;
  const existing = await store.read();
  if (existing) return new DataEncryptionKey(existing, store.backend);
  if (!opts.create) return null;

  const fresh: StoredDek = { key: randomBytes(DEK_LENGTH), createdAt: new Date().toISOString() };
  try {
    await store.write(fresh);
    const confirmed = await store.read();
    if (!confirmed || confirmed.key.length !== DEK_LENGTH || !timingSafeEqual(confirmed.key, fresh.key)) {
      throw new DekStoreUnavailableError(
        store.backend,
        'it accepted the new DEK but does not return the same value',
        'check that nothing else manages this keychain entry or file, then retry',
      );
    }
    return new DataEncryptionKey(confirmed, store.backend);
  } finally {
    fresh.key.fill(0);
  }
}
