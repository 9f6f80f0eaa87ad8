import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
// @peculiar/x509 needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { CertificateRecord } from '../../../shared/certificate';
import type { ResponseSubjectAlternativeNames } from '../../../shared/certificate-request';
import { curveFromOpensslName } from './curves';
import { DerError, encodingOf } from './der';
import { fromPem } from './pem';
import { certificateBasics, certificateParts, publicKeyFacts, readGeneralNames, readName, type CertificateParts, type NameAttribute, type PublicKeyFacts } from './x509-der';

/** What the inventory records about a certificate, read from the certificate itself. */
export type CertificateFacts = Pick<
  CertificateRecord,
  | 'subjectCN'
  | 'subjectO'
  | 'subjectOU'
  | 'subjectL'
  | 'subjectST'
  | 'subjectC'
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

const SAN_OID = '2.5.29.17';

/** What is read from the names and the SAN extension; the rest comes from Node's parser. */
type NameFacts = Pick<CertificateFacts, 'subjectCN' | 'subjectO' | 'subjectOU' | 'subjectL' | 'subjectST' | 'subjectC' | 'subjectDN' | 'issuerDN' | 'subjectAlternativeNamesByType'>;

/** subjectO, subjectOU, subjectL, subjectST, subjectC from the subject's attributes (short type names). */
function subjectFields(attributes: readonly { type: string; value: string }[]): Pick<NameFacts, 'subjectO' | 'subjectOU' | 'subjectL' | 'subjectST' | 'subjectC'> {
  const first = (type: string) => attributes.find((a) => a.type === type)?.value;
  const ous = attributes.filter((a) => a.type === 'OU').map((a) => a.value);
  const fields = { subjectO: first('O'), subjectOU: ous.length > 0 ? ous : undefined, subjectL: first('L'), subjectST: first('ST'), subjectC: first('C') };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** The cloud writes DNs with lower-case attribute names, most specific first: "cn=a,ou=b,o=c,c=US,st=d,l=e". */
function cloudStyleDn(rdns: NameAttribute[][]): string {
  return rdns
    .flatMap((rdn) => {
      // Grouped by type within an RDN, as @peculiar/x509's Name.toJSON does.
      const byType = new Map<string, string[]>();
      for (const { type, value } of rdn) byType.set(type, [...(byType.get(type) ?? []), value]);
      return [...byType].flatMap(([type, values]) => values.map((v) => `${type.toLowerCase()}=${v}`));
    })
    .reverse()
    .join(',');
}

function responseSans(items: readonly { type: string; value: string }[]): ResponseSubjectAlternativeNames {
  const out = emptyResponseSans();
  for (const item of items) {
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

/** Names, SANs and the SubjectPublicKeyInfo by walking the DER: microseconds, for every certificate the pipeline stores. */
function factsFromDer(parts: CertificateParts): NameFacts & { spki: Buffer } {
  const subject = readName(parts.bytes, parts.subject, 'certificate subject');
  const san = parts.extensions.find((e) => e.oid === SAN_OID);
  return {
    subjectCN: subject.flat().filter((a) => a.type === 'CN').map((a) => a.value),
    ...subjectFields(subject.flat()),
    subjectDN: cloudStyleDn(subject),
    issuerDN: cloudStyleDn(readName(parts.bytes, parts.issuer, 'certificate issuer')),
    subjectAlternativeNamesByType: responseSans(san ? readGeneralNames(san.value) : []),
    // Copied as encoded, which is what exporting Node's KeyObject would give back, at a fraction of the cost.
    spki: Buffer.from(encodingOf(parts.bytes, parts.subjectPublicKeyInfo)),
  };
}

/** Names and SANs by @peculiar/x509, for what the DER walk leaves to it (other string types, otherName SANs, ...). */
function nameFactsFromPeculiar(pem: string): NameFacts {
  const cert = new x509.X509Certificate(pem);
  const json = (name: x509.Name) => name.toJSON().map((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((value) => ({ type, value }))));
  return {
    subjectCN: cert.subjectName.getField('CN'),
    ...subjectFields(json(cert.subjectName).flat()),
    subjectDN: cloudStyleDn(json(cert.subjectName)),
    issuerDN: cloudStyleDn(json(cert.issuerName)),
    subjectAlternativeNamesByType: responseSans(cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? []),
  };
}

/** The key facts as Node's KeyObject reports them, for keys the DER reader leaves to it. */
function keyFactsFromNode(key: KeyObject): PublicKeyFacts {
  const details = key.asymmetricKeyDetails ?? {};
  const keyKind = key.asymmetricKeyType;
  const keyType = keyKind === 'rsa' || keyKind === 'rsa-pss' ? 'RSA' : 'EC';
  return {
    keyType,
    keyStrength: keyType === 'RSA' ? details.modulusLength : undefined,
    keyCurve: keyKind === 'ed25519' ? 'ED25519' : details.namedCurve ? (curveFromOpensslName(details.namedCurve) ?? details.namedCurve) : undefined,
  };
}

/** Runs a DER reader; undefined when it leaves the certificate to the full parsers (DerError). */
function orFullParser<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}

/**
 * Every fact from the DER alone: the names and key as above, the serial, validity and CA flag by
 * certificateBasics, the fingerprints hashed from the bytes. Undefined for a certificate left to
 * Node (not a PEM CERTIFICATE block, or outside what the readers take: see certificateBasics).
 */
function factsFromDerAlone(pem: string): CertificateFacts | undefined {
  let der: Uint8Array;
  try {
    der = fromPem(pem, ['CERTIFICATE']);
  } catch {
    return undefined;
  }
  return orFullParser(() => {
    const parts = certificateParts(der);
    const basics = certificateBasics(parts);
    const key = publicKeyFacts(parts.bytes, parts.subjectPublicKeyInfo);
    return {
      ...factsFromDer(parts),
      serialNumber: basics.serialNumber,
      fingerprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
      sha256Fingerprint: createHash('sha256').update(der).digest('hex').toUpperCase(),
      validityStart: basics.notBefore.toISOString(),
      validityEnd: basics.notAfter.toISOString(),
      keyType: key.keyType,
      keyStrength: key.keyStrength,
      keyCurve: key.keyCurve,
      isCA: basics.isCA,
    };
  });
}

/**
 * The facts with Node's X509Certificate as the judge of whether this is a certificate at all: it
 * reads the serial, fingerprints, dates and CA flag; names and the key still come from the DER
 * when the readers take them. For what factsFromDerAlone leaves, and the reference its spec
 * compares with.
 */
export function certificateFactsFromNode(pem: string): CertificateFacts {
  let node: X509Certificate;
  let names: NameFacts & { spki?: Buffer };
  let key: PublicKeyFacts;
  try {
    node = new X509Certificate(pem);
    const parts = orFullParser(() => certificateParts(node.raw));
    names = (parts && orFullParser(() => factsFromDer(parts))) ?? nameFactsFromPeculiar(pem);
    key = (parts && orFullParser(() => publicKeyFacts(parts.bytes, parts.subjectPublicKeyInfo))) ?? keyFactsFromNode(node.publicKey);
  } catch (error) {
    throw new Error(`not a valid X.509 certificate in PEM: ${(error as Error).message}`, { cause: error });
  }
  return {
    ...names,
    spki: names.spki ?? node.publicKey.export({ type: 'spki', format: 'der' }),
    serialNumber: node.serialNumber.toUpperCase(),
    fingerprint: node.fingerprint.replaceAll(':', '').toUpperCase(),
    sha256Fingerprint: node.fingerprint256.replaceAll(':', '').toUpperCase(),
    validityStart: node.validFromDate.toISOString(),
    validityEnd: node.validToDate.toISOString(),
    keyType: key.keyType,
    keyStrength: key.keyStrength,
    keyCurve: key.keyCurve,
    isCA: node.ca,
  };
}

/** Reads the facts of a PEM certificate; throws with a clear message when it is not one. */
export function certificateFacts(pem: string): CertificateFacts {
  // Every certificate the pipeline stores comes through here: the DER readers take the ones that
  // keep to the profile (microseconds), Node's parser the rest.
  return factsFromDerAlone(pem) ?? certificateFactsFromNode(pem);
}

/** Splits a PEM bundle into its certificates, in order (pki/pem.ts). */
