// @peculiar/x509 needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { CertificateExtensionView } from '../../../shared/certificate';
import { colonHex } from '../../../shared/hex';
import { childrenOf, DerError, expectTag, readOid, readWhole, TAG } from './der';
import { OPENSSL_OID_NAMES, SIGNATURE_ALGORITHM_NAMES } from './oids';
import { fromPem } from './pem';

// Every extension of a certificate, named and worded as `openssl x509 -text` prints it, so what
// the certificate page shows can be checked against the tool people already trust.

const hex = (bytes: ArrayBuffer | Uint8Array | string): string => colonHex(typeof bytes === 'string' ? bytes : Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex'));

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


const GENERAL_NAME_LABEL: Record<string, string> = { dns: 'DNS', ip: 'IP Address', email: 'email', url: 'URI', dn: 'DirName', guid: 'othername', upn: 'othername', id: 'Registered ID' };

function generalNames(names: x509.GeneralNames): string {
  return names.items.map((n) => `${GENERAL_NAME_LABEL[n.type] ?? n.type}:${n.value}`).join(', ');
}

function valuesOf(ext: x509.Extension): string[] {
  if (ext instanceof x509.KeyUsagesExtension) return [KEY_USAGES.filter(([flag]) => (ext.usages & flag) !== 0).map(([, label]) => label).join(', ')];
  if (ext instanceof x509.ExtendedKeyUsageExtension) return [ext.usages.map((u) => OPENSSL_OID_NAMES[String(u)] ?? String(u)).join(', ')];
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
  return certificate.extensions.map((ext) => ({ oid: ext.type, name: OPENSSL_OID_NAMES[ext.type] ?? ext.type, critical: ext.critical, values: valuesOf(ext) }));
}

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
  return SIGNATURE_ALGORITHM_NAMES[oid] ?? oid;
}
