// @peculiar/x509 needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { CertificateExtensionView } from '../../../shared/certificate';
import { childrenOf, DerError, expectTag, readOid, readWhole, TAG } from './der';
import { fromPem } from './pem';

// Every extension of a certificate, named and worded as `openssl x509 -text` prints it, so what
// the certificate page shows can be checked against the tool people already trust.

const hex = (bytes: ArrayBuffer | Uint8Array | string): string => {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'hex') : Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  return [...buf].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
};

const KEY_USAGES: [number, string][] = [
  [x509.KeyUsageFlags.digitalSignature, 'Digital Signature'],
  [x509.KeyUsageFlags.nonRepudiation, 'Non Repudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'Key Encipherment'],
  [x509.KeyUsageFlags.dataEncipherment, 'Data Encipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'Key Agreement'],
  [x509.KeyUsageFlags.keyCertSign, 'Certificate Sign'],
  [x509.KeyUsageFlags.cRLSign, 'CRL Sign'],
  [x509.KeyUsageFlags.encipherOnly, 'Encipher Only'],
  [x509.KeyUsageFlags.decipherOnly, 'Decipher Only'],
];

const EXTENDED_KEY_USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'TLS Web Server Authentication',
  '1.3.6.1.5.5.7.3.2': 'TLS Web Client Authentication',
  '1.3.6.1.5.5.7.3.3': 'Code Signing',
  '1.3.6.1.5.5.7.3.4': 'E-mail Protection',
  '1.3.6.1.5.5.7.3.8': 'Time Stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP Signing',
  '2.5.29.37.0': 'Any Extended Key Usage',
};

const NAMES: Record<string, string> = {
  '2.5.29.14': 'X509v3 Subject Key Identifier',
  '2.5.29.15': 'X509v3 Key Usage',
  '2.5.29.17': 'X509v3 Subject Alternative Name',
  '2.5.29.18': 'X509v3 Issuer Alternative Name',
  '2.5.29.19': 'X509v3 Basic Constraints',
  '2.5.29.30': 'X509v3 Name Constraints',
  '2.5.29.31': 'X509v3 CRL Distribution Points',
  '2.5.29.32': 'X509v3 Certificate Policies',
  '2.5.29.35': 'X509v3 Authority Key Identifier',
  '2.5.29.37': 'X509v3 Extended Key Usage',
  '1.3.6.1.5.5.7.1.1': 'Authority Information Access',
  '1.3.6.1.4.1.11129.2.4.2': 'CT Precertificate SCTs',
  '1.3.6.1.4.1.11129.2.4.3': 'CT Precertificate Poison',
  '1.3.6.1.5.5.7.1.24': 'TLS Feature',
};

const GENERAL_NAME_LABEL: Record<string, string> = { dns: 'DNS', ip: 'IP Address', email: 'email', url: 'URI', dn: 'DirName', guid: 'othername', upn: 'othername', id: 'Registered ID' };

function generalNames(names: x509.GeneralNames): string {
  return names.items.map((n) => `${GENERAL_NAME_LABEL[n.type] ?? n.type}:${n.value}`).join(', ');
}

function valuesOf(ext: x509.Extension): string[] {
  if (ext instanceof x509.KeyUsagesExtension) return [KEY_USAGES.filter(([flag]) => (ext.usages & flag) !== 0).map(([, label]) => label).join(', ')];
  if (ext instanceof x509.ExtendedKeyUsageExtension) return [ext.usages.map((u) => EXTENDED_KEY_USAGES[String(u)] ?? String(u)).join(', ')];
  if (ext instanceof x509.BasicConstraintsExtension) return [`CA:${ext.ca ? 'TRUE' : 'FALSE'}${ext.pathLength !== undefined ? `, pathlen:${ext.pathLength}` : ''}`];
  if (ext instanceof x509.SubjectKeyIdentifierExtension) return [hex(ext.keyId)];
  if (ext instanceof x509.AuthorityKeyIdentifierExtension) return ext.keyId ? [hex(ext.keyId)] : [];
  if (ext instanceof x509.SubjectAlternativeNameExtension) return [generalNames(ext.names)];
  if (ext instanceof x509.CRLDistributionPointsExtension) {
    return ext.distributionPoints.flatMap((p) => (p.distributionPoint?.fullName ?? []).map((n) => `Full Name: ${n.uniformResourceIdentifier ? `URI:${n.uniformResourceIdentifier}` : String(Object.values(n).find(Boolean) ?? '')}`));
  }
  if (ext instanceof x509.AuthorityInfoAccessExtension) {
    return [...ext.ocsp.map((n) => `OCSP - ${GENERAL_NAME_LABEL[n.type] ?? n.type}:${n.value}`), ...ext.caIssuers.map((n) => `CA Issuers - ${GENERAL_NAME_LABEL[n.type] ?? n.type}:${n.value}`)];
  }
  if (ext instanceof x509.CertificatePolicyExtension) return ext.policies.map((p) => `Policy: ${p}`);
  return [hex(ext.value)];
}

/** The certificate's extensions in order, as openssl names them (an unknown one by its OID, value in hex). */
export function certificateExtensions(pem: string): CertificateExtensionView[] {
  const certificate = new x509.X509Certificate(pem);
  return certificate.extensions.map((ext) => ({ oid: ext.type, name: NAMES[ext.type] ?? ext.type, critical: ext.critical, values: valuesOf(ext) }));
}

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
};

/** The signature algorithm as openssl prints it ("ecdsa-with-SHA256"); an unknown one by its OID. */
export function signatureAlgorithmName(pem: string): string {
  const der = fromPem(pem, ['CERTIFICATE']);
  const what = 'certificate';
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue }
  const [, algorithm] = childrenOf(der, readWhole(der, TAG.sequence, what), what);
  if (!algorithm) throw new DerError(`${what}: no signatureAlgorithm`);
  const [id] = childrenOf(der, expectTag(algorithm, TAG.sequence, `${what} signatureAlgorithm`), `${what} signatureAlgorithm`);
  if (!id) throw new DerError(`${what}: empty signatureAlgorithm`);
  const oid = readOid(der, id, `${what} signatureAlgorithm`);
  return SIGNATURE_ALGORITHMS[oid] ?? oid;
}
