import { generateKeyPair as generateNodeKeyPair, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { KeyTypeParameters } from '../../../shared/key-types';
import { childrenOf, contentOf, contextTag, DerError, encodingOf, readOid, readWhole, sequence, TAG } from '../pki/der';
import { OID } from '../pki/oids';
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
 * The SubjectPublicKeyInfo of an EC key just made here, put together from its PKCS#8: the
 * AlgorithmIdentifier as encoded and the public point its ECPrivateKey carries ([1], RFC 5915),
 * which OpenSSL always writes. OpenSSL's own SPKI export costs 50-60 us a key (it looks its
 * encoder up every time); this takes a few. Only for a key OpenSSL made a moment ago: a PKCS#8
 * from elsewhere could carry a point that is not its key's, so imports never come here.
 * Undefined when the point is left out, and OpenSSL's export is used.
 */
function spkiOfFreshEcKey(pkcs8: Uint8Array): Buffer | undefined {
  try {
    const what = 'PKCS#8';
    const [, algorithm, privateKey] = childrenOf(pkcs8, readWhole(pkcs8, TAG.sequence, what), what);
    if (!algorithm || !privateKey || privateKey.tag !== TAG.octetString) return undefined;
    const [algorithmId] = childrenOf(pkcs8, algorithm, what);
    if (!algorithmId || readOid(pkcs8, algorithmId, what) !== OID.ecPublicKey) return undefined;
    const ecPrivateKey = contentOf(pkcs8, privateKey);
    const fields = childrenOf(ecPrivateKey, readWhole(ecPrivateKey, TAG.sequence, 'ECPrivateKey'), 'ECPrivateKey');
    const publicKeyField = fields.find((f) => f.tag === contextTag(1, true));
    if (!publicKeyField) return undefined;
    const [point] = childrenOf(ecPrivateKey, publicKeyField, 'ECPrivateKey publicKey');
    if (!point || point.tag !== TAG.bitString) return undefined;
    return sequence(encodingOf(pkcs8, algorithm), encodingOf(ecPrivateKey, point));
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}

/**
 * A fresh key pair made by Node's crypto (the same OpenSSL as WebCrypto): RSA as an async job on
 * the libuv threadpool, so its prime search never blocks the event loop; EC and Ed25519 at once.
 * Exported synchronously (WebCrypto's exports are two more threadpool round trips).
 */
export async function generateNodeKeyPairFor(params: KeyTypeParameters): Promise<NodeKeyPair> {
  const { privateKey, publicKey } = await generateFor(params);
  // The exported buffer itself, not a copy, so the caller's wipe reaches the only plaintext.
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = (params.keyType === 'EC' && params.keyCurve !== 'ED25519' && spkiOfFreshEcKey(pkcs8)) || publicKey.export({ type: 'spki', format: 'der' });
  return { params, privateKey, pkcs8, spki };
}
