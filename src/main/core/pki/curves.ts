import type { EcCurve } from '../../../shared/key-types';

// The one table of the NIST curves: the cloud's name (P256), the name NIST, WebCrypto and Node's
// generateKeyPair use (P-256), the name OpenSSL and Node's asymmetricKeyDetails report
// (prime256v1), the size, and the hash ECDSA signs with on it. Ed25519 has no entry: it is not a
// named curve for ECDSA, and every reader checks for it by key type.

export type NistCurve = Exclude<EcCurve, 'ED25519'>;

export interface NistCurveFacts {
  /** As NIST, WebCrypto and node:crypto's generateKeyPair name it. */
  nistName: 'P-256' | 'P-384' | 'P-521';
  /** As OpenSSL (and KeyObject.asymmetricKeyDetails.namedCurve) names it. */
  opensslName: 'prime256v1' | 'secp384r1' | 'secp521r1';
  bits: 256 | 384 | 521;
  /** The namedCurve OID an EC SubjectPublicKeyInfo carries (RFC 5480). */
  oid: '1.2.840.10045.3.1.7' | '1.3.132.0.34' | '1.3.132.0.35';
  /** The hash matching its strength (RFC 5480, RFC 5758). */
  hash: 'SHA-256' | 'SHA-384' | 'SHA-512';
}

export const NIST_CURVES: Readonly<Record<NistCurve, NistCurveFacts>> = {
  P256: { nistName: 'P-256', opensslName: 'prime256v1', bits: 256, hash: 'SHA-256', oid: '1.2.840.10045.3.1.7' },
  P384: { nistName: 'P-384', opensslName: 'secp384r1', bits: 384, hash: 'SHA-384', oid: '1.3.132.0.34' },
  P521: { nistName: 'P-521', opensslName: 'secp521r1', bits: 521, hash: 'SHA-512', oid: '1.3.132.0.35' },
};

function curveWhere(matches: (facts: NistCurveFacts) => boolean): NistCurve | undefined {
  for (const [curve, facts] of Object.entries(NIST_CURVES) as [NistCurve, NistCurveFacts][]) if (matches(facts)) return curve;
  return undefined;
}

/** The curve an OpenSSL / asymmetricKeyDetails name stands for (undefined for one we do not make). */
export const curveFromOpensslName = (name: string | undefined): NistCurve | undefined => curveWhere((facts) => facts.opensslName === name);

/** The curve a namedCurve OID stands for (undefined for one we do not make). */
export const curveFromOid = (oid: string): NistCurve | undefined => curveWhere((facts) => facts.oid === oid);
