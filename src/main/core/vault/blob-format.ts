// A sealed blob:
//   magic "KSVB" (4) | version 1 (1) | dekHash (32) | recordId length, u16 BE (2) | recordId UTF-8
//   | nonce (12) | AES-256-GCM ciphertext | tag (16)
// The whole header is the GCM associated data, so the record id and dekHash are bound to
// the ciphertext; they are also readable without the key, for clear errors and DEK rotation.

export const BLOB_MAGIC = Buffer.from('KSVB', 'ascii');
export const BLOB_VERSION = 1;
export const DEK_HASH_BYTES = 32;
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;
export const MAX_RECORD_ID_BYTES = 1024;

export interface BlobHeader {
  version: number;
  /** Lower-case hex. */
  dekHash: string;
  recordId: string;
  nonce: Buffer;
  /** The header's exact bytes: the associated data. */
  bytes: Buffer;
}

/** Not a vault blob at all (truncated, wrong magic, unknown version). */
export class VaultBlobFormatError extends Error {
  constructor(problem: string) {
    super(`Not a Keypair Satellite vault blob: ${problem}.`);
    this.name = 'VaultBlobFormatError';
  }
}

export function dekHashBytes(dekHash: string): Buffer {
  if (!/^[0-9a-f]{64}$/.test(dekHash)) throw new Error(`A dekHash must be 64 lower-case hex characters, got "${dekHash}".`);
  return Buffer.from(dekHash, 'hex');
}

export function encodeBlobHeader(dekHash: string, recordId: string, nonce: Buffer): Buffer {
  const id = Buffer.from(recordId, 'utf8');
  if (id.length === 0 || id.length > MAX_RECORD_ID_BYTES) {
    throw new Error(`A vault record id must be 1..${MAX_RECORD_ID_BYTES} bytes of UTF-8, got ${id.length}.`);
  }
  if (nonce.length !== NONCE_LENGTH) throw new Error(`A vault nonce must be ${NONCE_LENGTH} bytes.`);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(id.length);
  return Buffer.concat([BLOB_MAGIC, Buffer.of(BLOB_VERSION), dekHashBytes(dekHash), length, id, nonce]);
}

export function parseBlobHeader(blob: Uint8Array): BlobHeader {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const fixed = BLOB_MAGIC.length + 1 + DEK_HASH_BYTES + 2;
  if (b.length < fixed) throw new VaultBlobFormatError(`${b.length} bytes is shorter than the header`);
  if (!b.subarray(0, BLOB_MAGIC.length).equals(BLOB_MAGIC)) throw new VaultBlobFormatError('wrong magic bytes');
  const version = b[BLOB_MAGIC.length]!;
  if (version !== BLOB_VERSION) throw new VaultBlobFormatError(`unknown version ${version}`);
  const dekStart = BLOB_MAGIC.length + 1;
  const dekHash = b.subarray(dekStart, dekStart + DEK_HASH_BYTES).toString('hex');
  const idLength = b.readUInt16BE(dekStart + DEK_HASH_BYTES);
  const idStart = fixed;
  const nonceStart = idStart + idLength;
  const headerEnd = nonceStart + NONCE_LENGTH;
  if (idLength === 0 || idLength > MAX_RECORD_ID_BYTES) throw new VaultBlobFormatError(`record id length ${idLength} out of range`);
  if (b.length < headerEnd + TAG_LENGTH) throw new VaultBlobFormatError('truncated');
  return {
    version,
    dekHash,
    recordId: b.subarray(idStart, nonceStart).toString('utf8'),
    nonce: Buffer.from(b.subarray(nonceStart, headerEnd)),
    bytes: Buffer.from(b.subarray(0, headerEnd)),
  };
}

/** The dekHash a blob was sealed under, without opening it (DEK rotation needs this). */
export function readBlobDekHash(blob: Uint8Array): string {
  return parseBlobHeader(blob).dekHash;
}
