import { createHash, hkdfSync } from 'node:crypto';

// Every key the satellite uses comes from the DEK through HKDF-SHA256 with its own label,
// so learning one derived value (the public dekHash, the vault key) says nothing of the others.
export const HKDF_INFO = {
  dekHash: 'keypair-satellite/dek-hash/v1',
  vaultKey: 'keypair-satellite/vault-aes256gcm/v1',
  edgeX25519: 'keypair-satellite/edge-x25519/v1',
} as const;

export function hkdf32(dek: Uint8Array, info: string): Buffer {
  // Empty salt: the DEK is already 32 uniformly random bytes (RFC 5869, section 3.1).
  return Buffer.from(hkdfSync('sha256', dek, Buffer.alloc(0), info, 32));
}

/** The DEK's public fingerprint: hex SHA-256 of a dedicated HKDF output. Not reversible. */
export function computeDekHash(dek: Uint8Array): string {
  const material = hkdf32(dek, HKDF_INFO.dekHash);
  try {
    return createHash('sha256').update(material).digest('hex');
  } finally {
    material.fill(0);
  }
}

/** A stable, UUID-shaped id for the edge public key (RFC 9562 version 8, name-based). */
export function computeEdgeKeyId(edgePublicKey: Uint8Array): string {
  const h = createHash('sha256').update('keypair-satellite/edge-key-id/v1').update(edgePublicKey).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
