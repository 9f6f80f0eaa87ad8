import { toPem } from '../pki/pem';
import { decryptPrivateKeyInfo, encryptPrivateKeyInfo } from './encrypted-private-key-info';
import { PBKDF2_ITERATIONS, type Decrypted } from './pbe';

export const PEM_KEY_SCHEME = `encrypted PKCS#8 (PBES2: AES-256-CBC + PBKDF2-HMAC-SHA256, ${PBKDF2_ITERATIONS} iterations)`;

/** `-----BEGIN ENCRYPTED PRIVATE KEY-----`: what OpenSSL 3 writes by default, read by Go, Java 9+ and Node. */
export function encryptedPemKey(pkcs8: Uint8Array, passphrase: string): string {
  return toPem(encryptPrivateKeyInfo(pkcs8, passphrase, 'PBES2'), 'ENCRYPTED PRIVATE KEY');
}

const ENCRYPTED_KEY_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END ENCRYPTED PRIVATE KEY-----/;

export function readEncryptedPemKey(pem: string, passphrase: string): Decrypted {
  const m = ENCRYPTED_KEY_PEM.exec(pem);
  if (!m) throw new Error('PEM key: no ENCRYPTED PRIVATE KEY block');
  return decryptPrivateKeyInfo(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'), passphrase);
}
