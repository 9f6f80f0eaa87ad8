import type { ExtendedKeyUsage } from '../../../../shared/settings';
import { CaError } from '../connector';
import { BACKDATE_MS } from './create-ca';
import { CA_SIGNING_ALGORITHM, randomSerialHex, x509 } from './x509';

const EKU_OIDS: Record<ExtendedKeyUsage, string> = {
  SERVER_AUTH: '1.3.6.1.5.5.7.3.1',
  CLIENT_AUTH: '1.3.6.1.5.5.7.3.2',
  CODE_SIGNING: '1.3.6.1.5.5.7.3.3',
  EMAIL_PROTECTION: '1.3.6.1.5.5.7.3.4',
  TIME_STAMPING: '1.3.6.1.5.5.7.3.8',
  OCSP_SIGNING: '1.3.6.1.5.5.7.3.9',
};

const SAN_OID = '2.5.29.17';

export interface EndEntityParams {
  csrPem: string;
  validitySeconds: number;
  extendedKeyUsages: ExtendedKeyUsage[];
  /** DNS names the pipeline checked against the template; every DNS SAN in the CSR must be one of them. */
  dnsNames: string[];
  issuer: x509.X509Certificate;
  issuerKey: CryptoKey;
  now?: Date;
}

function parseCsr(csrPem: string): x509.Pkcs10CertificateRequest {
  try {
    return new x509.Pkcs10CertificateRequest(csrPem.trim());
  } catch (e) {
    throw new CaError(`certificateSigningRequest: not a PKCS#10 CSR in PEM (${(e as Error).message}); send the text from -----BEGIN CERTIFICATE REQUEST----- to -----END CERTIFICATE REQUEST-----`, false);
  }
}

/** Key usage fitting the key: RSA also enciphers keys (TLS RSA key exchange); EC and Ed25519 only sign. */
function keyUsageFor(csr: x509.Pkcs10CertificateRequest): x509.KeyUsageFlags {
  const name = csr.publicKey.algorithm.name;
  if (name === 'RSASSA-PKCS1-v1_5' || name === 'RSA-PSS' || name === 'RSA-OAEP') {
    return x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment;
  }
  if (name === 'ECDSA' || name === 'Ed25519') return x509.KeyUsageFlags.digitalSignature;
  throw new CaError(`certificateSigningRequest: the built-in CA does not issue for ${name} keys; use RSA, EC (P-256, P-384, P-521) or Ed25519`, false);
}

function dnsNamesOf(san: x509.Extension | null): string[] {
  if (!san) return [];
  return new x509.SubjectAlternativeNameExtension(san.rawData).names.items.filter((n) => n.type === 'dns').map((n) => n.value);
}

/**
 * Signs an end-entity certificate for the CSR (RFC 5280 profile): subject and SANs exactly as in
 * the CSR, CA:false, key usage by key type, the requested EKUs, SKI/AKI, a random 128-bit serial,
 * valid from five minutes ago for `validitySeconds` (never past the issuer's own expiry).
 */
export async function issueEndEntity(p: EndEntityParams): Promise<x509.X509Certificate> {
  const csr = parseCsr(p.csrPem);
  let signatureOk: boolean;
  try {
    signatureOk = await csr.verify();
  } catch (e) {
    throw new CaError(`certificateSigningRequest: its signature cannot be checked (${(e as Error).message})`, false);
  }
  if (!signatureOk) {
    throw new CaError('certificateSigningRequest: the signature does not match the public key in the CSR (the CSR was altered after signing); make a new CSR', false);
  }
  if (!Number.isFinite(p.validitySeconds) || p.validitySeconds <= 0) {
    throw new CaError(`validitySeconds must be a positive number of seconds, got ${p.validitySeconds}`, false);
  }

  const san = csr.getExtension(SAN_OID);
  const allowed = new Set(p.dnsNames.map((n) => n.toLowerCase()));
  for (const name of dnsNamesOf(san)) {
    if (!allowed.has(name.toLowerCase())) {
      throw new CaError(`certificateSigningRequest: the DNS name "${name}" in the CSR was not among the names checked against the template's policy`, false);
    }
  }
  const subjectEmpty = csr.subjectName.toJSON().length === 0;
  if (subjectEmpty && !san) throw new CaError('certificateSigningRequest: the CSR has neither a subject nor subject alternative names', false);

  const now = p.now ?? new Date();
  const notAfter = Math.min(now.getTime() + p.validitySeconds * 1000, p.issuer.notAfter.getTime());
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(keyUsageFor(csr), true),
    await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
    new x509.AuthorityKeyIdentifierExtension(p.issuer.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId),
  ];
  if (p.extendedKeyUsages.length > 0) {
    extensions.push(new x509.ExtendedKeyUsageExtension([...new Set(p.extendedKeyUsages)].map((u) => EKU_OIDS[u])));
  }
  // RFC 5280 4.2.1.6: with an empty subject the SAN extension must be critical.
  if (san) extensions.push(new x509.Extension(SAN_OID, subjectEmpty || san.critical, san.value));

  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: new x509.Name(csr.subjectName.toArrayBuffer()),
    issuer: p.issuer.subjectName,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(notAfter),
    publicKey: csr.publicKey,
    signingKey: p.issuerKey,
    signingAlgorithm: CA_SIGNING_ALGORITHM,
    extensions,
  });
}
