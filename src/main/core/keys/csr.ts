import { sign as signWithKeyObject, type KeyObject } from 'node:crypto';
import type { CsrAttributes } from '../../../shared/csr-attributes';
import type { KeyTypeParameters } from '../../../shared/key-types';
import { formatSubjectDN } from '../../../shared/subject-dn';
import { ipAddressBytes } from '../../../shared/validation/ip-address';
import { keyAlgorithmFor, signatureHashFor } from './algorithms';
import { bitString, contextTag, ecdsaSignatureToDer, nullValue, oid, printableString, sequence, set, tlv, utf8String } from '../pki/der';
import { GENERAL_NAME, OID, SIGNATURE_OID } from '../pki/oids';
import { toPem } from '../pki/pem';

export interface CreatedCsr {
  pem: string;
  der: Uint8Array;
  /** The subject in the cloud's style, for the request record and the UI. */
  subjectDN: string;
}

/** What signs a CSR: the key's parameters, its public half (SPKI DER) and its private half (WebCrypto or Node). */
export interface CsrSigningKey {
  params: KeyTypeParameters;
  spki: Uint8Array;
  privateKey: CryptoKey | KeyObject;
}

// The CSR is written straight as DER (RFC 2986): a schema-driven ASN.1 library spent about a
// millisecond per request building and re-encoding these few fixed structures.

const attribute = (type: string, value: Uint8Array) => set(sequence(oid(type), value));

/**
 * Subject RDNs in the order openssl prints them and most CAs expect: C, ST, L, O, OU..., CN, one
 * single-valued RDN per attribute. Country is a PrintableString (X.520 requires it); everything
 * else UTF8String (RFC 5280).
 */
export function subjectNameDer(attrs: CsrAttributes): Buffer {
  const rdns: Uint8Array[] = [];
  if (attrs.country) rdns.push(attribute(OID.country, printableString(attrs.country)));
  if (attrs.state) rdns.push(attribute(OID.state, utf8String(attrs.state)));
  if (attrs.locality) rdns.push(attribute(OID.locality, utf8String(attrs.locality)));
  if (attrs.organization) rdns.push(attribute(OID.organization, utf8String(attrs.organization)));
  for (const ou of attrs.organizationalUnits) rdns.push(attribute(OID.organizationalUnit, utf8String(ou)));
  rdns.push(attribute(OID.commonName, utf8String(attrs.commonName)));
  return sequence(...rdns);
}

function asciiName(field: string, value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`${field}: ${JSON.stringify(value)} is not ASCII; parse csrAttributes with csrAttributesSchema first`);
  return value;
}

/** GeneralNames (RFC 5280 4.2.1.6) of the SANs, in the order DNS, IP, email, URI; undefined when there are none. */
export function generalNamesDer(attrs: CsrAttributes): Buffer | undefined {
  const sans = attrs.subjectAlternativeNamesByType;
  const implicit = (n: number, value: Uint8Array) => tlv(contextTag(n, false), value);
  const ia5 = (field: string, n: number, text: string) => implicit(n, Buffer.from(asciiName(field, text), 'latin1'));
  const names: Uint8Array[] = [
    ...sans.dnsNames.map((v) => ia5('dnsNames', GENERAL_NAME.dNSName, v)),
    ...sans.ipAddresses.map((text) => {
      const bytes = ipAddressBytes(text);
      if (!bytes) throw new Error(`ipAddresses: ${JSON.stringify(text)} is not an IP address; parse csrAttributes with csrAttributesSchema first`);
      return implicit(GENERAL_NAME.iPAddress, bytes);
    }),
    ...sans.rfc822Names.map((v) => ia5('rfc822Names', GENERAL_NAME.rfc822Name, v)),
    ...sans.uniformResourceIdentifiers.map((v) => ia5('uniformResourceIdentifiers', GENERAL_NAME.uniformResourceIdentifier, v)),
  ];
  return names.length === 0 ? undefined : sequence(...names);
}

/** The PKCS#9 extensionRequest with the SANs; none when there are no SANs (an empty SAN extension is invalid). */
function attributesDer(attrs: CsrAttributes): Buffer {
  const names = generalNamesDer(attrs);
  if (!names) return tlv(contextTag(0, true));
  const subjectAltName = sequence(oid(OID.subjectAltName), tlv(0x04, names));
  return tlv(contextTag(0, true), sequence(oid(OID.extensionRequest), set(sequence(subjectAltName))));
}

/** AlgorithmIdentifier of the CSR's signature: RSA carries NULL parameters, ECDSA and Ed25519 none (RFC 4055, 5758, 8410). */
function signatureAlgorithmDer(params: KeyTypeParameters): Buffer {
  if (params.keyType === 'RSA') return sequence(oid(SIGNATURE_OID.sha256WithRSAEncryption), nullValue());
  if (params.keyCurve === 'ED25519') return sequence(oid(OID.ed25519));
  return sequence(oid(SIGNATURE_OID.ecdsaWith[signatureHashFor(params)!]));
}

/** The signature in the form X.509 carries (ECDSA as DER, RSA and Ed25519 as they are). */
async function signatureOver(data: Uint8Array, key: CsrSigningKey): Promise<Uint8Array> {
  const hash = signatureHashFor(key.params);
  if (!(key.privateKey instanceof globalThis.CryptoKey)) {
    // Node's signer: synchronous microseconds, DER-encoded ECDSA, no threadpool round trip.
    return signWithKeyObject(hash ?? null, data, key.privateKey);
  }
  // A WebCrypto key (e.g. imported non-extractable from the vault): WebCrypto signs ECDSA as r || s.
  const { name } = keyAlgorithmFor(key.params);
  const signature = new Uint8Array(await globalThis.crypto.subtle.sign(name === 'ECDSA' ? { name, hash: hash! } : { name }, key.privateKey, new Uint8Array(data)));
  return name === 'ECDSA' ? ecdsaSignatureToDer(signature) : signature;
}

/**
 * A PKCS#10 CSR for validated, normalised attributes, signed with the pair's private key:
 * sha256WithRSAEncryption, ecdsa-with-SHA256/384/512 by curve, or Ed25519.
 */
export async function createCsr(attrs: CsrAttributes, keys: CsrSigningKey): Promise<CreatedCsr> {
  const info = sequence(Buffer.from([0x02, 0x01, 0x00]), subjectNameDer(attrs), keys.spki, attributesDer(attrs));
  const signature = await signatureOver(info, keys);
  const der = sequence(info, signatureAlgorithmDer(keys.params), bitString(signature));
  return { pem: toPem(der, 'CERTIFICATE REQUEST'), der, subjectDN: formatSubjectDN(attrs) };
}
