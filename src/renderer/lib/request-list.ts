import type { CertificateAuthorityType, CertificateRequestRecord, RequestStatus } from '../../shared';

/** The Requests page's status chips: each a group of the cloud's statuses. */
export const REQUEST_FILTERS = [
  { value: 'all', label: 'All', statuses: undefined },
  { value: 'in-progress', label: 'In progress', statuses: ['NEW', 'REQUESTED', 'PENDING', 'PENDING_APPROVAL', 'PENDING_FINAL_APPROVAL'] },
  { value: 'failed', label: 'Failed', statuses: ['FAILED'] },
  { value: 'rejected', label: 'Rejected', statuses: ['REJECTED', 'REJECTED_APPROVAL'] },
  { value: 'issued', label: 'Issued', statuses: ['ISSUED'] },
] as const satisfies readonly { value: string; label: string; statuses: readonly RequestStatus[] | undefined }[];
export type RequestFilter = (typeof REQUEST_FILTERS)[number]['value'];

export function statusesOf(filter: RequestFilter): RequestStatus[] | undefined {
  const statuses = REQUEST_FILTERS.find((f) => f.value === filter)?.statuses;
  return statuses ? [...statuses] : undefined;
}

/** What a user can do with a request right now, given the CA its template names. */
export type RequestAction = 'retry' | 'download-csr' | 'import-certificate' | 'open-certificate';

/**
 * A PENDING request waits on an offline (MANUAL) CA when its template says so; the connector's
 * poll token says the same if the template has since been deleted.
 */
export function isAwaitingOfflineCa(record: CertificateRequestRecord, authority: CertificateAuthorityType | undefined): boolean {
  return record.status === 'PENDING' && (authority === 'MANUAL' || record.caPollToken?.startsWith('manual:') === true);
}

export function requestActions(record: CertificateRequestRecord, authority: CertificateAuthorityType | undefined): RequestAction[] {
  if (record.status === 'FAILED') return ['retry'];
  if (isAwaitingOfflineCa(record, authority) && record.certificateSigningRequest) return ['download-csr', 'import-certificate'];
  // A revoked certificate still has its page (the revocation, its reason, the CRL it is on).
  if ((record.status === 'ISSUED' || record.status === 'REVOKED') && record.certificateIds[0]) return ['open-certificate'];
  return [];
}

function commonNameOf(record: CertificateRequestRecord): string | undefined {
  const cn = record.csrAttributes?.commonName ?? /(?:^|,\s*)cn=([^,]+)/i.exec(record.subjectDN ?? '')?.[1];
  return cn?.trim() || undefined;
}

/** The request's common name for people, from its attributes or its subject DN. */
export function requestCommonName(record: CertificateRequestRecord): string {
  return commonNameOf(record) ?? '(no common name)';
}

/** A file name safe on every OS: `www.example.com.csr`, `_.example.com.csr` for a wildcard; the id when there is no CN. */
export function csrFileName(record: CertificateRequestRecord): string {
  const cn = commonNameOf(record);
  const base = cn ? cn.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 100) : record.id;
  return `${base}.csr`;
}
