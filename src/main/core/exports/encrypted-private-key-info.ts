import { children, der, octets, parse, readOctets, seq } from './asn1';
import { decryptPbe, encryptPbes2, encryptPbeSha13Des, type Decrypted } from './pbe';

/** How a private key is encrypted inside an EncryptedPrivateKeyInfo. */
export type KeyEncryption = 'PBES2' | 'PBE-SHA1-3DES';

/** PKCS#8 EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }, DER. */
export function encryptPrivateKeyInfo(pkcs8: Uint8Array, password: string, scheme: KeyEncryption): Buffer {
  const { algorithm, ciphertext } = scheme === 'PBES2' ? encryptPbes2(pkcs8, password) : encryptPbeSha13Des(pkcs8, password);
  return der(seq(algorithm, octets(ciphertext)));
}

/** The PrivateKeyInfo DER and the scheme that protected it. The caller wipes `plaintext`. */
export function decryptPrivateKeyInfo(epki: Uint8Array, password: string): Decrypted {
  const [algorithm, data] = children(parse(epki, 'EncryptedPrivateKeyInfo'), 'EncryptedPrivateKeyInfo', 2);
  return decryptPbe(algorithm!, readOctets(data, 'EncryptedPrivateKeyInfo encryptedData'), password, 'EncryptedPrivateKeyInfo');
}
