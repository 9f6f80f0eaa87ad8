import type { KeyObject } from 'node:crypto';
import type { ExportSummary } from '../../../shared/exports';
import type { CertificateChain } from './certificates';

/** What an export needs, as plain data: the decrypted key and the certificate with its chain. */
export interface KeyMaterial {
  /** DER PrivateKeyInfo. The exporter wipes it (fill(0)) once the export is done or failed. */
  pkcs8: Uint8Array;
  certificatePem: string;
  /** Issuer first, root last. */
  chainPems: string[];
}

/** Key material after the input checks: the key matches the end-entity certificate, the chain links. */
export interface CheckedMaterial {
  pkcs8: Uint8Array;
  key: KeyObject;
  chain: CertificateChain;
}

/** A built file and its scheme, as re-read from the bytes. */
export interface BuiltKeystore {
  bytes: Buffer;
  scheme: string;
}

/** A file made for the user (certificate, keystore, DEK backup): its bytes and what they are. */
export interface ExportResult {
  bytes: Buffer;
  summary: ExportSummary;
}
