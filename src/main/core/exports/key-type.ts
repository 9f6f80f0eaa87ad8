import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { ERROR_CODES } from '../../../shared/error-codes';
import { SatelliteError } from '../common/errors';
import { curveFromOpensslName, NIST_CURVES } from '../pki/curves';

/** The key types whose exports are proven against openssl 3 and keytool 17 (test/integration/exports-*). */
export type ExportableKeyType = 'RSA' | 'EC P-256' | 'EC P-384' | 'EC P-521' | 'Ed25519';

/** "RSA", "EC P-256", ..., or a plain description of a key type we do not export as a keystore. */
export function describeKey(key: KeyObject): { label: string; exportable: ExportableKeyType | null } {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return { label: 'RSA', exportable: 'RSA' };
  if (type === 'ed25519') return { label: 'Ed25519', exportable: 'Ed25519' };
  if (type === 'ec') {
    const name = key.asymmetricKeyDetails?.namedCurve ?? 'unnamed curve';
    const curve = curveFromOpensslName(name);
    return { label: `EC ${name}`, exportable: curve ? (`EC ${NIST_CURVES[curve].nistName}` as ExportableKeyType) : null };
  }
  const names: Record<string, string> = { 'rsa-pss': 'RSA-PSS', ed448: 'Ed448', x25519: 'X25519', x448: 'X448', dsa: 'DSA', dh: 'DH' };
  return { label: names[type ?? ''] ?? String(type), exportable: null };
}

export function privateKeyFromPkcs8(pkcs8: Uint8Array): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(pkcs8.buffer, pkcs8.byteOffset, pkcs8.byteLength), format: 'der', type: 'pkcs8' });
  } catch {
    throw new SatelliteError(ERROR_CODES.INTERNAL, 'pkcs8: the stored private key is not a readable PKCS#8 PrivateKeyInfo', 500);
  }
}

export type KeystoreKind = 'PEM' | 'PKCS#12' | 'JKS';

/**
 * PEM (encrypted PKCS#8) holds any key Node can read and re-check. PKCS#12 and JKS are
 * limited to the key types proven against the real readers (openssl 3, keytool 17): a
 * keystore nobody has opened is worse than a refusal that names the alternative.
 */
export function assertFormatHoldsKey(kind: KeystoreKind, key: KeyObject): ExportableKeyType | string {
  const { label, exportable } = describeKey(key);
  if (kind === 'PEM' || exportable) return exportable ?? label;
  throw new SatelliteError(
    ERROR_CODES.POLICY_VIOLATION,
    `exportFormat: ${kind} cannot be exported for ${label} keys; ${kind} keystores are made for RSA, EC P-256/P-384/P-521 and Ed25519 keys only. Download it as PEM (encrypted PKCS#8) instead.`,
    422,
    { exportFormat: kind, keyType: label },
  );
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

/** True when the private key is the one the certificate was issued for. */
export function keyMatchesCertificate(key: KeyObject, certificateDer: Uint8Array): boolean {
  const certKey = new X509Certificate(Buffer.from(certificateDer)).publicKey;
  return spki(createPublicKey(key)).equals(spki(certKey));
}

export function assertKeyMatchesCertificate(key: KeyObject, certificateDer: Uint8Array, what: string): void {
  if (!keyMatchesCertificate(key, certificateDer)) {
    throw new SatelliteError(ERROR_CODES.VALIDATION, `${what}: the private key does not belong to the certificate (their public keys differ)`, 400);
  }
}
