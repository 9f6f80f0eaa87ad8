import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { SubjectAlternativeNamesByType } from '../../../shared/csr-attributes';
import type { KeyTypeParameters } from '../../../shared/key-types';
import { formatSubjectDN, type SubjectFields } from '../../../shared/subject-dn';
import { formatIpAddressBytes } from '../../../shared/validation/ip-address';
import { cryptoEngine } from './crypto-engine';
import { csrParts } from './csr-der';
import { keyTypeParametersFromSpki } from './key-material';
import { GENERAL_NAME, OID } from './oids';
import { fromPem } from './pem';

export { keyTypeParametersFromSpki, importPrivateKey, keyPairFromPkcs8, publicKeysEqual, spkiFromPkcs8, UnsupportedKeyError } from './key-material';

/** What the pipeline needs from an uploaded CSR. */
export interface ParsedCsr {
  der: Uint8Array;
  subject: SubjectFields & { organizationalUnits: string[] };
  /** In the cloud's style, as formatSubjectDN writes it. */
  subjectDN: string;
  subjectAlternativeNamesByType: SubjectAlternativeNamesByType;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  keyTypeParameters: KeyTypeParameters;
  /** Whether the CSR is signed by the private key of its own public key (proof of possession). */
  signatureValid: boolean;
}

export class CsrParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsrParseError';
  }
}

const SUBJECT_FIELDS: Record<string, Exclude<keyof SubjectFields, 'organizationalUnits'>> = {
  [OID.commonName]: 'commonName',
  [OID.organization]: 'organization',
  [OID.locality]: 'locality',
  [OID.state]: 'state',
  [OID.country]: 'country',
};

function stringOf(value: unknown): string | undefined {
  const text = (value as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
  return typeof text === 'string' ? text : undefined;
}

function subjectOf(request: pkijs.CertificationRequest): ParsedCsr['subject'] {
  const subject: ParsedCsr['subject'] = { organizationalUnits: [] };
  for (const atv of request.subject.typesAndValues) {
    const value = stringOf(atv.value);
    if (value === undefined) continue;
    if (atv.type === OID.organizationalUnit) subject.organizationalUnits.push(value);
    const field = SUBJECT_FIELDS[atv.type];
    // The first value wins, as CAs read a repeated CN.
    if (field && subject[field] === undefined) subject[field] = value;
  }
  return subject;
}

function subjectAlternativeNamesOf(request: pkijs.CertificationRequest): SubjectAlternativeNamesByType {
  const sans: SubjectAlternativeNamesByType = { dnsNames: [], ipAddresses: [], rfc822Names: [], uniformResourceIdentifiers: [] };
  const extensionRequest = request.attributes?.find((a) => a.type === OID.extensionRequest);
  if (!extensionRequest?.values[0]) return sans;
  const extensions = new pkijs.Extensions({ schema: extensionRequest.values[0] }).extensions;
  for (const extension of extensions.filter((e) => e.extnID === OID.subjectAltName)) {
    const asn1 = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView);
    if (asn1.offset === -1) throw new CsrParseError('the CSR\'s subjectAltName extension is not valid DER');
    for (const name of new pkijs.GeneralNames({ schema: asn1.result }).names) {
      if (name.type === GENERAL_NAME.dNSName) sans.dnsNames.push(String(name.value));
      else if (name.type === GENERAL_NAME.rfc822Name) sans.rfc822Names.push(String(name.value));
      else if (name.type === GENERAL_NAME.uniformResourceIdentifier) sans.uniformResourceIdentifiers.push(String(name.value));
      else if (name.type === GENERAL_NAME.iPAddress) {
        const bytes = (name.value as asn1js.OctetString).valueBlock.valueHexView;
        if (bytes.length !== 4 && bytes.length !== 16) throw new CsrParseError(`the CSR has an iPAddress SAN of ${bytes.length} bytes; it must be 4 or 16`);
        sans.ipAddresses.push(formatIpAddressBytes(bytes));
      }
    }
  }
  return sans;
}

async function verifySignature(request: pkijs.CertificationRequest, spki: Uint8Array): Promise<boolean> {
  try {
    if (request.signatureAlgorithm.algorithmId !== OID.ed25519) return await request.verify(cryptoEngine);
    // pkijs 4 cannot import Ed25519 keys: verify the to-be-signed bytes with WebCrypto directly.
    const subtle = globalThis.crypto.subtle;
    const publicKey = await subtle.importKey('spki', new Uint8Array(spki), { name: 'Ed25519' }, false, ['verify']);
    return await subtle.verify('Ed25519', publicKey, new Uint8Array(request.signatureValue.valueBlock.valueHexView), new Uint8Array(request.tbsView));
  } catch {
    return false;
  }
}

/**
 * Only the SubjectPublicKeyInfo DER of a PEM CSR, nothing checked: for a CSR the satellite has
 * already parsed and verified, e.g. to match an issued certificate to it, where parseCsr's full
 * read and signature check would cost milliseconds per request for nothing. A DER walk, no schema.
 */
export function csrPublicKeyInfo(pem: string): Uint8Array {
  try {
    return csrParts(fromPem(pem, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'])).spki;
  } catch (error) {
    throw new CsrParseError(`certificateSigningRequest is not a PEM PKCS#10 CSR: ${(error as Error).message}`);
  }
}

/**
 * Reads a PEM CSR (e.g. one a user uploads). Throws CsrParseError when it is not a CSR and
 * UnsupportedKeyError when its key is of a type the satellite does not issue for; a bad
 * signature is reported in `signatureValid`, for the caller to refuse with its own words.
 */
export async function parseCsr(pem: string): Promise<ParsedCsr> {
  let der: Uint8Array;
  let request: pkijs.CertificationRequest;
  try {
    der = fromPem(pem, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
    request = pkijs.CertificationRequest.fromBER(new Uint8Array(der));
  } catch (error) {
    throw new CsrParseError(`certificateSigningRequest is not a PEM PKCS#10 CSR: ${(error as Error).message}`);
  }
  const spki = new Uint8Array(request.subjectPublicKeyInfo.toSchema().toBER(false));
  const subject = subjectOf(request);
  return {
    der,
    subject,
    subjectDN: formatSubjectDN(subject),
    subjectAlternativeNamesByType: subjectAlternativeNamesOf(request),
    spki,
    keyTypeParameters: keyTypeParametersFromSpki(spki),
    signatureValid: await verifySignature(request, spki),
  };
}
