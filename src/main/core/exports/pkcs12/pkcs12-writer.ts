import { createHash, createHmac, randomBytes } from 'node:crypto';
import { bmp, der, explicit, implicitOctets, int, nul, octets, oid, parse, seq, setOf, type Asn1 } from '../asn1';
import type { CertificateChain } from '../certificates';
import { encryptPrivateKeyInfo } from '../encrypted-private-key-info';
import { OID } from '../oids';
import { encryptPbes2, encryptPbeSha13Des, PKCS12_KDF_ITERATIONS } from '../pbe';
import { KDF_PURPOSE, pkcs12Kdf } from '../pkcs12-kdf';
import type { Pkcs12ProfileSpec } from './profiles';

// PFX ::= SEQUENCE { version 3, authSafe ContentInfo(data), macData }        (RFC 7292)
// AuthenticatedSafe ::= SEQUENCE OF ContentInfo:
//   1. encryptedData: SafeContents of certBags (EE with friendlyName + localKeyId, then issuers)
//   2. data:          SafeContents of one pkcs8ShroudedKeyBag (friendlyName + localKeyId)
// The same scheme encrypts both, and the MAC covers the AuthenticatedSafe bytes.

export interface Pkcs12WriteInput {
  pkcs8: Uint8Array;
  chain: CertificateChain;
  friendlyName: string;
  password: string;
  profile: Pkcs12ProfileSpec;
}

/** localKeyId ties the key bag to its certificate: the SHA-1 of the certificate, as OpenSSL does. */
export function localKeyIdFor(certificateDer: Uint8Array): Buffer {
  return createHash('sha1').update(certificateDer).digest();
}

function attribute(type: string, value: Asn1): Asn1 {
  return seq(oid(type), setOf(value));
}

function safeBag(bagId: string, value: Asn1, attributes: Asn1[]): Asn1 {
  return attributes.length ? seq(oid(bagId), explicit(0, value), setOf(...attributes)) : seq(oid(bagId), explicit(0, value));
}

function dataContentInfo(content: Uint8Array): Asn1 {
  return seq(oid(OID.data), explicit(0, octets(content)));
}

export function writePkcs12(input: Pkcs12WriteInput): Buffer {
  const { chain, friendlyName, password, profile } = input;
  const keyId = localKeyIdFor(chain.endEntity);
  const identity = [attribute(OID.friendlyName, bmp(friendlyName)), attribute(OID.localKeyId, octets(keyId))];

  const certBag = (certDer: Buffer) => seq(oid(OID.x509Certificate), explicit(0, octets(certDer)));
  const certSafeContents = der(
    seq(safeBag(OID.certBag, certBag(chain.endEntity), identity), ...chain.issuers.map((c) => safeBag(OID.certBag, certBag(c), []))),
  );
  const encryptedCerts = profile.bags === 'PBES2' ? encryptPbes2(certSafeContents, password) : encryptPbeSha13Des(certSafeContents, password);
  const certsContentInfo = seq(
    oid(OID.encryptedData),
    explicit(0, seq(int(0), seq(oid(OID.data), encryptedCerts.algorithm, implicitOctets(0, encryptedCerts.ciphertext)))),
  );

  const shroudedKey = encryptPrivateKeyInfo(input.pkcs8, password, profile.bags);
  const keySafeContents = der(seq(safeBag(OID.pkcs8ShroudedKeyBag, parse(shroudedKey, 'EncryptedPrivateKeyInfo'), identity)));
  const authSafe = der(seq(certsContentInfo, dataContentInfo(keySafeContents)));

  const macSalt = randomBytes(profile.mac === 'sha256' ? 16 : 8);
  const macKey = pkcs12Kdf(profile.mac, password, macSalt, PKCS12_KDF_ITERATIONS, KDF_PURPOSE.mac, profile.mac === 'sha256' ? 32 : 20);
  const mac = createHmac(profile.mac, macKey).update(authSafe).digest();
  macKey.fill(0);
  const macOid = profile.mac === 'sha256' ? OID.sha256 : OID.sha1;
  const macData = seq(seq(seq(oid(macOid), nul()), octets(mac)), octets(macSalt), int(PKCS12_KDF_ITERATIONS));
  return der(seq(int(3), dataContentInfo(authSafe), macData));
}
