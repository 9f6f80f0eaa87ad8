// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect
// metadata polyfill loaded first; the built-in CA imports x509 only through this module.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { CRL_EXTENSION_OID } from '../../pki/oids';

// Node's global WebCrypto (Node 24 and Electron 45 have Ed25519, which CSR checks need).
const webcrypto = globalThis.crypto;
x509.cryptoProvider.set(webcrypto);

export { x509 };
export const subtle = webcrypto.subtle;

/** The CA's own keys: ECDSA P-384, signing with SHA-384. */
export const CA_KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-384' } as const;
export const CA_SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-384' } as const;

/**
 * Whether `key` is the private key of `certificate`: signs a probe and checks it with the
 * certificate's public key. Keys and certificates live in different places, and a CA must never
 * sign with a key its certificate does not name.
 */
export async function caKeyMatchesCertificate(key: CryptoKey, certificate: x509.X509Certificate): Promise<boolean> {
  const probe = new TextEncoder().encode('keypair-satellite builtin-ca key check');
  const signature = await subtle.sign(CA_SIGNING_ALGORITHM, key, probe);
  const publicKey = await certificate.publicKey.export(CA_KEY_ALGORITHM, ['verify']);
  return subtle.verify(CA_SIGNING_ALGORITHM, publicKey, signature, probe);
}

/** A random positive 128-bit serial whose DER INTEGER needs no sign octet (RFC 5280 4.1.2.2). */
export function randomSerialHex(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! % 0x7f) + 1; // 0x01..0x7f: positive, and never a leading zero octet
  return Buffer.from(bytes).toString('hex');
}

/** DER of a small non-negative INTEGER (the CRL number). */
export function derInteger(n: number): Uint8Array<ArrayBuffer> {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const body = Buffer.from(hex, 'hex');
  const value = body[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body;
  return Buffer.concat([Buffer.from([0x02, value.length]), value]);
}

/** The CRL number extension (RFC 5280 5.2.3): non-critical, increasing with each CRL of one issuer. */
export function crlNumberExtension(n: number): x509.Extension {
  return new x509.Extension(CRL_EXTENSION_OID.crlNumber, false, derInteger(n));
}

/** PEM ending in a newline, so PEMs concatenate into a valid bundle. */
export function toPem(der: ArrayBuffer, label: 'CERTIFICATE' | 'X509 CRL'): string {
  const pem = x509.PemConverter.encode(der, label);
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}
