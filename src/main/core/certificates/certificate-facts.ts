import { X509Certificate } from 'node:crypto';
// @peculiar/x509 needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { CertificateRecord } from '../../../shared/certificate';
import type { ResponseSubjectAlternativeNames } from '../../../shared/certificate-request';

/** What the inventory records about a certificate, read from the certificate itself. */
export type CertificateFacts = Pick<
  CertificateRecord,
  | 'subjectCN'
  | 'subjectDN'
  | 'issuerDN'
  | 'subjectAlternativeNamesByType'
  | 'serialNumber'
  | 'fingerprint'
  | 'sha256Fingerprint'
  | 'validityStart'
  | 'validityEnd'
  | 'keyType'
  | 'keyStrength'
  | 'keyCurve'
  | 'isCA'
> & {
  /** DER SubjectPublicKeyInfo, to match a certificate to its private key. */
  spki: Buffer;
};

export function emptyResponseSans(): ResponseSubjectAlternativeNames {
  return {
    otherName: [],
    rfc822Name: [],
    dNSName: [],
    x400Address: [],
    directoryName: [],
    ediPartyName: [],
    uniformResourceIdentifier: [],
    iPAddress: [],
    registeredID: [],
  };
}

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P256', secp384r1: 'P384', secp521r1: 'P521' };

/** The cloud writes DNs with lower-case attribute names, most specific first: "cn=a,ou=b,o=c,c=US,st=d,l=e". */
function cloudStyleDn(name: x509.Name): string {
  return name
    .toJSON()
    .flatMap((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((v) => `${type.toLowerCase()}=${v}`)))
    .reverse()
    .join(',');
}

function sansOf(cert: x509.X509Certificate): ResponseSubjectAlternativeNames {
  const out = emptyResponseSans();
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  for (const item of ext?.names.items ?? []) {
    if (item.type === 'dns') out.dNSName.push(item.value);
    else if (item.type === 'ip') out.iPAddress.push(item.value);
    else if (item.type === 'email') out.rfc822Name.push(item.value);
    else if (item.type === 'url') out.uniformResourceIdentifier.push(item.value);
    else if (item.type === 'dn') out.directoryName.push(item.value);
    else if (item.type === 'id') out.registeredID.push(item.value);
    else out.otherName.push(item.value);
  }
  return out;
}

/** Reads the facts of a PEM certificate; throws with a clear message when it is not one. */
export function certificateFacts(pem: string): CertificateFacts {
  let node: X509Certificate;
  let peculiar: x509.X509Certificate;
  try {
    node = new X509Certificate(pem);
    peculiar = new x509.X509Certificate(pem);
  } catch (error) {
    throw new Error(`not a valid X.509 certificate in PEM: ${(error as Error).message}`, { cause: error });
  }
  const key = node.publicKey;
  const spki = key.export({ type: 'spki', format: 'der' });
  const details = key.asymmetricKeyDetails ?? {};
  const keyKind = key.asymmetricKeyType;
  const keyType = keyKind === 'rsa' || keyKind === 'rsa-pss' ? 'RSA' : 'EC';
  return {
    subjectCN: peculiar.subjectName.getField('CN'),
    subjectDN: cloudStyleDn(peculiar.subjectName),
    issuerDN: cloudStyleDn(peculiar.issuerName),
    subjectAlternativeNamesByType: sansOf(peculiar),
    serialNumber: node.serialNumber.toUpperCase(),
    fingerprint: node.fingerprint.replaceAll(':', '').toUpperCase(),
    sha256Fingerprint: node.fingerprint256.replaceAll(':', '').toUpperCase(),
    validityStart: node.validFromDate.toISOString(),
    validityEnd: node.validToDate.toISOString(),
    keyType,
    keyStrength: keyType === 'RSA' ? details.modulusLength : undefined,
    keyCurve: keyKind === 'ed25519' ? 'ED25519' : details.namedCurve ? (CURVE_NAMES[details.namedCurve] ?? details.namedCurve) : undefined,
    isCA: node.ca,
    spki,
  };
}

/** Splits a PEM bundle into its certificates, in order. */
export function splitPemCertificates(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((p) => p + '\n') ?? [];
}
