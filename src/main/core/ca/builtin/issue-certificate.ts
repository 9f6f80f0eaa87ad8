import { createHash, createPublicKey, randomBytes, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import type { ExtendedKeyUsage } from '../../../../shared/settings';
import { CaError } from '../connector';
import { csrParts, type CsrParts } from '../../keys/csr-der';
import { bitString, booleanTrue, childrenOf, contentOf, contextTag, DerError, explicit, octetString, oid, readWhole, sequence, TAG, time, tlv, unsignedInteger } from '../../keys/der';
import { VERIFIABLE_SIGNATURES } from '../../keys/oids';
import { fromPem } from '../../keys/pem';
import { certificateParts, readGeneralNames, subjectKeyIdentifierOf, subjectNameOf } from '../../keys/x509-der';
import { BACKDATE_MS } from './create-ca';

// The end-entity certificate is written straight as DER and signed with Node's signer. The CSR's
// subject, public key and SAN extension are copied as they are encoded: nothing is decoded that
// the certificate does not need, and nothing is re-encoded. (This was @peculiar/x509: about 4 ms
// of JavaScript ASN.1 per certificate, most of a request's time.)

const EKU_OIDS: Record<ExtendedKeyUsage, string> = {
  SERVER_AUTH: '1.3.6.1.5.5.7.3.1',
  CLIENT_AUTH: '1.3.6.1.5.5.7.3.2',
  CODE_SIGNING: '1.3.6.1.5.5.7.3.3',
  EMAIL_PROTECTION: '1.3.6.1.5.5.7.3.4',
  TIME_STAMPING: '1.3.6.1.5.5.7.3.8',
  OCSP_SIGNING: '1.3.6.1.5.5.7.3.9',
};

const EXTENSION_OIDS = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  extendedKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
} as const;

/** ecdsa-with-SHA384: the built-in CA's keys are ECDSA P-384 (CA_SIGNING_ALGORITHM). */
const CA_SIGNATURE_ALGORITHM = sequence(oid('1.2.840.10045.4.3.3'));

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

export interface EndEntityParams {
  csrPem: string;
  validitySeconds: number;
  extendedKeyUsages: ExtendedKeyUsage[];
  /** DNS names the pipeline checked against the template; every DNS SAN in the CSR must be one of them. */
  dnsNames: string[];
  issuer: Issuer;
  now?: Date;
}

export interface IssuedCertificate {
  der: Uint8Array;
  /** Lower-case hex, as the certificate carries it. */
  serialNumber: string;
  notAfter: Date;
}

function readCsr(csrPem: string): CsrParts {
  try {
    return csrParts(fromPem(csrPem, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']));
  } catch (e) {
    throw new CaError(`certificateSigningRequest: not a PKCS#10 CSR in PEM (${(e as Error).message}); send the text from -----BEGIN CERTIFICATE REQUEST----- to -----END CERTIFICATE REQUEST-----`, false);
  }
}

function publicKeyOf(csr: CsrParts): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(csr.spki), format: 'der', type: 'spki' });
  } catch (e) {
    throw new CaError(`certificateSigningRequest: its public key cannot be read (${(e as Error).message}); use RSA, EC (P-256, P-384, P-521) or Ed25519`, false);
  }
}

/** Proof of possession: the CSR is signed by the private key of the public key it carries. */
async function signatureValid(csr: CsrParts, csrPem: string, publicKey: KeyObject): Promise<boolean> {
  const algorithm = VERIFIABLE_SIGNATURES[csr.signatureAlgorithm.oid];
  if (!algorithm) {
    // RSA-PSS and other parameterised algorithms: the full parser knows them.
    const { x509 } = await import('./x509');
    return new x509.Pkcs10CertificateRequest(csrPem.trim()).verify();
  }
  if (publicKey.asymmetricKeyType !== algorithm.keyType) return false;
  return verify(algorithm.hash, csr.info, publicKey, csr.signature);
}

/** Key usage fitting the key: RSA also enciphers keys (TLS RSA key exchange); EC and Ed25519 only sign. */
function keyUsageFor(publicKey: KeyObject): Buffer {
  const type = publicKey.asymmetricKeyType;
  // KeyUsage BIT STRING, trailing zero bits dropped (DER): digitalSignature = bit 0, keyEncipherment = bit 2.
  if (type === 'rsa' || type === 'rsa-pss') return tlv(TAG.bitString, Buffer.from([5, 0xa0]));
  if (type === 'ec' || type === 'ed25519') return tlv(TAG.bitString, Buffer.from([7, 0x80]));
  throw new CaError(`certificateSigningRequest: the built-in CA does not issue for ${type ?? 'unknown'} keys; use RSA, EC (P-256, P-384, P-521) or Ed25519`, false);
}

function dnsNamesOf(san: CsrParts['subjectAltName']): string[] {
  if (!san) return [];
  try {
    return readGeneralNames(san.value, 'certificateSigningRequest subjectAltName')
      .filter((n) => n.type === 'dns')
      .map((n) => n.value);
  } catch (e) {
    if (!(e instanceof DerError)) throw e;
    // Kinds of names the DER walk leaves alone (otherName, directoryName, ...) are copied but never
    // checked; only the DNS names must be among those the policy checked.
    return rawDnsNames(san.value);
  }
}

/** Every dNSName in GeneralNames, whatever else is there. */
function rawDnsNames(value: Uint8Array): string[] {
  try {
    const list = readWhole(value, TAG.sequence, 'subjectAltName');
    return childrenOf(value, list, 'subjectAltName')
      .filter((n) => n.tag === contextTag(2, false))
      .map((n) => Buffer.from(contentOf(value, n)).toString('latin1'));
  } catch (e) {
    throw new CaError(`certificateSigningRequest: its subjectAltName extension is malformed (${(e as Error).message})`, false);
  }
}

/** SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2, method 1), as the CA's own certificates have. */
function keyIdentifierOf(spki: Uint8Array): Buffer {
  const [, key] = childrenOf(spki, readWhole(spki, TAG.sequence, 'subjectPublicKeyInfo'), 'subjectPublicKeyInfo');
  if (!key || key.tag !== TAG.bitString) throw new CaError('certificateSigningRequest: its subjectPublicKeyInfo has no public key bits', false);
  return createHash('sha1').update(contentOf(spki, key).subarray(1)).digest();
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
export async function issueEndEntity(p: EndEntityParams): Promise<IssuedCertificate> {
  const csr = readCsr(p.csrPem);
  const publicKey = publicKeyOf(csr);
  let signatureOk: boolean;
  try {
    signatureOk = await signatureValid(csr, p.csrPem, publicKey);
  } catch (e) {
    throw new CaError(`certificateSigningRequest: its signature cannot be checked (${(e as Error).message})`, false);
  }
  if (!signatureOk) {
    throw new CaError('certificateSigningRequest: the signature does not match the public key in the CSR (the CSR was altered after signing); make a new CSR', false);
  }
  if (!Number.isFinite(p.validitySeconds) || p.validitySeconds <= 0) {
    throw new CaError(`validitySeconds must be a positive number of seconds, got ${p.validitySeconds}`, false);
  }

  const san = csr.subjectAltName;
  const allowed = new Set(p.dnsNames.map((n) => n.toLowerCase()));
  for (const name of dnsNamesOf(san)) {
    if (!allowed.has(name.toLowerCase())) {
      throw new CaError(`certificateSigningRequest: the DNS name "${name}" in the CSR was not among the names checked against the template's policy`, false);
    }
  }
  if (csr.subjectEmpty && !san) throw new CaError('certificateSigningRequest: the CSR has neither a subject nor subject alternative names', false);

  const now = p.now ?? new Date();
  const notAfter = new Date(Math.min(now.getTime() + p.validitySeconds * 1000, p.issuer.notAfter.getTime()));
  const extensions: Uint8Array[] = [
    extension(EXTENSION_OIDS.basicConstraints, true, sequence()),
    extension(EXTENSION_OIDS.keyUsage, true, keyUsageFor(publicKey)),
    extension(EXTENSION_OIDS.subjectKeyIdentifier, false, octetString(keyIdentifierOf(csr.spki))),
    extension(EXTENSION_OIDS.authorityKeyIdentifier, false, sequence(tlv(contextTag(0, false), p.issuer.keyId))),
  ];
  if (p.extendedKeyUsages.length > 0) {
    extensions.push(extension(EXTENSION_OIDS.extendedKeyUsage, false, sequence(...[...new Set(p.extendedKeyUsages)].map((u) => oid(EKU_OIDS[u])))));
  }
  // RFC 5280 4.2.1.6: with an empty subject the SAN extension must be critical.
  if (san) extensions.push(extension(EXTENSION_OIDS.subjectAltName, csr.subjectEmpty || san.critical, san.value));

  const serial = randomSerial();
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    CA_SIGNATURE_ALGORITHM,
    p.issuer.name,
    sequence(time(new Date(now.getTime() - BACKDATE_MS)), time(notAfter)),
    csr.subject,
    csr.spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign('sha384', tbs, p.issuer.key);
  return { der: sequence(tbs, CA_SIGNATURE_ALGORITHM, bitString(signature)), serialNumber: serial.toString('hex'), notAfter };
}
