import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { NONCE_LENGTH, TAG_LENGTH, VaultBlobFormatError, dekHashBytes, encodeBlobHeader, parseBlobHeader } from './blob-format';
import { ownSecret } from './own-secret';
import type { Sealer } from './sealer';
import { VaultBlobTamperedError, VaultWrongDekError, VaultWrongRecordError } from './vault-errors';

/** The vault: AES-256-GCM under `vaultKey` (derived from the DEK), header as associated data. */
export class AesGcmSealer implements Sealer {
  readonly dekHash: string;
  /** A KeyObject, not bytes: a cipher made from bytes imports them again each time (about 15 us a seal). */
  readonly #key: KeyObject;

  constructor(vaultKey: Uint8Array, dekHash: string) {
    if (vaultKey.length !== 32) throw new Error(`The vault key must be 32 bytes, got ${vaultKey.length}.`);
    dekHashBytes(dekHash);
    this.#key = createSecretKey(vaultKey);
    this.dekHash = dekHash;
  }

  seal(recordId: string, plaintext: Uint8Array): Buffer {
    const nonce = randomBytes(NONCE_LENGTH);
    const header = encodeBlobHeader(this.dekHash, recordId, nonce);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_LENGTH });
    cipher.setAAD(header);
    return Buffer.concat([header, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  }

  open(recordId: string, blob: Uint8Array): Buffer {
    let header;
    try {
      header = parseBlobHeader(blob);
    } catch (err) {
      if (err instanceof VaultBlobFormatError) throw new VaultBlobTamperedError(recordId, err.message);
      throw err;
    }
    // Without the right DEK nothing else can be checked, so that comes first.
    if (header.dekHash !== this.dekHash) throw new VaultWrongDekError(recordId, header.dekHash, this.dekHash);
    if (header.recordId !== recordId) throw new VaultWrongRecordError(recordId, header.recordId);
    const body = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).subarray(header.bytes.length);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, header.nonce, { authTagLength: TAG_LENGTH });
      decipher.setAAD(header.bytes);
      decipher.setAuthTag(body.subarray(body.length - TAG_LENGTH));
      const head = decipher.update(body.subarray(0, body.length - TAG_LENGTH));
      try {
        return ownSecret(head, decipher.final());
      } finally {
        head.fill(0); // when final() throws (tampered), the unauthenticated plaintext goes too
      }
    } catch {
      throw new VaultBlobTamperedError(recordId, 'AES-GCM authentication failed');
    }
  }

  toJSON(): { dekHash: string } {
    return { dekHash: this.dekHash };
  }

  [inspect.custom](): string {
    return `AesGcmSealer { dekHash: '${this.dekHash}' }`;
  }
}
