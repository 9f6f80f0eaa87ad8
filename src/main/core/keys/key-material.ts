import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { KeyTypeParameters } from '../../../shared/key-types';
import { curveFromOpensslName } from '../pki/curves';
import { publicKeyFromSpki } from '../pki/public-key';
import { keyAlgorithmFor } from './algorithms';

// Key bytes in and out: which parameters a key has, the public half of a stored private key,
// and whether two public keys are the same (to match a certificate to its key).

/** A key the satellite cannot issue for (RSA 1024, secp256k1, DSA, ...). */
export class UnsupportedKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedKeyError';
  }
}

const SUPPORTED = 'use RSA 2048, 3072 or 4096, EC P-256, P-384 or P-521, or Ed25519';

function keyTypeParametersOf(key: KeyObject): KeyTypeParameters {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const bits = details.modulusLength;
      if (bits === 2048 || bits === 3072 || bits === 4096) return { keyType: 'RSA', keyLength: bits };
      throw new UnsupportedKeyError(`an RSA ${bits ?? '?'}-bit key is not supported: ${SUPPORTED}`);
    }
    case 'ec': {
      const curve = curveFromOpensslName(details.namedCurve);
      if (curve) return { keyType: 'EC', keyCurve: curve };
      throw new UnsupportedKeyError(`an EC key on curve ${details.namedCurve ?? '?'} is not supported: ${SUPPORTED}`);
    }
    case 'ed25519':
      return { keyType: 'EC', keyCurve: 'ED25519' };
    default:
      throw new UnsupportedKeyError(`a ${key.asymmetricKeyType ?? 'unknown'} key is not supported: ${SUPPORTED}`);
  }
}

const privateKeyFromPkcs8 = (pkcs8: Uint8Array) => createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });

/** The key type of a SubjectPublicKeyInfo (DER); throws UnsupportedKeyError for other keys. */
export function keyTypeParametersFromSpki(spki: Uint8Array): KeyTypeParameters {
  return keyTypeParametersOf(publicKeyFromSpki(spki));
}

/** The SubjectPublicKeyInfo (DER) of a PKCS#8 private key. */
export function spkiFromPkcs8(pkcs8: Uint8Array): Uint8Array {
  return new Uint8Array(createPublicKey(privateKeyFromPkcs8(pkcs8)).export({ type: 'spki', format: 'der' }));
}

/** Whether two SubjectPublicKeyInfos (DER) hold the same public key. */
export function publicKeysEqual(a: Uint8Array, b: Uint8Array): boolean {
  const [keyA, keyB] = [publicKeyFromSpki(a), publicKeyFromSpki(b)];
  // KeyObject.equals throws for keys of different types rather than answering false.
  return keyA.asymmetricKeyType === keyB.asymmetricKeyType && keyA.equals(keyB);
}

/** A non-extractable WebCrypto signing key from PKCS#8 (e.g. just opened from the vault). */
export function importPrivateKey(pkcs8: Uint8Array, params: KeyTypeParameters): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('pkcs8', new Uint8Array(pkcs8), keyAlgorithmFor(params), false, ['sign']);
}

/** The whole pair back from a stored PKCS#8, e.g. to sign a renewal CSR with the same key. */
export async function keyPairFromPkcs8(pkcs8: Uint8Array): Promise<GeneratedKeyPair> {
  const params = keyTypeParametersOf(privateKeyFromPkcs8(pkcs8));
  const spki = spkiFromPkcs8(pkcs8);
  const [privateKey, publicKey] = await Promise.all([
    importPrivateKey(pkcs8, params),
    globalThis.crypto.subtle.importKey('spki', new Uint8Array(spki), keyAlgorithmFor(params), true, ['verify']),
  ]);
  return { params, privateKey, publicKey, pkcs8: new Uint8Array(pkcs8), spki };
}

/** A key pair as WebCrypto keys, with its DER encodings (renewal CSRs signed with a stored key). */
export interface GeneratedKeyPair {
  params: KeyTypeParameters;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The private key as PKCS#8 DER: seal it in the vault at once, never write or log it. */
  pkcs8: Uint8Array;
  /** The public key as SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
}
