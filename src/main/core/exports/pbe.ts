import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { children, int, nul, octets, oid, readInt, readOctets, readOid, seq, type Asn1 } from './asn1';
import { OID } from './oids';
import { KDF_PURPOSE, pkcs12Kdf } from './pkcs12-kdf';

// The two password-based encryption schemes the exporters use, as DER AlgorithmIdentifiers:
// PBES2 (PBKDF2-HMAC-SHA256 + AES-256-CBC, RFC 8018) and pbeWithSHAAnd3-KeyTripleDES-CBC
// (RFC 7292 appendix C). One file, because the readers must dispatch between them.

/**
 * PBKDF2 iterations for PBES2. OpenSSL 3 writes 2048; we write 100 000 (still < 0.1 s per
 * derivation) because these files leave the machine and may meet offline guessing.
 */
export const PBKDF2_ITERATIONS = 100_000;
/** RFC 7292 KDF iterations (3DES bags, every PKCS#12 MAC): Java 17's keytool default. */
export const PKCS12_KDF_ITERATIONS = 10_000;

export type PbeSchemeName = 'PBES2-AES-256-CBC-PBKDF2-HMAC-SHA256' | 'PBE-SHA1-3DES';

export interface Encrypted {
  /** AlgorithmIdentifier ::= SEQUENCE { algorithm, parameters } */
  algorithm: Asn1;
  ciphertext: Buffer;
}

export interface Decrypted {
  plaintext: Buffer;
  scheme: PbeSchemeName;
  iterations: number;
}

export function encryptPbes2(plaintext: Uint8Array, password: string, iterations = PBKDF2_ITERATIONS): Encrypted {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  key.fill(0);
  const algorithm = seq(
    oid(OID.pbes2),
    seq(
      seq(oid(OID.pbkdf2), seq(octets(salt), int(iterations), int(32), seq(oid(OID.hmacWithSha256), nul()))),
      seq(oid(OID.aes256Cbc), octets(iv)),
    ),
  );
  return { algorithm, ciphertext };
}

export function encryptPbeSha13Des(plaintext: Uint8Array, password: string, iterations = PKCS12_KDF_ITERATIONS): Encrypted {
  const salt = randomBytes(8);
  const key = pkcs12Kdf('sha1', password, salt, iterations, KDF_PURPOSE.key, 24);
  const iv = pkcs12Kdf('sha1', password, salt, iterations, KDF_PURPOSE.iv, 8);
  const cipher = createCipheriv('des-ede3-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  key.fill(0);
  return { algorithm: seq(oid(OID.pbeWithShaAnd3KeyTripleDesCbc), seq(octets(salt), int(iterations))), ciphertext };
}

export class WrongPasswordError extends Error {
  constructor(what: string) {
    super(`${what}: the passphrase is wrong or the data is corrupted`);
    this.name = 'WrongPasswordError';
  }
}

function decipher(algorithm: string, key: Buffer, iv: Buffer, ciphertext: Buffer, what: string): Buffer {
  try {
    const d = createDecipheriv(algorithm, key, iv);
    return Buffer.concat([d.update(ciphertext), d.final()]);
  } catch {
    throw new WrongPasswordError(what);
  } finally {
    key.fill(0);
  }
}

/** Decrypts with whichever of the two schemes `algorithm` names; anything else is refused by name. */
export function decryptPbe(algorithm: Asn1, ciphertext: Buffer, password: string, what: string): Decrypted {
  const [algOid, params] = children(algorithm, `${what} AlgorithmIdentifier`, 2);
  const name = readOid(algOid, `${what} algorithm`);
  if (name === OID.pbeWithShaAnd3KeyTripleDesCbc) {
    const [salt, iter] = children(params, `${what} PBEParameter`, 2);
    const saltBytes = readOctets(salt, `${what} salt`);
    const iterations = readInt(iter, `${what} iterations`);
    const key = pkcs12Kdf('sha1', password, saltBytes, iterations, KDF_PURPOSE.key, 24);
    const iv = pkcs12Kdf('sha1', password, saltBytes, iterations, KDF_PURPOSE.iv, 8);
    return { plaintext: decipher('des-ede3-cbc', key, iv, ciphertext, what), scheme: 'PBE-SHA1-3DES', iterations };
  }
  if (name !== OID.pbes2) throw new Error(`${what}: unsupported encryption algorithm ${name}; expected PBES2 or PBE-SHA1-3DES`);
  const [kdf, enc] = children(params, `${what} PBES2-params`, 2);
  const [kdfOid, kdfParams] = children(kdf, `${what} keyDerivationFunc`, 2);
  if (readOid(kdfOid, `${what} KDF`) !== OID.pbkdf2) throw new Error(`${what}: PBES2 key derivation is not PBKDF2`);
  const [salt, iter, ...rest] = children(kdfParams, `${what} PBKDF2-params`, 2);
  const prf = rest.find((n) => n.idBlock.tagNumber === 16);
  if (!prf || readOid(children(prf, `${what} PBKDF2 prf`, 1)[0], `${what} prf`) !== OID.hmacWithSha256) {
    throw new Error(`${what}: PBKDF2 PRF is not HMAC-SHA256`);
  }
  const [encOid, ivNode] = children(enc, `${what} encryptionScheme`, 2);
  if (readOid(encOid, `${what} cipher`) !== OID.aes256Cbc) throw new Error(`${what}: PBES2 cipher is not AES-256-CBC`);
  const iterations = readInt(iter, `${what} iterations`);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), readOctets(salt, `${what} salt`), iterations, 32, 'sha256');
  const plaintext = decipher('aes-256-cbc', key, readOctets(ivNode, `${what} IV`), ciphertext, what);
  return { plaintext, scheme: 'PBES2-AES-256-CBC-PBKDF2-HMAC-SHA256', iterations };
}
