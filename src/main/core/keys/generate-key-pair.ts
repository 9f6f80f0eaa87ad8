import type { KeyTypeParameters } from '../../../shared/key-types';
import { keyAlgorithmFor } from './algorithms';

export interface GeneratedKeyPair {
  params: KeyTypeParameters;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The private key as PKCS#8 DER: seal it in the vault at once, never write or log it. */
  pkcs8: Uint8Array;
  /** The public key as SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
}

/**
 * A fresh key pair. Node's WebCrypto generates keys as an async job on the libuv threadpool,
 * so an RSA-4096 key (seconds of work) never blocks the event loop and the UI stays live.
 */
export async function generateKeyPair(params: KeyTypeParameters): Promise<GeneratedKeyPair> {
  const subtle = globalThis.crypto.subtle;
  const pair = (await subtle.generateKey(keyAlgorithmFor(params), true, ['sign', 'verify'])) as CryptoKeyPair;
  const [pkcs8, spki] = await Promise.all([subtle.exportKey('pkcs8', pair.privateKey), subtle.exportKey('spki', pair.publicKey)]);
  return { params, privateKey: pair.privateKey, publicKey: pair.publicKey, pkcs8: new Uint8Array(pkcs8), spki: new Uint8Array(spki) };
}
