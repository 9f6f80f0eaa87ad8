import { randomUUID } from 'node:crypto';
import type { CertificateRecord } from '../../../shared/certificate';
import type { CertificateRequestRecord } from '../../../shared/certificate-request';
import type { InventoryStore } from '../store';
import { CaError } from '../ca/connector';
import { certificateFacts, type CertificateFacts } from '../certificates/certificate-facts';
import { parseUploadedCsr } from './key-and-csr';

/** The part of the inventory store the pipeline reads and writes. */
export type IssuedStore = Pick<
  InventoryStore,
  | 'transaction'
  | 'insertRequest'
  | 'updateRequest'
  | 'getRequest'
  | 'listRequestsByStatus'
  | 'putKeyBlob'
  | 'getCertificate'
  | 'getCertificatePem'
  | 'findCertificateByFingerprint'
  | 'putCertificate'
  | 'updateCertificate'
>;

/** A certificate record for what the facts say, before links to a request are added. */
export function certificateRecordFrom(facts: CertificateFacts, companyId: string, extra: Partial<CertificateRecord> = {}): CertificateRecord {
  const now = new Date().toISOString();
  const { spki: _spki, ...rest } = facts;
  return {
    id: randomUUID(),
    companyId,
    applicationIds: [],
    ...rest,
    certificateStatus: 'ACTIVE',
    revocationStatus: 'NOT_REVOKED',
    chainCertificateIds: [],
    certificateName: facts.subjectCN[0] ?? facts.subjectDN,
    creationDate: now,
    modificationDate: now,
    ...extra,
  };
}

/** Stores the chain certificates once each (by fingerprint) and returns their ids, issuer first. */
export function storeChain(store: IssuedStore, chainPems: string[], companyId: string): string[] {
  return chainPems.map((pem) => {
    const facts = certificateFacts(pem);
    const known = store.findCertificateByFingerprint(facts.fingerprint);
    if (known) return known.id;
    const record = certificateRecordFrom(facts, companyId);
    store.putCertificate(record, pem);
    return record.id;
  });
}

/**
 * Stores what a CA issued for a request: checks the certificate carries the CSR's public key,
 * then the chain, the certificate and the request's ISSUED status land in one transaction.
 */
export async function storeIssuedCertificate(
  store: IssuedStore,
  request: CertificateRequestRecord,
  issued: { certificatePem: string; chainPems: string[] },
  companyId: string,
  markIssued: (patch: Partial<CertificateRequestRecord>) => void,
): Promise<CertificateRecord> {
  const facts = certificateFacts(issued.certificatePem);
  if (request.certificateSigningRequest) {
    const csr = await parseUploadedCsr(request.certificateSigningRequest);
    if (!Buffer.from(csr.spki).equals(facts.spki)) {
      throw new CaError('the CA returned a certificate for a different public key than the CSR; nothing was stored', false);
    }
  }
  const predecessor = request.existingCertificateId ? store.getCertificate(request.existingCertificateId) : undefined;
  return store.transaction(() => {
    const chainCertificateIds = storeChain(store, issued.chainPems, companyId);
    const record = certificateRecordFrom(facts, companyId, {
      certificateRequestId: request.id,
      applicationIds: [request.applicationId],
      certificateIssuingTemplateId: request.certificateIssuingTemplateId,
      applicationServerTypeId: request.applicationServerTypeId,
      dekHash: request.keyGeneration === 'CSR_UPLOAD' ? undefined : request.dekHash,
      chainCertificateIds,
      predecessorCertificateId: predecessor?.id,
    });
    store.putCertificate(record, issued.certificatePem);
    if (predecessor) store.updateCertificate(predecessor.id, { successorCertificateId: record.id });
    markIssued({ certificateIds: [record.id, ...chainCertificateIds] });
    return record;
  });
}
