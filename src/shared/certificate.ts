import type { CertificateStatus, RevocationStatus } from './statuses';
import type { ResponseSubjectAlternativeNames } from './certificate-request';

/** A certificate in the inventory (end entity, or a CA certificate of a chain). */
export interface CertificateRecord {
  id: string;
  companyId: string;
  certificateRequestId?: string;
  applicationIds: string[];
  certificateIssuingTemplateId?: string;
  applicationServerTypeId?: string;
  subjectCN: string[];
  /** The other subject attributes, as the cloud's certificate records have them (O, L, ST, C: the first value). */
  subjectO?: string;
  subjectOU?: string[];
  subjectL?: string;
  subjectST?: string;
  subjectC?: string;
  subjectDN: string;
  issuerDN: string;
  subjectAlternativeNamesByType: ResponseSubjectAlternativeNames;
  /** Upper-case hex, no colons. */
  serialNumber: string;
  /** SHA-1, upper-case hex, no colons (the cloud's `fingerprint`). */
  fingerprint: string;
  sha256Fingerprint: string;
  validityStart: string;
  validityEnd: string;
  keyType: 'RSA' | 'EC';
  keyStrength?: number;
  keyCurve?: string;
  /** Set only when the satellite holds the private key (sealed under this DEK). */
  dekHash?: string;
  certificateStatus: CertificateStatus;
  revocationStatus: RevocationStatus;
  revocationDate?: string;
  /** Why it was revoked (RFC 5280 reason name, e.g. keyCompromise), when this satellite revoked it. */
  revocationReason?: string;
  isCA: boolean;
  /** Ids of the chain certificates, issuer first, root last. */
  chainCertificateIds: string[];
  /** Renewal links. */
  predecessorCertificateId?: string;
  successorCertificateId?: string;
  certificateName: string;
  creationDate: string;
  modificationDate: string;
}

/**
 * True for a CA certificate stored only as a link of other certificates' chains: no request, no
 * application, no key. Those stay out of the inventory list; a CA certificate someone imported
 * or holds the key of (an `openssl req -x509` certificate) is listed like any other.
 */
export function isChainLinkOnly(c: Pick<CertificateRecord, 'isCA' | 'certificateRequestId' | 'applicationIds' | 'dekHash'>): boolean {
  return c.isCA && !c.certificateRequestId && c.applicationIds.length === 0 && !c.dekHash;
}

/** One extension of a certificate, named and worded as `openssl x509 -text` prints it. */
export interface CertificateExtensionView {
  oid: string;
  name: string;
  critical: boolean;
  values: string[];
}
