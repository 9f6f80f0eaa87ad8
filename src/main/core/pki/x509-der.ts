import { childrenOf, contentOf, contextTag, DerError, encodingOf, expectTag, readOid, readWhole, TAG, type Tlv } from './der';
import { curveFromOid } from './curves';
import { EXTENSION_OID, GENERAL_NAME, OID } from './oids';

// Reading the parts of X.509 the inventory records on every request: names, SANs and where they
// sit in a certificate. Values come out exactly as @peculiar/x509 prints them, so both readers
// agree; a value of a kind not handled here throws DerError, and callers fall back to the full parser.

/** Attribute types by OID, as @peculiar/x509 names them. */
const NAME_TYPES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.4': 'SN',
  '2.5.4.12': 'T',
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function ascii(value: Uint8Array, what: string): string {
  for (const b of value) if (b > 0x7f) throw new DerError(`${what}: a non-ASCII byte in an ASCII string`);
  return Buffer.from(value).toString('latin1');
}

function directoryString(bytes: Uint8Array, tlv: Tlv, what: string): string {
  const value = contentOf(bytes, tlv);
  if (tlv.tag === TAG.utf8String) {
    try {
      return utf8.decode(value);
    } catch {
      throw new DerError(`${what}: a UTF8String that is not UTF-8`);
    }
  }
  if (tlv.tag === TAG.printableString || tlv.tag === TAG.ia5String) return ascii(value, what);
  // BMPString (UCS-2, big-endian), as some Windows tools write names.
  if (tlv.tag === 0x1e && value.length % 2 === 0) return Buffer.from(value).swap16().toString('utf16le');
  throw new DerError(`${what}: string type 0x${tlv.tag.toString(16)} is left to the full parser`);
}

/** One attribute of a distinguished name: its short type (CN, O, ...; the OID when unnamed) and its text. */
export interface NameAttribute {
  type: string;
  value: string;
}

/** A Name (RDNSequence) as RDNs of attributes, in encoded order. */
export function readName(bytes: Uint8Array, name: Tlv, what = 'Name'): NameAttribute[][] {
  return childrenOf(bytes, expectTag(name, TAG.sequence, what), what).map((rdn) =>
    childrenOf(bytes, expectTag(rdn, TAG.set, what), what).map((atv) => {
      const [type, value, ...rest] = childrenOf(bytes, expectTag(atv, TAG.sequence, what), what);
      if (!type || !value || rest.length > 0) throw new DerError(`${what}: an attribute must be a type and a value`);
      const oid = readOid(bytes, type, what);
      return { type: NAME_TYPES[oid] ?? oid, value: directoryString(bytes, value, what) };
    }),
  );
}

/** A GeneralName of the kinds the pipeline writes, with its value as text. */
export interface GeneralNameItem {
  type: 'dns' | 'email' | 'url' | 'ip';
  value: string;
}

/** IPv6 text as @peculiar/x509 writes it: lower-case hex words, the longest run (2+) of zero words as "::". */
function formatIpv6(bytes: Uint8Array): string {
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === '0') j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  if (bestLength < 2) return words.join(':');
  return `${words.slice(0, bestStart).join(':')}::${words.slice(bestStart + bestLength).join(':')}`;
}

/**
 * The GeneralNames inside a subjectAltName extension value. dNSName, rfc822Name and URI are
 * IA5Strings; iPAddress is 4 or 16 bytes. Other kinds throw DerError (left to the full parser).
 */
export function readGeneralNames(value: Uint8Array, what = 'subjectAltName'): GeneralNameItem[] {
  const list = readWhole(value, TAG.sequence, what);
  return childrenOf(value, list, what).map((name) => {
    const content = contentOf(value, name);
    switch (name.tag) {
      case contextTag(GENERAL_NAME.dNSName, false):
        return { type: 'dns', value: ascii(content, what) };
      case contextTag(GENERAL_NAME.rfc822Name, false):
        return { type: 'email', value: ascii(content, what) };
      case contextTag(GENERAL_NAME.uniformResourceIdentifier, false):
        return { type: 'url', value: ascii(content, what) };
      case contextTag(GENERAL_NAME.iPAddress, false):
        if (content.length === 4) return { type: 'ip', value: Array.from(content).join('.') };
        if (content.length === 16) return { type: 'ip', value: formatIpv6(content) };
        throw new DerError(`${what}: an iPAddress of ${content.length} bytes`);
      default:
        throw new DerError(`${what}: GeneralName tag 0x${name.tag.toString(16)} is left to the full parser`);
    }
  });
}

/** Where a certificate's issuer, subject and extensions sit. */
export interface CertificateParts {
  bytes: Uint8Array;
  issuer: Tlv;
  subject: Tlv;
  subjectPublicKeyInfo: Tlv;
  /** Each extension: its OID, criticality and value (the OCTET STRING's content). */
  extensions: { oid: string; critical: boolean; value: Uint8Array }[];
  /** The certificate's own fields (tbsCertificate, signatureAlgorithm, signature) and the tbsCertificate's, in order, for readers that need more (certificateBasics). */
  outer: Tlv[];
  tbsFields: Tlv[];
}

/** Takes a certificate's DER apart down to its names and extensions. */
export function certificateParts(der: Uint8Array): CertificateParts {
  const what = 'certificate';
  const outer = childrenOf(der, readWhole(der, TAG.sequence, what), what);
  const [tbs] = outer;
  if (!tbs) throw new DerError(`${what}: empty`);
  const fields = childrenOf(der, expectTag(tbs, TAG.sequence, `${what} tbsCertificate`), `${what} tbsCertificate`);
  const start = fields[0]?.tag === contextTag(0, true) ? 1 : 0;
  const [, , issuer, , subject, subjectPublicKeyInfo, ...optional] = fields.slice(start);
  if (!issuer || !subject || !subjectPublicKeyInfo) throw new DerError(`${what}: tbsCertificate is missing fields`);
  const extensionsTlv = optional.find((f) => f.tag === contextTag(3, true));
  const extensions: CertificateParts['extensions'] = [];
  if (extensionsTlv) {
    const [list] = childrenOf(der, extensionsTlv, `${what} extensions`);
    if (!list) throw new DerError(`${what}: empty extensions`);
    for (const extension of childrenOf(der, expectTag(list, TAG.sequence, `${what} extensions`), `${what} extensions`)) {
      const parts = childrenOf(der, expectTag(extension, TAG.sequence, `${what} extension`), `${what} extension`);
      if (parts.length < 2 || parts.length > 3) throw new DerError(`${what}: an extension must be an id, an optional critical flag and a value`);
      const critical = parts.length === 3 && contentOf(der, expectTag(parts[1]!, TAG.boolean, `${what} extension critical`))[0] !== 0;
      extensions.push({
        oid: readOid(der, parts[0]!, `${what} extension id`),
        critical,
        value: contentOf(der, expectTag(parts[parts.length - 1]!, TAG.octetString, `${what} extension value`)),
      });
    }
  }
  return { bytes: der, issuer, subject, subjectPublicKeyInfo: expectTag(subjectPublicKeyInfo, TAG.sequence, `${what} subjectPublicKeyInfo`), extensions, outer, tbsFields: fields };
}

/** The encoding of a certificate's subject Name (to issue under it). */
export const subjectNameOf = (parts: CertificateParts): Uint8Array => encodingOf(parts.bytes, parts.subject);

/** The keyIdentifier of a subjectKeyIdentifier extension value. */
export function subjectKeyIdentifierOf(parts: CertificateParts): Uint8Array | undefined {
  const extension = parts.extensions.find((e) => e.oid === '2.5.29.14');
  return extension && contentOf(extension.value, readWhole(extension.value, TAG.octetString, 'subjectKeyIdentifier'));
}

/** What the inventory records about a public key: RSA with its modulus size, or EC with its curve (Ed25519 counts as EC, as in the cloud). */
export interface PublicKeyFacts {
  keyType: 'RSA' | 'EC';
  keyStrength?: number;
  keyCurve?: string;
}

/** Bits in a positive INTEGER's magnitude (its leading zero octets and bits not counted). */
function integerBits(value: Uint8Array): number {
  let i = 0;
  while (i < value.length - 1 && value[i] === 0) i++;
  const top = value[i] ?? 0;
  return top === 0 ? 0 : (value.length - i - 1) * 8 + (32 - Math.clz32(top));
}

/**
 * The key facts of a SubjectPublicKeyInfo, read from its algorithm and, for RSA, its modulus:
 * what Node's KeyObject would report (asymmetricKeyDetails), without making one, which costs
 * about 40 us a certificate. Keys of other kinds (other curves, Ed448, DSA, ...) throw DerError,
 * left to Node.
 */
export function publicKeyFacts(bytes: Uint8Array, spki: Tlv): PublicKeyFacts {
  const what = 'subjectPublicKeyInfo';
  const [algorithm, key] = childrenOf(bytes, expectTag(spki, TAG.sequence, what), what);
  if (!algorithm || !key) throw new DerError(`${what}: an algorithm and a key are required`);
  const [id, parameters] = childrenOf(bytes, expectTag(algorithm, TAG.sequence, `${what} algorithm`), `${what} algorithm`);
  if (!id) throw new DerError(`${what}: no algorithm`);
  const oid = readOid(bytes, id, `${what} algorithm`);
  if (oid === OID.ed25519) return { keyType: 'EC', keyCurve: 'ED25519' };
  if (oid === OID.ecPublicKey) {
    const curve = parameters?.tag === TAG.oid ? curveFromOid(readOid(bytes, parameters, `${what} namedCurve`)) : undefined;
    if (!curve) throw new DerError(`${what}: an EC key on a curve left to Node`);
    return { keyType: 'EC', keyCurve: curve };
  }
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    const bits = contentOf(bytes, expectTag(key, TAG.bitString, `${what} key`));
    if (bits[0] !== 0) throw new DerError(`${what}: an RSA key with unused bits`);
    const rsaKey = bits.subarray(1);
    const [modulus] = childrenOf(rsaKey, readWhole(rsaKey, TAG.sequence, 'RSAPublicKey'), 'RSAPublicKey');
    if (!modulus) throw new DerError('RSAPublicKey: no modulus');
    return { keyType: 'RSA', keyStrength: integerBits(contentOf(rsaKey, expectTag(modulus, TAG.integer, 'RSAPublicKey modulus'))) };
  }
  throw new DerError(`${what}: algorithm ${oid} is left to Node`);
}

/** What Node's X509Certificate reports besides names and key, read from the DER (certificateBasics). */
export interface CertificateBasics {
  /** Upper-case hex without leading zero octets, as OpenSSL prints it. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** Always false: a certificate whose basicConstraints says CA is left to Node. */
  isCA: false;
}

const UTC_TIME = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/;

/** A UTCTime or GeneralizedTime in the form RFC 5280 requires (seconds, "Z"); other forms throw DerError. */
function readTime(bytes: Uint8Array, tlv: Tlv, what: string): Date {
  const text = Buffer.from(contentOf(bytes, tlv)).toString('latin1');
  const match = tlv.tag === TAG.utcTime ? UTC_TIME.exec(text) : tlv.tag === TAG.generalizedTime ? GENERALIZED_TIME.exec(text) : null;
  if (!match) throw new DerError(`${what}: a time in a form left to Node`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  // RFC 5280 4.1.2.5.1: a UTCTime year below 50 is 20YY, otherwise 19YY.
  const fullYear = tlv.tag === TAG.utcTime ? year + (year < 50 ? 2000 : 1900) : year;
  const date = new Date(Date.UTC(fullYear, month - 1, day, hour, minute, second));
  if (month < 1 || month > 12 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) throw new DerError(`${what}: ${text} is not a date`);
  return date;
}

/** A positive INTEGER's magnitude as upper-case hex, as OpenSSL's BN_bn2hex writes it; others throw DerError. */
function serialHex(value: Uint8Array, what: string): string {
  if (value.length === 0 || (value[0]! & 0x80) !== 0) throw new DerError(`${what}: a negative or empty serial number is left to Node`);
  if (value.length > 1 && value[0] === 0 && (value[1]! & 0x80) === 0) throw new DerError(`${what}: a serial number with a needless leading zero octet`);
  const magnitude = value[0] === 0 ? value.subarray(1) : value;
  if (magnitude.length === 0) throw new DerError(`${what}: serial number zero is left to Node`);
  return Buffer.from(magnitude).toString('hex').toUpperCase();
}

/** False when basicConstraints is absent or says not a CA; a CA certificate throws DerError (Node weighs every extension for it). */
function notCa(extensions: CertificateParts['extensions'], what: string): false {
  const seen = new Set<string>();
  for (const { oid } of extensions) {
    if (seen.has(oid)) throw new DerError(`${what}: extension ${oid} appears twice`);
    seen.add(oid);
  }
  const constraints = extensions.find((e) => e.oid === EXTENSION_OID.basicConstraints);
  if (!constraints) return false;
  const [first] = childrenOf(constraints.value, readWhole(constraints.value, TAG.sequence, 'basicConstraints'), 'basicConstraints');
  // DER leaves cA out when it is FALSE: a BOOLEAN here says CA.
  if (first?.tag === TAG.boolean) throw new DerError(`${what}: a CA certificate is left to Node`);
  return false;
}

/**
 * The serial, validity and CA flag of a certificate (as certificateParts took it apart), read
 * from DER that keeps to the X.509 v3
 * profile (RFC 5280) the satellite writes and public CAs issue: what Node's X509Certificate
 * reports, without its parse (about 50 us a certificate on a busy event loop). Anything else (v1
 * and v2 certificates, unique identifiers, other time forms, negative serials, CA certificates)
 * throws DerError, and the caller asks Node.
 */
export function certificateBasics(parts: CertificateParts): CertificateBasics {
  const what = 'certificate';
  const { bytes: der, outer } = parts;
  if (outer.length !== 3) throw new DerError(`${what}: must be a tbsCertificate, a signatureAlgorithm and a signature`);
  expectTag(outer[1]!, TAG.sequence, `${what} signatureAlgorithm`);
  if (contentOf(der, expectTag(outer[2]!, TAG.bitString, `${what} signature`))[0] !== 0) throw new DerError(`${what}: a signature with unused bits`);
  const [version, serial, signature, , validity, , , extensions, ...more] = parts.tbsFields;
  if (version?.tag !== contextTag(0, true)) throw new DerError(`${what}: a v1 certificate is left to Node`);
  const versionValue = childrenOf(der, version, `${what} version`);
  if (versionValue.length !== 1 || contentOf(der, expectTag(versionValue[0]!, TAG.integer, `${what} version`)).join() !== '2') {
    throw new DerError(`${what}: only v3 certificates are read here`);
  }
  if (!serial || !signature || !validity || extensions?.tag !== contextTag(3, true) || more.length > 0) {
    throw new DerError(`${what}: a tbsCertificate without extensions, or with unique identifiers, is left to Node`);
  }
  expectTag(signature, TAG.sequence, `${what} signature algorithm`);
  const times = childrenOf(der, expectTag(validity, TAG.sequence, `${what} validity`), `${what} validity`);
  if (times.length !== 2) throw new DerError(`${what}: validity must be two times`);
  return {
    serialNumber: serialHex(contentOf(der, expectTag(serial, TAG.integer, `${what} serialNumber`)), `${what} serialNumber`),
    notBefore: readTime(der, times[0]!, `${what} notBefore`),
    notAfter: readTime(der, times[1]!, `${what} notAfter`),
    isCA: notCa(parts.extensions, what),
  };
}
