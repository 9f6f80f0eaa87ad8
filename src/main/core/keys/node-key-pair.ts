import { generateKeyPair as generateNodeKeyPair, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { KeyTypeParameters } from '../../../shared/key-types';
// Node's crypto names the NIST curves as WebCrypto does (P-256): one table for both.
import { NIST_CURVES } from '../pki/curves';

const generate = promisify(generateNodeKeyPair);

/** A fresh key pair as Node's KeyObjects: what the request pipeline signs its CSR with. */
export interface NodeKeyPair {
  params: KeyTypeParameters;
  privateKey: KeyObject;
  /** The private key as PKCS#8 DER: seal it in the vault at once, never write or log it. */
  pkcs8: Uint8Array;
  /** The public key as SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
}


function generateFor(params: KeyTypeParameters): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> | { privateKey: KeyObject; publicKey: KeyObject } {
  if (params.keyType === 'RSA') return generate('rsa', { modulusLength: params.keyLength, publicExponent: 0x10001 });
  // An EC or Ed25519 key takes tens of microseconds: made here, without the threadpool's round
  // trip, which cost a P-256 request about a quarter of a millisecond.
  if (params.keyCurve === 'ED25519') return generateKeyPairSync('ed25519');
  return generateKeyPairSync('ec', { namedCurve: NIST_CURVES[params.keyCurve].nistName });
}

/**
 * A fresh key pair made by Node's crypto (the same OpenSSL as WebCrypto): RSA as an async job on
 * the libuv threadpool, so its prime search never blocks the event loop; EC and Ed25519 at once.
 * Exported synchronously (WebCrypto's exports are two more threadpool round trips).
 */
export async function generateNodeKeyPairFor(params: KeyTypeParameters): Promise<NodeKeyPair> {
  const { privateKey, publicKey } = await generateFor(params);
  return {
    params,
    privateKey,
    // The exported buffer itself, not a copy, so the caller's wipe reaches the only plaintext.
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'der' }),
    spki: publicKey.export({ type: 'spki', format: 'der' }),
  };
}
