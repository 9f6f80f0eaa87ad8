import { scrypt } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
}

/** 2^17 with r=8: about 128 MiB and a few hundred milliseconds, OWASP's scrypt floor. */
export const DEFAULT_SCRYPT_N = 2 ** 17;
export const SCRYPT_R = 8;
export const SCRYPT_P = 1;
// Bounds also guard reads: a file must not talk us into a weak key or a huge allocation.
export const MIN_SCRYPT_N = 2 ** 14;
export const MAX_SCRYPT_N = 2 ** 20;
export const SALT_LENGTH = 16;

/** Why these parameters are unacceptable, or null. */
export function scryptParamsProblem(p: { N: unknown; r: unknown; p: unknown; saltLength: number }): string | null {
  if (typeof p.N !== 'number' || !Number.isInteger(p.N) || p.N < MIN_SCRYPT_N || p.N > MAX_SCRYPT_N || (p.N & (p.N - 1)) !== 0) {
    return `scrypt N=${String(p.N)} must be a power of two between ${MIN_SCRYPT_N} and ${MAX_SCRYPT_N}`;
  }
  if (typeof p.r !== 'number' || !Number.isInteger(p.r) || p.r < 1 || p.r > 32) return `scrypt r=${String(p.r)} must be 1..32`;
  if (typeof p.p !== 'number' || !Number.isInteger(p.p) || p.p < 1 || p.p > 16) return `scrypt p=${String(p.p)} must be 1..16`;
  if (p.saltLength < SALT_LENGTH) return `the scrypt salt is ${p.saltLength} bytes, expected at least ${SALT_LENGTH}`;
  return null;
}

/** A 32-byte key from the passphrase, off the main thread (libuv pool). */
export function deriveWrappingKey(passphrase: string, params: ScryptParams): Promise<Buffer> {
  const maxmem = 256 * params.N * params.r * params.p;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), params.salt, 32, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}
