import type { KeyTypeParameters } from '../../../shared/key-types';
import { NIST_CURVES } from '../pki/curves';

// WebCrypto algorithm descriptions for each key type. Node 24's WebCrypto implements all of
// them (Ed25519 included), so no polyfill is needed.

const F4 = new Uint8Array([0x01, 0x00, 0x01]);


export type KeyAlgorithm = RsaHashedKeyGenParams | EcKeyGenParams | Algorithm;

/** The algorithm to generate or import a signing key of these parameters. */
export function keyAlgorithmFor(params: KeyTypeParameters): KeyAlgorithm {
  if (params.keyType === 'RSA') {
    return { name: 'RSASSA-PKCS1-v1_5', modulusLength: params.keyLength, publicExponent: F4, hash: 'SHA-256' };
  }
  if (params.keyCurve === 'ED25519') return { name: 'Ed25519' };
  return { name: 'ECDSA', namedCurve: NIST_CURVES[params.keyCurve].nistName };
}

/** The hash the CSR signature uses; Ed25519 hashes internally (PureEdDSA). */
export function signatureHashFor(params: KeyTypeParameters): 'SHA-256' | 'SHA-384' | 'SHA-512' | undefined {
  if (params.keyType === 'RSA') return 'SHA-256';
  return params.keyCurve === 'ED25519' ? undefined : NIST_CURVES[params.keyCurve].hash;
}
