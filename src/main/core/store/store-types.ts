import type { CertificateRecord } from '../../../shared/certificate';
import type { CertificateRequestRecord } from '../../../shared/certificate-request';

/** Fields of a request the pipeline may change; status changes only through `statusChange`, so the history stays complete. */
export type RequestPatch = Partial<Omit<CertificateRequestRecord, 'id' | 'status' | 'statusHistory' | 'creationDate' | 'modificationDate'>>;

/** Fields of a certificate that change after it is stored (revocation, renewal links, applications). */
export type CertificatePatch = Partial<Omit<CertificateRecord, 'id' | 'creationDate' | 'modificationDate'>>;

export interface KeyBlob {
  recordId: string;
  dekHash: string;
  blob: Buffer;
  createdAt: string;
}

export interface SealedSecret {
  secretId: string;
  dekHash: string;
  blob: Buffer;
}

export interface InventoryCounts {
  requests: number;
  certificates: number;
  keyBlobs: number;
  secrets: number;
}

export interface SearchResult {
  /** Every match, before paging. */
  count: number;
  /** The requested page. */
  certificates: CertificateRecord[];
}

export interface InventoryStoreOptions {
  /** false: search by LIKE scans even when the trigram index exists (it is still maintained). For tests and diagnosis. */
  fullTextIndex?: boolean;
}

/** A missing record: the message names the kind and the id. */
export class StoreNotFoundError extends Error {
  constructor(
    readonly kind: 'certificate request' | 'certificate' | 'automation',
    readonly id: string,
  ) {
    super(`No ${kind} with id ${id} in the inventory`);
    this.name = 'StoreNotFoundError';
  }
}
