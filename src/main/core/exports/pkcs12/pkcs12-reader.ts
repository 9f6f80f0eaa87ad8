import { createHmac, timingSafeEqual } from 'node:crypto';
import { children, parse, readBmp, readExplicit, readInt, readOctets, readOid, type Asn1 } from '../asn1';
import { decryptPrivateKeyInfo } from '../encrypted-private-key-info';
import { OID } from '../oids';
import { decryptPbe, WrongPasswordError, type PbeSchemeName } from '../pbe';
import { KDF_PURPOSE, pkcs12Kdf } from '../pkcs12-kdf';

// Reads back what pkcs12-writer writes (and other producers' PBES2 / 3DES files): checks the
// MAC first, then decrypts every bag, recording which scheme protected each one.

export interface Pkcs12Certificate {
  der: Buffer;
  friendlyName?: string;
  localKeyId?: Buffer;
}

export interface Pkcs12Contents {
  /** PrivateKeyInfo DER; the caller wipes it. */
  pkcs8: Buffer;
  keyFriendlyName?: string;
  keyLocalKeyId?: Buffer;
  certificates: Pkcs12Certificate[];
  /** One entry per encrypted bag or SafeContents. */
  schemes: PbeSchemeName[];
  mac: 'sha1' | 'sha256';
  macIterations: number;
}

function contentOf(contentInfo: Asn1 | undefined, what: string): { type: string; content: Asn1 } {
  const [type, content] = children(contentInfo, what, 2);
  return { type: readOid(type, `${what} contentType`), content: readExplicit(content, 0, what) };
}

function attributesOf(bag: Asn1[]): { friendlyName?: string; localKeyId?: Buffer } {
  const out: { friendlyName?: string; localKeyId?: Buffer } = {};
  const attrs = bag[2];
  if (!attrs) return out;
  for (const attr of children(attrs, 'bagAttributes')) {
    const [type, values] = children(attr, 'bag attribute', 2);
    const value = children(values, 'bag attribute values', 1)[0];
    const name = readOid(type, 'bag attribute type');
    if (name === OID.friendlyName) out.friendlyName = readBmp(value, 'friendlyName');
    if (name === OID.localKeyId) out.localKeyId = readOctets(value, 'localKeyId');
  }
  return out;
}

function verifyMac(macData: Asn1 | undefined, authSafe: Buffer, password: string): { mac: 'sha1' | 'sha256'; iterations: number } {
  if (!macData) throw new Error('PKCS#12: the file has no MAC; refusing a keystore without integrity protection');
  const [digestInfo, saltNode, iterNode] = children(macData, 'MacData', 2);
  const [alg, digestNode] = children(digestInfo, 'MAC DigestInfo', 2);
  const macOid = readOid(children(alg, 'MAC algorithm', 1)[0], 'MAC algorithm');
  const mac = macOid === OID.sha256 ? 'sha256' : macOid === OID.sha1 ? 'sha1' : null;
  if (!mac) throw new Error(`PKCS#12: unsupported MAC digest ${macOid}; expected SHA-1 or SHA-256`);
  const iterations = iterNode ? readInt(iterNode, 'MAC iterations') : 1;
  const key = pkcs12Kdf(mac, password, readOctets(saltNode, 'MAC salt'), iterations, KDF_PURPOSE.mac, mac === 'sha256' ? 32 : 20);
  const actual = createHmac(mac, key).update(authSafe).digest();
  key.fill(0);
  const expected = readOctets(digestNode, 'MAC digest');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw new WrongPasswordError('PKCS#12 MAC');
  return { mac, iterations };
}

export function readPkcs12(bytes: Uint8Array, password: string): Pkcs12Contents {
  const [version, authSafeInfo, macData] = children(parse(bytes, 'PFX'), 'PFX', 2);
  if (readInt(version, 'PFX version') !== 3) throw new Error('PKCS#12: PFX version is not 3');
  const outer = contentOf(authSafeInfo, 'PFX authSafe');
  if (outer.type !== OID.data) throw new Error('PKCS#12: authSafe is not a data ContentInfo (public-key integrity mode is not supported)');
  const authSafe = readOctets(outer.content, 'authSafe content');
  const { mac, iterations: macIterations } = verifyMac(macData, authSafe, password);

  const schemes: PbeSchemeName[] = [];
  const certificates: Pkcs12Certificate[] = [];
  let key: Pick<Pkcs12Contents, 'pkcs8' | 'keyFriendlyName' | 'keyLocalKeyId'> | undefined;

  for (const contentInfo of children(parse(authSafe, 'AuthenticatedSafe'), 'AuthenticatedSafe', 1)) {
    const { type, content } = contentOf(contentInfo, 'AuthenticatedSafe ContentInfo');
    let safeContents: Buffer;
    if (type === OID.data) {
      safeContents = readOctets(content, 'SafeContents');
    } else if (type === OID.encryptedData) {
      const [, eci] = children(content, 'EncryptedData', 2);
      const [, algorithm, encrypted] = children(eci, 'EncryptedContentInfo', 3);
      const d = decryptPbe(algorithm!, readOctets(encrypted, 'encryptedContent'), password, 'PKCS#12 encrypted SafeContents');
      schemes.push(d.scheme);
      safeContents = d.plaintext;
    } else {
      throw new Error(`PKCS#12: unsupported ContentInfo type ${type}`);
    }
    for (const bagNode of children(parse(safeContents, 'SafeContents'), 'SafeContents')) {
      const bag = children(bagNode, 'SafeBag', 2);
      const bagId = readOid(bag[0], 'bagId');
      const value = readExplicit(bag[1], 0, 'bagValue');
      const attrs = attributesOf(bag);
      if (bagId === OID.pkcs8ShroudedKeyBag) {
        if (key) throw new Error('PKCS#12: more than one private key');
        const d = decryptPrivateKeyInfo(Buffer.from(value.valueBeforeDecodeView), password);
        schemes.push(d.scheme);
        key = { pkcs8: d.plaintext, keyFriendlyName: attrs.friendlyName, keyLocalKeyId: attrs.localKeyId };
      } else if (bagId === OID.certBag) {
        const [certType, certValue] = children(value, 'CertBag', 2);
        if (readOid(certType, 'certId') !== OID.x509Certificate) throw new Error('PKCS#12: certificate bag is not X.509');
        certificates.push({ der: readOctets(readExplicit(certValue, 0, 'certValue'), 'certValue'), ...attrs });
      } else {
        throw new Error(`PKCS#12: unexpected bag type ${bagId}`);
      }
    }
  }
  if (!key) throw new Error('PKCS#12: the file holds no private key');
  return { ...key, certificates, schemes, mac, macIterations };
}
