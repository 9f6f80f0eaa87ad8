import { createHash } from 'node:crypto';

/** Purpose byte of the RFC 7292 appendix B KDF. */
export const KDF_PURPOSE = { key: 1, iv: 2, mac: 3 } as const;

type Hash = 'sha1' | 'sha256';
const OUTPUT_BYTES: Record<Hash, number> = { sha1: 20, sha256: 32 };
/** Both hashes have a 64-byte input block. */
const BLOCK_BYTES = 64;

/** A PKCS#12 password: BMPString (UTF-16BE) with a two-byte NUL terminator (RFC 7292 B.1). */
export function bmpPassword(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

function repeatToBlocks(input: Buffer): Buffer {
  if (input.length === 0) return Buffer.alloc(0);
  const length = BLOCK_BYTES * Math.ceil(input.length / BLOCK_BYTES);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = input[i % input.length]!;
  return out;
}

/**
 * RFC 7292 appendix B.2: the key, IV and MAC-key derivation used by the PKCS#12 PBE
 * schemes (pbeWithSHAAnd3-KeyTripleDES-CBC) and by every PKCS#12 MAC, SHA-256 ones included.
 * Node's OpenSSL does not expose it, so it is written out here.
 */
export function pkcs12Kdf(hash: Hash, password: string, salt: Uint8Array, iterations: number, purpose: number, length: number): Buffer {
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`PKCS#12 KDF iterations must be a positive integer, got ${iterations}`);
  const u = OUTPUT_BYTES[hash];
  const v = BLOCK_BYTES;
  const pass = bmpPassword(password);
  const d = Buffer.alloc(v, purpose);
  const i = Buffer.concat([repeatToBlocks(Buffer.from(salt)), repeatToBlocks(pass)]);
  pass.fill(0);
  const out = Buffer.alloc(Math.ceil(length / u) * u);
  for (let block = 0; block * u < length; block++) {
    let a = createHash(hash).update(d).update(i).digest();
    for (let r = 1; r < iterations; r++) a = createHash(hash).update(a).digest();
    a.copy(out, block * u);
    if ((block + 1) * u >= length) break;
    // I_j = (I_j + B + 1) mod 2^(8v), with B = A repeated to v bytes.
    const b = Buffer.alloc(v);
    for (let k = 0; k < v; k++) b[k] = a[k % u]!;
    for (let j = 0; j < i.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = i[j + k]! + b[k]! + carry;
        i[j + k] = sum & 0xff;
        carry = sum >>> 8;
      }
    }
  }
  i.fill(0);
  return out.subarray(0, length);
}
