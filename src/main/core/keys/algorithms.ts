import type { KeyTypeParameters } from '../../../shared/key-types';

// WebCrypto algorithm descriptions for each key type. Node 24's WebCrypto implements all of
// them (Ed25519 included), so no polyfill is needed.

const F4 = new Uint8Array([0x01, 0x00, 0x01]);

export const WEBCRYPTO_CURVES = { P256: 'P-256', P384: 'P-384', P521: 'P-521' } as const;

/** The hash each curve is signed with: the one matching its strength (RFC 5480 / 5758). */
export const ECDSA_HASH = { P256: 'SHA-256', P384: 'SHA-384', P521: 'SHA-512' } as const;

export type KeyAlgorithm = RsaHashedKeyGenParams | EcKeyGenParams | Algorithm;

/** The algorithm to generate or import a signing key of these parameters. */
export function keyAlgorithmFor(params: KeyTypeParameters): KeyAlgorithm {
  if (params.keyType === 'RSA') {
    return { name: 'RSASSA-PKCS1-v1_5', modulusLength: params.keyLength, publicExponent: F4, hash: 'SHA-256' };
  }
  if (params.keyCurve === 'ED25519') return { name: 'Ed25519' };
  return { name: 'ECDSA', namedCurve: WEBCRYPTO_CURVES[params.keyCurve] };
}

/** The hash the CSR signature uses; Ed25519 hashes internally (PureEdDSA). */
export function signatureHashFor(params: KeyTypeParameters): 'SHA-256' | 'SHA-384' | 'SHA-512' | undefined {
  if (params.keyType === 'RSA') return 'SHA-256';
  return params.keyCurve === 'ED25519' ? undefined : ECDSA_HASH[params.keyCurve];
}
