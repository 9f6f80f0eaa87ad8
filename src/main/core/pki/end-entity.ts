import { createHash, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import type { ExtendedKeyUsage } from '../../../shared/settings';
import { cidrBytes, type NameConstraints } from '../../../shared/name-constraints';
import { CaError } from '../common/errors';
import { readCsrPem, type CsrContents, type CsrNames as CheckedNames } from './csr-reader';
import { csrPublicKey, csrSignatureValid } from './csr-signature';
import { bitString, booleanTrue, childrenOf, contentOf, contextTag, explicit, nullValue, octetString, oid, readWhole, sequence, set, TAG, time, tlv, unsignedInteger, utf8String } from './der';
import { EXTENDED_KEY_USAGE_OID, EXTENSION_OID, OCSP_OID, SIGNATURE_OID } from './oids';
import { certificateParts, subjectKeyIdentifierOf, subjectNameOf } from './x509-der';

/** notBefore lies this far in the past, so a client whose clock is a little behind accepts a new certificate. */
export const BACKDATE_MS = 5 * 60_000;

// The end-entity certificate is written straight as DER and signed with Node's signer. The CSR's
// subject, public key and SAN extension are copied as they are encoded: nothing is decoded that
// the certificate does not need, and nothing is re-encoded. (This was @peculiar/x509: about 4 ms
// of JavaScript ASN.1 per certificate, most of a request's time.)

/** ecdsa-with-SHA384: the built-in CA's keys are ECDSA P-384 (CA_SIGNING_ALGORITHM). */
const CA_SIGNATURE_ALGORITHM = sequence(oid(SIGNATURE_OID.ecdsaWith['SHA-384']));

/** The issuing CA as the signer needs it: read once when the CA opens, then cloned into workers as is. */
export interface Issuer {
  /** The issuing certificate's subject Name, as encoded. */
  name: Uint8Array;
  /** Its subjectKeyIdentifier, for the AKI of what it issues. */
  keyId: Uint8Array;
  notAfter: Date;
  /** Its ECDSA P-384 private key. */
  key: KeyObject;
}

/** The Issuer for a CA certificate (PEM) and its private key. */
export function issuerOf(certificatePem: string, key: KeyObject): Issuer {
  const certificate = new X509Certificate(certificatePem);
  const parts = certificateParts(certificate.raw);
  const keyId = subjectKeyIdentifierOf(parts);
  if (!keyId) throw new Error(`the issuing certificate ${certificate.subject.replaceAll('\n', ', ')} has no subjectKeyIdentifier; it cannot issue`);
  return { name: new Uint8Array(subjectNameOf(parts)), keyId: new Uint8Array(keyId), notAfter: certificate.validToDate, key };
}

/** Where relying parties find revocation (RFC 5280 4.2.1.13 CDP, 4.2.2.1 AIA): plain http:// URLs. */
export interface RevocationPointers {
  crlUrl: string;
  caIssuersUrl: string;
  ocspUrl: string;
}

export interface EndEntityParams {
  csrPem: string;
  validitySeconds: number;
  extendedKeyUsages: ExtendedKeyUsage[];
  /** What the template's policy checked; the CSR must name nothing else. */
  checked: CheckedNames;
  issuer: Issuer;
  /** Written into the certificate when the satellite serves them. */
  pointers?: RevocationPointers;
  now?: Date;
}

export interface IssuedCertificate {
  der: Uint8Array;
  /** Lower-case hex, as the certificate carries it. */
  serialNumber: string;
  notAfter: Date;
}

function readCsr(csrPem: string): CsrContents {
  try {
    return readCsrPem(csrPem);
  } catch (e) {
    throw new CaError((e as Error).message, false);
  }
}

/**
 * A CSR this same thread made a moment ago, from a key pair it made: its signature is not checked
 * again (the check proves possession of the key, which made it), and the key's type is known.
 */
export interface CsrMadeHere {
  keyType: KeyObject['asymmetricKeyType'];
}

/** The type of the CSR's public key, once its signature is checked with it; a CaError when it does not verify. */
function verifiedKeyTypeOf(csr: CsrContents): KeyObject['asymmetricKeyType'] {
  let publicKey: KeyObject;
  let signatureOk: boolean;
  try {
    publicKey = csrPublicKey(csr);
    signatureOk = csrSignatureValid(csr, publicKey);
  } catch (e) {
    throw new CaError(`certificateSigningRequest: its signature cannot be checked (${(e as Error).message})`, false);
  }
  if (!signatureOk) {
    throw new CaError('certificateSigningRequest: the signature does not match the public key in the CSR (the CSR was altered after signing); make a new CSR', false);
  }
  return publicKey.asymmetricKeyType;
}

/** Key usage fitting the key: RSA also enciphers keys (TLS RSA key exchange); EC and Ed25519 only sign. */
function keyUsageFor(type: KeyObject['asymmetricKeyType']): Buffer {
  // KeyUsage BIT STRING, trailing zero bits dropped (DER): digitalSignature = bit 0, keyEncipherment = bit 2.
  if (type === 'rsa' || type === 'rsa-pss') return tlv(TAG.bitString, Buffer.from([5, 0xa0]));
  if (type === 'ec' || type === 'ed25519') return tlv(TAG.bitString, Buffer.from([7, 0x80]));
  throw new CaError(`certificateSigningRequest: the built-in CA does not issue for ${type ?? 'unknown'} keys; use RSA, EC (P-256, P-384, P-521) or Ed25519`, false);
}

const same = (a: string | undefined, b: string | undefined) => (a || undefined) === (b || undefined);

/**
 * The CSR's subject and SANs, read by the same reader the policy's values came from, must be
 * exactly what the policy checked: the certificate copies these bytes, so it can hold no name
 * the policy did not see.
 */
function assertOnlyCheckedNames(csr: CsrContents, checked: CheckedNames): void {
  const refuse = (what: string) => {
    throw new CaError(`certificateSigningRequest: ${what} was not among the values checked against the template's policy; make the request again`, false);
  };
  const subject = csr.subject;
  for (const field of ['commonName', 'organization', 'locality', 'state', 'country'] as const) {
    if (!same(subject[field], checked.subject[field])) refuse(`the subject's ${field} ${JSON.stringify(subject[field] ?? '')}`);
  }
  if (subject.organizationalUnits.join('\n') !== checked.subject.organizationalUnits.join('\n')) refuse(`the subject's organizational units ${JSON.stringify(subject.organizationalUnits)}`);
  const inCsr = csr.subjectAlternativeNamesByType;
  const allowed = checked.subjectAlternativeNamesByType;
  const kinds = [
    ['dnsNames', 'DNS name'],
    ['ipAddresses', 'IP address'],
    ['rfc822Names', 'e-mail address'],
    ['uniformResourceIdentifiers', 'URI'],
  ] as const;
  for (const [kind, label] of kinds) {
    const known = new Set(allowed[kind].map((n) => n.toLowerCase()));
    for (const name of inCsr[kind]) if (!known.has(name.toLowerCase())) refuse(`the ${label} "${name}"`);
  }
}

/** SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2, method 1), as the CA's own certificates have. */
function keyIdentifierOf(spki: Uint8Array): Buffer {
  try {
    return publicKeyHash(spki);
  } catch {
    throw new CaError('certificateSigningRequest: its subjectPublicKeyInfo has no public key bits', false);
  }
}

/** GeneralName uniformResourceIdentifier [6] IMPLICIT IA5String. */
const uri = (url: string) => tlv(contextTag(6, false), Buffer.from(url, 'latin1'));

/** The CRL Distribution Points extension's value (RFC 5280 4.2.1.13): one point, one URL. */
export function crlDistributionPointsValue(crlUrl: string): Uint8Array {
  // DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames } }
  return sequence(sequence(tlv(contextTag(0, true), tlv(contextTag(0, true), uri(crlUrl)))));
}

/** The Authority Information Access extension's value (RFC 5280 4.2.2.1): the OCSP responder, when there is one, and the issuer's certificate. */
export function authorityInfoAccessValue(p: { ocspUrl?: string; caIssuersUrl: string }): Uint8Array {
  return sequence(...(p.ocspUrl ? [sequence(oid(OCSP_OID.accessMethodOcsp), uri(p.ocspUrl))] : []), sequence(oid(OCSP_OID.accessMethodCaIssuers), uri(p.caIssuersUrl)));
}

/** The CDP and AIA extensions for these pointers. */
function pointerExtensions(p: RevocationPointers): Uint8Array[] {
  return [extension(EXTENSION_OID.crlDistributionPoints, false, crlDistributionPointsValue(p.crlUrl)), extension(EXTENSION_OID.authorityInfoAccess, false, authorityInfoAccessValue(p))];
}

const extension = (id: string, critical: boolean, value: Uint8Array) => sequence(oid(id), ...(critical ? [booleanTrue()] : []), octetString(value));

/** A random positive 128-bit serial whose DER INTEGER needs no sign octet (RFC 5280 4.1.2.2). */
function randomSerial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! % 0x7f) + 1; // 0x01..0x7f: positive, and never a leading zero octet
  return bytes;
}

/**
 * Signs an end-entity certificate for the CSR (RFC 5280 profile): subject and SANs exactly as in
 * the CSR, CA:false, key usage by key type, the requested EKUs, SKI/AKI, a random 128-bit serial,
 * valid from five minutes ago for `validitySeconds` (never past the issuer's own expiry).
 */
export async function issueEndEntity(p: EndEntityParams, madeHere?: CsrMadeHere): Promise<IssuedCertificate> {
  const csr = readCsr(p.csrPem);
  const keyType = madeHere?.keyType ?? verifiedKeyTypeOf(csr);
  if (!Number.isFinite(p.validitySeconds) || p.validitySeconds <= 0) {
    throw new CaError(`validitySeconds must be a positive number of seconds, got ${p.validitySeconds}`, false);
  }

  assertOnlyCheckedNames(csr, p.checked);
  const san = csr.subjectAltName;
  if (csr.subjectEmpty && !san) throw new CaError('certificateSigningRequest: the CSR has neither a subject nor subject alternative names', false);

  const now = p.now ?? new Date();
  const notAfter = new Date(Math.min(now.getTime() + p.validitySeconds * 1000, p.issuer.notAfter.getTime()));
  const extensions: Uint8Array[] = [
    extension(EXTENSION_OID.basicConstraints, true, sequence()),
    extension(EXTENSION_OID.keyUsage, true, keyUsageFor(keyType)),
    extension(EXTENSION_OID.subjectKeyIdentifier, false, octetString(keyIdentifierOf(csr.spki))),
    extension(EXTENSION_OID.authorityKeyIdentifier, false, sequence(tlv(contextTag(0, false), p.issuer.keyId))),
  ];
  if (p.extendedKeyUsages.length > 0) {
    extensions.push(extension(EXTENSION_OID.extendedKeyUsage, false, sequence(...[...new Set(p.extendedKeyUsages)].map((u) => oid(EXTENDED_KEY_USAGE_OID[u])))));
  }
  // RFC 5280 4.2.1.6: with an empty subject the SAN extension must be critical.
  if (san) extensions.push(extension(EXTENSION_OID.subjectAltName, csr.subjectEmpty || san.critical, san.value));
  if (p.pointers) extensions.push(...pointerExtensions(p.pointers));

  const serial = randomSerial();
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    CA_SIGNATURE_ALGORITHM,
    p.issuer.name,
    sequence(time(new Date(now.getTime() - BACKDATE_MS)), time(notAfter)),
    csr.subjectDer,
    csr.spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign('sha384', tbs, p.issuer.key);
  return { der: sequence(tbs, CA_SIGNATURE_ALGORITHM, bitString(signature)), serialNumber: serial.toString('hex'), notAfter };
}

/**
 * A delegated OCSP responder's certificate (RFC 6960 4.2.2.2): issued by the CA it answers for,
 * EKU OCSPSigning only, and id-pkix-ocsp-nocheck so clients do not ask about the responder itself.
 * Short-lived: the key behind it lives in memory only and is replaced before the certificate ends.
 */
export function issueOcspResponderCertificate(p: { issuer: Issuer; spki: Uint8Array; commonName: string; notAfter: Date; now?: Date }): Uint8Array {
  const now = p.now ?? new Date();
  const subject = sequence(set(sequence(oid('2.5.4.3'), utf8String(p.commonName))));
  const extensions = [
    extension(EXTENSION_OID.basicConstraints, true, sequence()),
    extension(EXTENSION_OID.keyUsage, true, tlv(TAG.bitString, Buffer.from([7, 0x80]))),
    extension(EXTENSION_OID.extendedKeyUsage, false, sequence(oid(EXTENDED_KEY_USAGE_OID.OCSP_SIGNING))),
    extension(OCSP_OID.noCheck, false, nullValue()),
    extension(EXTENSION_OID.subjectKeyIdentifier, false, octetString(keyIdentifierOf(p.spki))),
    extension(EXTENSION_OID.authorityKeyIdentifier, false, sequence(tlv(contextTag(0, false), p.issuer.keyId))),
  ];
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(randomSerial()),
    CA_SIGNATURE_ALGORITHM,
    p.issuer.name,
    sequence(time(new Date(now.getTime() - BACKDATE_MS)), time(new Date(Math.min(p.notAfter.getTime(), p.issuer.notAfter.getTime())))),
    subject,
    p.spki,
    explicit(3, sequence(...extensions)),
  );
  return sequence(tbs, CA_SIGNATURE_ALGORITHM, bitString(sign('sha384', tbs, p.issuer.key)));
}

/** SHA-1 of a public key's bits: OCSP's issuerKeyHash and ResponderID byKey (RFC 6960 4.1.1, 4.2.2.3). */
export function publicKeyHash(spki: Uint8Array, hash: 'sha1' | 'sha256' | 'sha384' | 'sha512' = 'sha1'): Buffer {
  const [, key] = childrenOf(spki, readWhole(spki, TAG.sequence, 'subjectPublicKeyInfo'), 'subjectPublicKeyInfo');
  if (!key || key.tag !== TAG.bitString) throw new Error('subjectPublicKeyInfo has no public key bits');
  return createHash(hash).update(contentOf(spki, key).subarray(1)).digest();
}

/**
 * The NameConstraints extension value (RFC 5280 4.2.1.10) for permitted DNS subtrees and IP
 * ranges. With no IP range given, every IPv4 and IPv6 address is excluded: a constrained CA
 * should not mint certificates for any IP either.
 */
export function nameConstraintsValue(constraints: NameConstraints): Buffer {
  const subtree = (generalName: Uint8Array) => sequence(generalName);
  const dns = (name: string) => tlv(contextTag(2, false), Buffer.from(name.toLowerCase(), 'latin1'));
  const ip = (cidr: string) => {
    const range = cidrBytes(cidr)!;
    return tlv(contextTag(7, false), Buffer.concat([range.address, range.mask]));
  };
  const permitted = [...constraints.dns.map((d) => subtree(dns(d))), ...constraints.ip.map((c) => subtree(ip(c)))];
  const excluded = constraints.ip.length === 0 ? [subtree(ip('0.0.0.0/0')), subtree(ip('::/0'))] : [];
  return sequence(tlv(contextTag(0, true), ...permitted), ...(excluded.length ? [tlv(contextTag(1, true), ...excluded)] : []));
}
