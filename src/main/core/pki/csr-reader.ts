import type { SubjectAlternativeNamesByType } from '../../../shared/csr-attributes';
import { childrenOf, contentOf, contextTag, DerError, encodingOf, expectTag, readOid, readWhole, TAG, type Tlv } from './der';
import { OID } from './oids';
import { fromPem } from './pem';
import { readGeneralNames, readName } from './x509-der';

// The one reader of PKCS#10 CSRs (RFC 2986). What it returns is what the template's policy
// checks and what the built-in CA signs: a CSR it cannot read completely, or one that could say
// two things to two readers (a second extensionRequest, a second subjectAltName, a second CN),
// is refused here, so no later reader can see a name the policy did not.

/** The subject as the policy checks it: each attribute the satellite knows, at most once (OU may repeat). */
export interface CsrSubject {
  commonName?: string;
  organization?: string;
  organizationalUnits: string[];
  locality?: string;
  state?: string;
  country?: string;
}

export interface CsrContents {
  /** certificationRequestInfo, the signed bytes. */
  info: Uint8Array;
  /** The subject Name, as encoded (the built-in CA copies it; it holds only what `subject` says). */
  subjectDer: Uint8Array;
  subject: CsrSubject;
  /** True when the subject has no RDN at all. */
  subjectEmpty: boolean;
  /** SubjectPublicKeyInfo, as encoded. */
  spki: Uint8Array;
  signatureAlgorithm: { oid: string; /** Encoded parameters, when present. */ parameters?: Uint8Array };
  /** The signature BIT STRING's bytes (no unused bits allowed). */
  signature: Uint8Array;
  /** Every SAN, by kind. An empty SAN extension (as vcert sends) gives no names. */
  subjectAlternativeNamesByType: SubjectAlternativeNamesByType;
  /** The subjectAltName extension as encoded, when it names at least one name. */
  subjectAltName?: { critical: boolean; value: Uint8Array };
}

/** A CSR that is not one, or that the satellite will not read; the message names what and the fix. */
export class CsrReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsrReadError';
  }
}

const WHAT = 'certificateSigningRequest';
const PEM_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'] as const;

/** Subject attribute types the policy checks, by the short name the x509 reader gives them. */
const SUBJECT_FIELDS: Readonly<Record<string, { field: Exclude<keyof CsrSubject, 'organizationalUnits'>; label: string }>> = {
  CN: { field: 'commonName', label: 'common name (CN)' },
  O: { field: 'organization', label: 'organization (O)' },
  L: { field: 'locality', label: 'locality (L)' },
  ST: { field: 'state', label: 'state (ST)' },
  C: { field: 'country', label: 'country (C)' },
};

function subjectOf(bytes: Uint8Array, subject: Tlv): CsrSubject {
  const out: CsrSubject = { organizationalUnits: [] };
  for (const rdn of readName(bytes, subject, `${WHAT} subject`)) {
    for (const { type, value } of rdn) {
      if (type === 'OU') {
        out.organizationalUnits.push(value);
        continue;
      }
      const known = SUBJECT_FIELDS[type];
      if (!known) {
        throw new CsrReadError(
          `${WHAT}: its subject has ${type}=${JSON.stringify(value)}, which an issuing template cannot check; make the CSR with only CN, O, OU, L, ST and C in the subject (put e-mail addresses in subjectAltName)`,
        );
      }
      const earlier = out[known.field];
      if (earlier !== undefined) {
        throw new CsrReadError(
          `${WHAT}: its subject has more than one ${known.label} (${JSON.stringify(earlier)} and ${JSON.stringify(value)}); a certificate may have one: make the CSR with one, and put other host names in subjectAltName`,
        );
      }
      out[known.field] = value;
    }
  }
  return out;
}

interface Extension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

/** Every extension the CSR asks for, from its one extensionRequest attribute; any repetition is refused. */
function requestedExtensions(bytes: Uint8Array, attributes: Tlv): Extension[] {
  let extensionRequests = 0;
  const out: Extension[] = [];
  for (const attribute of childrenOf(bytes, attributes, `${WHAT} attributes`)) {
    const [type, values, ...rest] = childrenOf(bytes, expectTag(attribute, TAG.sequence, `${WHAT} attribute`), `${WHAT} attribute`);
    if (!type || !values || rest.length > 0) throw new DerError(`${WHAT}: an attribute must be a type and a set of values`);
    if (readOid(bytes, type, `${WHAT} attribute type`) !== OID.extensionRequest) continue;
    if (++extensionRequests > 1) {
      throw new CsrReadError(`${WHAT}: the CSR has more than one extensionRequest attribute; a CSR may ask for its extensions once: make it again with one`);
    }
    const sets = childrenOf(bytes, expectTag(values, TAG.set, `${WHAT} extensionRequest`), `${WHAT} extensionRequest`);
    if (sets.length !== 1) {
      throw new CsrReadError(`${WHAT}: its extensionRequest attribute holds ${sets.length} sets of extensions; a CSR may ask for its extensions once: make it again with one`);
    }
    for (const extension of childrenOf(bytes, expectTag(sets[0]!, TAG.sequence, `${WHAT} extensions`), `${WHAT} extensions`)) {
      const parts = childrenOf(bytes, expectTag(extension, TAG.sequence, `${WHAT} extension`), `${WHAT} extension`);
      if (parts.length < 2 || parts.length > 3) throw new DerError(`${WHAT}: an extension must be an id, an optional critical flag and a value`);
      const oid = readOid(bytes, parts[0]!, `${WHAT} extension id`);
      const critical = parts.length === 3 && contentOf(bytes, expectTag(parts[1]!, TAG.boolean, `${WHAT} extension critical`))[0] !== 0;
      if (out.some((e) => e.oid === oid)) {
        const name = oid === OID.subjectAltName ? 'subjectAltName' : oid;
        throw new CsrReadError(`${WHAT}: the CSR asks for the ${name} extension more than once; make it again with each extension once`);
      }
      out.push({ oid, critical, value: contentOf(bytes, expectTag(parts[parts.length - 1]!, TAG.octetString, `${WHAT} extension value`)) });
    }
  }
  return out;
}

function namesOf(san: Extension | undefined): SubjectAlternativeNamesByType {
  const names: SubjectAlternativeNamesByType = { dnsNames: [], ipAddresses: [], rfc822Names: [], uniformResourceIdentifiers: [] };
  if (!san) return names;
  let items;
  try {
    items = readGeneralNames(san.value, `${WHAT} subjectAltName`);
  } catch (error) {
    throw new CsrReadError(
      `${WHAT}: its subjectAltName holds a name an issuing template cannot check (${(error as Error).message}); use only DNS names, IP addresses, e-mail addresses and URIs`,
    );
  }
  for (const item of items) {
    if (item.type === 'dns') names.dnsNames.push(item.value);
    else if (item.type === 'ip') names.ipAddresses.push(item.value);
    else if (item.type === 'email') names.rfc822Names.push(item.value);
    else names.uniformResourceIdentifiers.push(item.value);
  }
  return names;
}

const nameCount = (n: SubjectAlternativeNamesByType) => n.dnsNames.length + n.ipAddresses.length + n.rfc822Names.length + n.uniformResourceIdentifiers.length;

/** The top-level fields of a CSR, checked for shape and version only. */
interface CsrFrame {
  infoTlv: Tlv;
  algorithmTlv: Tlv;
  signatureTlv: Tlv;
  subject: Tlv;
  spki: Tlv;
  attributes: Tlv | undefined;
}

function csrFrame(bytes: Uint8Array): CsrFrame {
  const outer = readWhole(bytes, TAG.sequence, WHAT);
  const [infoTlv, algorithmTlv, signatureTlv, ...extra] = childrenOf(bytes, outer, WHAT);
  if (!infoTlv || !algorithmTlv || !signatureTlv || extra.length > 0) throw new DerError(`${WHAT}: expected info, algorithm and signature`);
  const [version, subject, spki, attributes, ...rest] = childrenOf(bytes, expectTag(infoTlv, TAG.sequence, `${WHAT} info`), `${WHAT} info`);
  if (!version || !subject || !spki || rest.length > 0) throw new DerError(`${WHAT}: expected version, subject, public key and attributes`);
  const versionValue = contentOf(bytes, expectTag(version, TAG.integer, `${WHAT} version`));
  if (versionValue.length !== 1 || versionValue[0] !== 0) throw new DerError(`${WHAT}: version must be 0 (v1)`);
  expectTag(spki, TAG.sequence, `${WHAT} subjectPublicKeyInfo`);
  return { infoTlv, algorithmTlv, signatureTlv, subject, spki, attributes };
}

/** Reads a CSR's DER. Throws CsrReadError (or DerError for malformed bytes) naming what is wrong. */
export function readCsrDer(der: Uint8Array): CsrContents {
  const bytes = der;
  const { infoTlv, algorithmTlv, signatureTlv, subject, spki, attributes } = csrFrame(bytes);
  const [algorithmOid, parameters] = childrenOf(bytes, expectTag(algorithmTlv, TAG.sequence, `${WHAT} signatureAlgorithm`), `${WHAT} signatureAlgorithm`);
  if (!algorithmOid) throw new DerError(`${WHAT}: signatureAlgorithm has no OID`);
  const signature = contentOf(bytes, expectTag(signatureTlv, TAG.bitString, `${WHAT} signature`));
  if (signature.length < 1 || signature[0] !== 0) throw new DerError(`${WHAT}: the signature BIT STRING must have no unused bits`);
  const extensions = attributes ? requestedExtensions(bytes, expectTag(attributes, contextTag(0, true), `${WHAT} attributes`)) : [];
  const san = extensions.find((e) => e.oid === OID.subjectAltName);
  const subjectAlternativeNamesByType = namesOf(san);
  return {
    info: encodingOf(bytes, infoTlv),
    subjectDer: encodingOf(bytes, subject),
    subject: subjectOf(bytes, subject),
    subjectEmpty: subject.contentStart === subject.end,
    spki: encodingOf(bytes, spki),
    signatureAlgorithm: { oid: readOid(bytes, algorithmOid, `${WHAT} signatureAlgorithm`), parameters: parameters && encodingOf(bytes, parameters) },
    signature: signature.subarray(1),
    subjectAlternativeNamesByType,
    subjectAltName: san && nameCount(subjectAlternativeNamesByType) > 0 ? { critical: san.critical, value: san.value } : undefined,
  };
}

/** The names a CSR asks for: what an issuing template's policy checks, and all a certificate for it may hold. */
export interface CsrNames {
  subject: CsrSubject;
  subjectAlternativeNamesByType: SubjectAlternativeNamesByType;
}

/** Exactly the names in a PEM CSR (for a caller whose names came from the CSR itself). */
export function csrNames(pem: string): CsrNames {
  const { subject, subjectAlternativeNamesByType } = readCsrPem(pem);
  return { subject, subjectAlternativeNamesByType };
}

/** Reads a PEM CSR; every failure is a CsrReadError whose message a user can act on. */
export function readCsrPem(pem: string): CsrContents {
  try {
    return readCsrDer(fromPem(pem, PEM_LABELS));
  } catch (error) {
    throw asCsrReadError(error);
  }
}

function asCsrReadError(error: unknown): CsrReadError {
  if (error instanceof CsrReadError) return error;
  return new CsrReadError(
    `${WHAT} is not a PEM PKCS#10 CSR (${(error as Error).message}); send the text from -----BEGIN CERTIFICATE REQUEST----- to -----END CERTIFICATE REQUEST-----`,
  );
}

/**
 * Only the SubjectPublicKeyInfo DER of a PEM CSR, without reading its names and extensions: for a
 * CSR the satellite has already read in full and verified, e.g. to match an issued certificate to
 * it (once per certificate stored).
 */
export function readCsrSpkiPem(pem: string): Uint8Array {
  try {
    const bytes = fromPem(pem, PEM_LABELS);
    return encodingOf(bytes, csrFrame(bytes).spki);
  } catch (error) {
    throw asCsrReadError(error);
  }
}
