import { sign, type KeyObject } from 'node:crypto';
import { bitString, childrenOf, contentOf, contextTag, DerError, encodingOf, enumerated, explicit, expectTag, generalizedTime, octetString, oid, readOid, readWhole, sequence, TAG, tlv, type Tlv } from './der';
import { HASH_OID, OCSP_OID, SIGNATURE_OID } from './oids';

// OCSP (RFC 6960): the request a client sends and the signed answer, written straight as DER with
// the same helpers as the certificates (no second ASN.1 stack).

/** One certificate a client asks about, as it named it. */
export interface OcspCertId {
  hash: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  /** Lower-case hex without leading zero octets, as the certificate's serial is kept. */
  serialNumber: string;
  /** The CertID as encoded, echoed in the answer. */
  der: Uint8Array;
}

export interface OcspRequestContents {
  certIds: OcspCertId[];
  /** The nonce extension's value, to echo (RFC 8954). */
  nonce?: Uint8Array;
}

export class OcspRequestError extends Error {
  override name = 'OcspRequestError';
}

function readCertId(der: Uint8Array, node: Tlv): OcspCertId {
  const [algorithm, nameHash, keyHash, serial] = childrenOf(der, expectTag(node, TAG.sequence, 'CertID'), 'CertID');
  if (!algorithm || !nameHash || !keyHash || !serial) throw new OcspRequestError('CertID: it must hold a hash algorithm, two hashes and a serial number');
  const [hashOid] = childrenOf(der, expectTag(algorithm, TAG.sequence, 'CertID hashAlgorithm'), 'CertID hashAlgorithm');
  const hashId = hashOid ? readOid(der, hashOid, 'CertID hashAlgorithm') : '';
  const hash = HASH_OID[hashId];
  if (!hash) throw new OcspRequestError(`CertID: hash algorithm ${hashId || '(none)'} is not one this responder reads (SHA-1 or SHA-2)`);
  const serialBytes = contentOf(der, expectTag(serial, TAG.integer, 'CertID serialNumber'));
  return {
    hash,
    issuerNameHash: contentOf(der, expectTag(nameHash, TAG.octetString, 'CertID issuerNameHash')),
    issuerKeyHash: contentOf(der, expectTag(keyHash, TAG.octetString, 'CertID issuerKeyHash')),
    serialNumber: Buffer.from(serialBytes).toString('hex').replace(/^(00)+(?=.)/, ''),
    der: encodingOf(der, node),
  };
}

/** Reads an OCSPRequest; a signed request is read too (its signature is not needed to answer). */
export function readOcspRequest(der: Uint8Array): OcspRequestContents {
  try {
    const [tbs] = childrenOf(der, readWhole(der, TAG.sequence, 'OCSPRequest'), 'OCSPRequest');
    if (!tbs) throw new OcspRequestError('OCSPRequest: empty');
    const fields = childrenOf(der, expectTag(tbs, TAG.sequence, 'TBSRequest'), 'TBSRequest');
    const list = fields.find((f) => f.tag === TAG.sequence);
    if (!list) throw new OcspRequestError('TBSRequest: no requestList');
    const certIds = childrenOf(der, list, 'requestList').map((request) => {
      const [certId] = childrenOf(der, expectTag(request, TAG.sequence, 'Request'), 'Request');
      if (!certId) throw new OcspRequestError('Request: no CertID');
      return readCertId(der, certId);
    });
    if (certIds.length === 0 || certIds.length > 20) throw new OcspRequestError(`requestList: ${certIds.length} certificates asked about; ask about 1 to 20`);
    let nonce: Uint8Array | undefined;
    const extensions = fields.find((f) => f.tag === contextTag(2, true));
    if (extensions) {
      const [seq] = childrenOf(der, extensions, 'requestExtensions');
      for (const extension of seq ? childrenOf(der, seq, 'requestExtensions') : []) {
        const parts = childrenOf(der, extension, 'extension');
        if (parts[0] && readOid(der, parts[0], 'extension id') === OCSP_OID.nonce) nonce = contentOf(der, expectTag(parts[parts.length - 1]!, TAG.octetString, 'nonce'));
      }
    }
    return { certIds, nonce };
  } catch (error) {
    if (error instanceof OcspRequestError) throw error;
    if (error instanceof DerError) throw new OcspRequestError(`the OCSP request is not valid DER: ${error.message}`);
    throw error;
  }
}

export type OcspCertStatus = { kind: 'good' } | { kind: 'revoked'; at: Date; reasonCode: number } | { kind: 'unknown' };

/** The delegated responder that signs answers: its certificate (sent along) and key. */
export interface OcspSigner {
  certificateDer: Uint8Array;
  /** An ECDSA P-256 key: answers are signed ecdsa-with-SHA256. */
  key: KeyObject;
  /** SHA-1 of the responder certificate's public key bits (ResponderID byKey). */
  keyHash: Uint8Array;
}

export interface OcspAnswer {
  certId: OcspCertId;
  status: OcspCertStatus;
  thisUpdate: Date;
  nextUpdate: Date;
}

function certStatus(status: OcspCertStatus): Buffer {
  if (status.kind === 'good') return Buffer.from([contextTag(0, false), 0]);
  if (status.kind === 'unknown') return Buffer.from([contextTag(2, false), 0]);
  return tlv(contextTag(1, true), generalizedTime(status.at), explicit(0, enumerated(status.reasonCode)));
}

/** A successful, signed OCSPResponse (BasicOCSPResponse) for these answers. */
export function writeOcspResponse(p: { answers: OcspAnswer[]; signer: OcspSigner; producedAt: Date; nonce?: Uint8Array }): Buffer {
  const singles = p.answers.map((a) => sequence(a.certId.der, certStatus(a.status), generalizedTime(a.thisUpdate), explicit(0, generalizedTime(a.nextUpdate))));
  const responseExtensions = p.nonce ? [explicit(1, sequence(sequence(oid(OCSP_OID.nonce), octetString(p.nonce))))] : [];
  const tbs = sequence(explicit(2, octetString(p.signer.keyHash)), generalizedTime(p.producedAt), sequence(...singles), ...responseExtensions);
  const algorithm = sequence(oid(SIGNATURE_OID.ecdsaWith['SHA-256']));
  const basic = sequence(tbs, algorithm, bitString(sign('sha256', tbs, p.signer.key)), explicit(0, sequence(p.signer.certificateDer)));
  return sequence(enumerated(0), explicit(0, sequence(oid(OCSP_OID.basicResponse), octetString(basic))));
}

/** An unsuccessful OCSPResponse: 1 malformedRequest, 2 internalError, 3 tryLater, 6 unauthorized. */
export const ocspErrorResponse = (status: 1 | 2 | 3 | 6): Buffer => sequence(enumerated(status));
