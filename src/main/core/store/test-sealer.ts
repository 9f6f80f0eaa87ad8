import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Sealer } from '../vault/sealer';

/**
 * FOR TESTS ONLY: a minimal Sealer (AES-256-GCM, record id as AAD) standing in for the vault's
 * real one, so store and CA specs exercise sealed blobs without a keychain.
 */
export function testSealer(dek: Buffer = randomBytes(32)): Sealer {
  const dekHash = createHash('sha256').update(dek).digest('hex').slice(0, 16);
  return {
    dekHash,
    seal(recordId, plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', dek, iv);
      cipher.setAAD(Buffer.from(`${dekHash}|${recordId}`));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(recordId, blob) {
      const b = Buffer.from(blob);
      const decipher = createDecipheriv('aes-256-gcm', dek, b.subarray(0, 12));
      decipher.setAAD(Buffer.from(`${dekHash}|${recordId}`));
      decipher.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([decipher.update(b.subarray(28)), decipher.final()]);
    },
  };
}
