import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { CsrAttributes } from '../../../shared/csr-attributes';
import { formatSubjectDN } from '../../../shared/subject-dn';
import { ipAddressBytes } from '../../../shared/validation/ip-address';
import { signatureHashFor } from './algorithms';
import { cryptoEngine } from './crypto-engine';
import type { GeneratedKeyPair } from './generate-key-pair';
import { GENERAL_NAME, OID } from './oids';
import { toPem } from './pem';

export interface CreatedCsr {
  pem: string;
  der: Uint8Array;
  /** The subject in the cloud's style, for the request record and the UI. */
  subjectDN: string;
}

/** Exposes the to-be-signed bytes, which pkijs keeps protected, for signatures pkijs cannot make. */
class CertificationRequestBuilder extends pkijs.CertificationRequest {
  encodeToBeSigned(): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.encodeTBS().toBER());
  }
}

const utf8 = (value: string) => new asn1js.Utf8String({ value });
const attribute = (type: string, value: asn1js.Utf8String | asn1js.PrintableString) => new pkijs.AttributeTypeAndValue({ type, value });

/**
 * Subject RDNs in the order openssl prints them and most CAs expect: C, ST, L, O, OU..., CN.
 * Country is a PrintableString (X.520 requires it); everything else UTF8String (RFC 5280).
 */
function subjectOf(attrs: CsrAttributes): pkijs.RelativeDistinguishedNames {
  const typesAndValues: pkijs.AttributeTypeAndValue[] = [];
  if (attrs.country) typesAndValues.push(attribute(OID.country, new asn1js.PrintableString({ value: attrs.country })));
  if (attrs.state) typesAndValues.push(attribute(OID.state, utf8(attrs.state)));
  if (attrs.locality) typesAndValues.push(attribute(OID.locality, utf8(attrs.locality)));
  if (attrs.organization) typesAndValues.push(attribute(OID.organization, utf8(attrs.organization)));
  for (const ou of attrs.organizationalUnits) typesAndValues.push(attribute(OID.organizationalUnit, utf8(ou)));
  typesAndValues.push(attribute(OID.commonName, utf8(attrs.commonName)));
  // pkijs 4 would put every attribute into one multi-valued RDN ("C=US + ST=Utah + ..."), so
  // encode one single-valued RDN per attribute ourselves; pkijs keeps these bytes as they are.
  const name = new asn1js.Sequence({ value: typesAndValues.map((atv) => new asn1js.Set({ value: [atv.toSchema()] })) });
  return pkijs.RelativeDistinguishedNames.fromBER(name.toBER(false));
}

function generalNamesOf(attrs: CsrAttributes): pkijs.GeneralName[] {
  const sans = attrs.subjectAlternativeNamesByType;
  const ipName = (text: string) => {
    const bytes = ipAddressBytes(text);
    if (!bytes) throw new Error(`ipAddresses: ${JSON.stringify(text)} is not an IP address; parse csrAttributes with csrAttributesSchema first`);
    return new pkijs.GeneralName({ type: GENERAL_NAME.iPAddress, value: new asn1js.OctetString({ valueHex: bytes }) });
  };
  return [
    ...sans.dnsNames.map((value) => new pkijs.GeneralName({ type: GENERAL_NAME.dNSName, value })),
    ...sans.ipAddresses.map(ipName),
    ...sans.rfc822Names.map((value) => new pkijs.GeneralName({ type: GENERAL_NAME.rfc822Name, value })),
    ...sans.uniformResourceIdentifiers.map((value) => new pkijs.GeneralName({ type: GENERAL_NAME.uniformResourceIdentifier, value })),
  ];
}

/** The PKCS#9 extensionRequest with the SANs; none when there are no SANs (an empty SAN extension is invalid). */
function requestedExtensions(attrs: CsrAttributes): pkijs.Attribute[] {
  const names = generalNamesOf(attrs);
  if (names.length === 0) return [];
  const subjectAltName = new pkijs.Extension({
    extnID: OID.subjectAltName,
    critical: false,
    extnValue: new pkijs.GeneralNames({ names }).toSchema().toBER(false),
  });
  return [new pkijs.Attribute({ type: OID.extensionRequest, values: [new pkijs.Extensions({ extensions: [subjectAltName] }).toSchema()] })];
}

async function signEd25519(request: CertificationRequestBuilder, privateKey: CryptoKey): Promise<void> {
  request.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: OID.ed25519 });
  const toBeSigned = request.encodeToBeSigned();
  request.tbsView = toBeSigned;
  const signature = await globalThis.crypto.subtle.sign('Ed25519', privateKey, toBeSigned);
  request.signatureValue = new asn1js.BitString({ valueHex: signature });
}

/**
 * A PKCS#10 CSR for validated, normalised attributes, signed with the pair's private key:
 * sha256WithRSAEncryption, ecdsa-with-SHA256/384/512 by curve, or Ed25519.
 */
export async function createCsr(attrs: CsrAttributes, keys: GeneratedKeyPair): Promise<CreatedCsr> {
  const request = new CertificationRequestBuilder({
    version: 0,
    subject: subjectOf(attrs),
    subjectPublicKeyInfo: pkijs.PublicKeyInfo.fromBER(new Uint8Array(keys.spki)),
    attributes: requestedExtensions(attrs),
  });
  const hash = signatureHashFor(keys.params);
  if (hash === undefined) await signEd25519(request, keys.privateKey);
  else await request.sign(keys.privateKey, hash, cryptoEngine);

  const der = new Uint8Array(request.toSchema().toBER(false));
  return { pem: toPem(der, 'CERTIFICATE REQUEST'), der, subjectDN: formatSubjectDN(attrs) };
}
