import { createPublicKey, type KeyObject } from 'node:crypto';
import { toPem } from './pem';

/**
 * Node's KeyObject for a SubjectPublicKeyInfo (DER). Handed to Node as PEM text rather than as
 * `{ key, format: 'der', type: 'spki' }`: Node 24 reads the object form about twice as slowly
 * (measured 35 against 18 us for a P-256 key, 30 against 13 for RSA), and the CA reads one for
 * every CSR it signs. OpenSSL parses the same DER either way.
 */
export function publicKeyFromSpki(spki: Uint8Array): KeyObject {
  return createPublicKey(toPem(spki, 'PUBLIC KEY'));
}
