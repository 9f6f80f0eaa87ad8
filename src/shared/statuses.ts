/** Request statuses, named as the cloud names them. */
export const REQUEST_STATUSES = [
  'NEW',
  'REQUESTED',
  'PENDING',
  'PENDING_APPROVAL',
  'PENDING_FINAL_APPROVAL',
  'ISSUED',
  'FAILED',
  'REJECTED',
  'REJECTED_APPROVAL',
  'CANCELLED',
  'REVOKED',
  'DELETED',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses after which the pipeline does nothing more on its own. */
export const FINAL_REQUEST_STATUSES: readonly RequestStatus[] = ['ISSUED', 'FAILED', 'REJECTED', 'REJECTED_APPROVAL', 'CANCELLED', 'REVOKED', 'DELETED'];

export const CERTIFICATE_STATUSES = ['ACTIVE', 'RETIRED', 'DELETED'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const REVOCATION_STATUSES = ['NOT_REVOKED', 'REVOKED'] as const;
export type RevocationStatus = (typeof REVOCATION_STATUSES)[number];
