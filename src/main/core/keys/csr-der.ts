import { childrenOf, contentOf, contextTag, DerError, encodingOf, expectTag, readOid, readWhole, TAG, type Tlv } from './der';
import { OID } from './oids';

/** A PKCS#10 CSR taken apart into the bytes a CA copies and checks; nothing is decoded that is not needed. */
export interface CsrParts {
  /** certificationRequestInfo, the signed bytes. */
  info: Uint8Array;
  /** The subject Name, as encoded. */
  subject: Uint8Array;
  /** True when the subject has no RDN at all. */
  subjectEmpty: boolean;
  /** SubjectPublicKeyInfo, as encoded. */
  spki: Uint8Array;
  signatureAlgorithm: { oid: string; /** Encoded parameters, when present. */ parameters?: Uint8Array };
  /** The signature BIT STRING's bytes (no unused bits allowed). */
  signature: Uint8Array;
  /** The first subjectAltName in the extensionRequest, when there is one: its criticality and the GeneralNames it wraps. */
  subjectAltName?: { critical: boolean; value: Uint8Array };
}

const WHAT = 'certificateSigningRequest';

function extensionRequestSan(bytes: Uint8Array, attributes: Tlv): CsrParts['subjectAltName'] {
  for (const attribute of childrenOf(bytes, attributes, `${WHAT} attributes`)) {
    const [type, values] = childrenOf(bytes, expectTag(attribute, TAG.sequence, `${WHAT} attribute`), `${WHAT} attribute`);
    if (!type || !values || readOid(bytes, type, `${WHAT} attribute type`) !== OID.extensionRequest) continue;
    const [extensions] = childrenOf(bytes, expectTag(values, TAG.set, `${WHAT} extensionRequest`), `${WHAT} extensionRequest`);
    if (!extensions) return undefined;
    for (const extension of childrenOf(bytes, expectTag(extensions, TAG.sequence, `${WHAT} extensions`), `${WHAT} extensions`)) {
      const parts = childrenOf(bytes, expectTag(extension, TAG.sequence, `${WHAT} extension`), `${WHAT} extension`);
      if (parts.length < 2 || readOid(bytes, parts[0]!, `${WHAT} extension id`) !== OID.subjectAltName) continue;
      const critical = parts.length === 3 && expectTag(parts[1]!, TAG.boolean, `${WHAT} extension critical`) && contentOf(bytes, parts[1]!)[0] !== 0;
      const value = expectTag(parts[parts.length - 1]!, TAG.octetString, `${WHAT} subjectAltName`);
      return { critical, value: contentOf(bytes, value) };
    }
  }
  return undefined;
}

/** Takes a CSR's DER apart; throws DerError naming what is malformed. */
export function csrParts(der: Uint8Array): CsrParts {
  const bytes = der;
  const outer = readWhole(bytes, TAG.sequence, WHAT);
  const [infoTlv, algorithmTlv, signatureTlv, ...extra] = childrenOf(bytes, outer, WHAT);
  if (!infoTlv || !algorithmTlv || !signatureTlv || extra.length > 0) throw new DerError(`${WHAT}: expected info, algorithm and signature`);
  const [version, subject, spki, attributes, ...rest] = childrenOf(bytes, expectTag(infoTlv, TAG.sequence, `${WHAT} info`), `${WHAT} info`);
  if (!version || !subject || !spki || rest.length > 0) throw new DerError(`${WHAT}: expected version, subject, public key and attributes`);
  const versionValue = contentOf(bytes, expectTag(version, TAG.integer, `${WHAT} version`));
  if (versionValue.length !== 1 || versionValue[0] !== 0) throw new DerError(`${WHAT}: version must be 0 (v1)`);
  expectTag(subject, TAG.sequence, `${WHAT} subject`);
  expectTag(spki, TAG.sequence, `${WHAT} subjectPublicKeyInfo`);
  const [algorithmOid, parameters] = childrenOf(bytes, expectTag(algorithmTlv, TAG.sequence, `${WHAT} signatureAlgorithm`), `${WHAT} signatureAlgorithm`);
  if (!algorithmOid) throw new DerError(`${WHAT}: signatureAlgorithm has no OID`);
  const signature = contentOf(bytes, expectTag(signatureTlv, TAG.bitString, `${WHAT} signature`));
  if (signature.length < 1 || signature[0] !== 0) throw new DerError(`${WHAT}: the signature BIT STRING must have no unused bits`);
  return {
    info: encodingOf(bytes, infoTlv),
    subject: encodingOf(bytes, subject),
    subjectEmpty: subject.contentStart === subject.end,
    spki: encodingOf(bytes, spki),
    signatureAlgorithm: { oid: readOid(bytes, algorithmOid, `${WHAT} signatureAlgorithm`), parameters: parameters && encodingOf(bytes, parameters) },
    signature: signature.subarray(1),
    subjectAltName: attributes ? extensionRequestSan(bytes, expectTag(attributes, contextTag(0, true), `${WHAT} attributes`)) : undefined,
  };
}
