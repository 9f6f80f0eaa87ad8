import { createHash } from 'node:crypto';
import type { CertificateRecord } from '../../../shared/certificate';
import type { CertificateRequestRecord } from '../../../shared/certificate-request';
import type { InventoryStore } from '../store';
import { CaError } from '../ca/connector';
import { newRecordId } from '../common/record-id';
import { certificateFacts, type CertificateFacts } from '../pki/certificate-facts';
import { csrPublicKeyInfo } from '../keys/parse';
import { publicKeysEqual } from '../keys/key-material';
import { fromPem } from '../pki/pem';

/** The part of the inventory store the pipeline reads and writes. */
export type IssuedStore = Pick<
  InventoryStore,
  | 'transaction'
  | 'diskFull'
  | 'diskFullError'
  | 'groupTransaction'
  | 'insertRequest'
  | 'updateRequest'
  | 'getRequest'
  | 'listRequestsByStatus'
  | 'putKeyBlob'
  | 'getCertificate'
  | 'getCertificatePem'
  | 'findCertificateIdByFingerprint'
  | 'putCertificate'
  | 'updateCertificate'
>;

/** A certificate record for what the facts say, before links to a request are added. */
export function certificateRecordFrom(facts: CertificateFacts, companyId: string, extra: Partial<CertificateRecord> = {}): CertificateRecord {
  const now = new Date().toISOString();
  const { spki: _spki, ...rest } = facts;
  return {
    id: newRecordId(),
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

/** Fingerprints of the chain certificates seen lately, by PEM: the same chain arrives with every certificate. */
const chainFingerprints = new Map<string, string>();
const CHAIN_FINGERPRINTS_KEPT = 32;

/** The SHA-1 fingerprint the store indexes, hashed from the DER; undefined for a bad PEM, which certificateFacts then explains. */
function fingerprintOf(pem: string): string | undefined {
  const known = chainFingerprints.get(pem);
  if (known) return known;
  let fingerprint: string;
  try {
    fingerprint = createHash('sha1').update(fromPem(pem, ['CERTIFICATE'])).digest('hex').toUpperCase();
  } catch {
    return undefined;
  }
  if (chainFingerprints.size >= CHAIN_FINGERPRINTS_KEPT) chainFingerprints.clear();
  chainFingerprints.set(pem, fingerprint);
  return fingerprint;
}

/** Stores the chain certificates once each (by fingerprint) and returns their ids, issuer first. */
export function storeChain(store: IssuedStore, chainPems: string[], companyId: string): string[] {
  return chainPems.map((pem) => {
    // Looked up by fingerprint (a hash of the DER, no parse) before reading all its facts, which
    // costs a parse of the whole certificate.
    const fingerprint = fingerprintOf(pem);
    const known = fingerprint === undefined ? undefined : store.findCertificateIdByFingerprint(fingerprint);
    if (known) return known;
    const facts = certificateFacts(pem);
    const record = certificateRecordFrom(facts, companyId);
    store.putCertificate(record, pem);
    return record.id;
  });
}

/** What a CA issued, read and matched to its request's CSR: ready to be written with writeIssued. */
export interface CheckedIssue {
  facts: CertificateFacts;
  certificatePem: string;
  chainPems: string[];
}

/**
 * Reads what a CA issued and checks the certificate carries the CSR's public key (`csrPem`, when
 * the request has one); throws a CaError naming the mismatch, before anything is written.
 */
export function checkIssued(csrPem: string | undefined, issued: { certificatePem: string; chainPems: string[] }): CheckedIssue {
  const facts = certificateFacts(issued.certificatePem);
  // The CSR was verified when it was made or uploaded; matching needs only its public key. The
  // bytes match when the CA copied the CSR's key as encoded (every CA here does); a CA that
  // encoded the same key otherwise is matched by the key itself.
  const csrSpki = csrPem === undefined ? undefined : csrPublicKeyInfo(csrPem);
  if (csrSpki && !Buffer.from(csrSpki).equals(facts.spki) && !publicKeysEqual(csrSpki, facts.spki)) {
    throw new CaError('the CA returned a certificate for a different public key than the CSR; nothing was stored', false);
  }
  return { facts, certificatePem: issued.certificatePem, chainPems: issued.chainPems };
}

/**
 * Writes a checked certificate for its request: the chain (once per certificate), the
 * certificate linked to its predecessor, and the request marked ISSUED. Synchronous: the caller
 * runs it inside a transaction, alone or with the writes it must land with.
 */
export function writeIssued(
  store: IssuedStore,
  request: CertificateRequestRecord,
  issue: CheckedIssue,
  companyId: string,
  markIssued: (patch: Partial<CertificateRequestRecord>) => void,
): CertificateRecord {
  const predecessor = request.existingCertificateId ? store.getCertificate(request.existingCertificateId) : undefined;
  const chainCertificateIds = storeChain(store, issue.chainPems, companyId);
  const record = certificateRecordFrom(issue.facts, companyId, {
    certificateRequestId: request.id,
    applicationIds: [request.applicationId],
    certificateIssuingTemplateId: request.certificateIssuingTemplateId,
    applicationServerTypeId: request.applicationServerTypeId,
    dekHash: request.keyGeneration === 'CSR_UPLOAD' ? undefined : request.dekHash,
    chainCertificateIds,
    predecessorCertificateId: predecessor?.id,
  });
  store.putCertificate(record, issue.certificatePem);
  if (predecessor) store.updateCertificate(predecessor.id, { successorCertificateId: record.id });
  markIssued({ certificateIds: [record.id, ...chainCertificateIds] });
  return record;
}

/**
 * Stores what a CA issued for a request: checks the certificate carries the CSR's public key,
 * then the chain, the certificate and the request's ISSUED status land in one transaction (shared
 * with other requests' by group commit).
 */
export async function storeIssuedCertificate(
  store: IssuedStore,
  request: CertificateRequestRecord,
  issued: { certificatePem: string; chainPems: string[] },
  companyId: string,
  markIssued: (patch: Partial<CertificateRequestRecord>) => void,
): Promise<CertificateRecord> {
  const checked = checkIssued(request.certificateSigningRequest, issued);
  // One group commit with other requests finishing now: durable when this resolves.
  return store.groupTransaction(() => writeIssued(store, request, checked, companyId, markIssued));
}
