import type { DownloadCertificateInput, DownloadKeystoreInput, RpcMethod, RpcOutputs } from '../../shared/client';
import type { z } from 'zod';
import type { rpcInputSchemas } from '../../shared/client';
import type { ExportSummary } from '../../shared/exports';
import type { CertificateRequestRecord } from '../../shared/certificate-request';

/** Bytes of an export and what they are; the bytes never reach the renderer. */
export interface ExportResult {
  bytes: Buffer;
  summary: ExportSummary;
}

export type RpcParsedInput<M extends RpcMethod> = z.output<(typeof rpcInputSchemas)[M]>;

/**
 * The satellite's one service layer. Every front end (IPC, HTTP, CLI) is a thin adapter:
 * it validates input with the shared schemas, then calls this.
 */
export interface SatelliteService {
  call<M extends RpcMethod>(method: M, input: RpcParsedInput<M>): Promise<RpcOutputs[M]>;
  exportCertificate(input: DownloadCertificateInput): Promise<ExportResult>;
  exportKeystore(input: DownloadKeystoreInput): Promise<ExportResult>;
  /** Called when a request reaches ISSUED, FAILED or REJECTED (OS notifications, live UI refresh). */
  onRequestFinished(listener: (request: CertificateRequestRecord) => void): () => void;
  close(): Promise<void>;
}
