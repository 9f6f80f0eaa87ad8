import { z } from 'zod';
import { applicationInputSchema, issuingTemplateInputSchema, uuidSchema, type Application, type ApplicationServerType, type IssuingTemplate } from './settings';
import { certificateRequestBodySchema, type CertificateRequestRecord } from './certificate-request';
import { certificateSearchSchema } from './search';
import { certificateContentsOptionsSchema, keystoreExportOptionsSchema, type ExportSummary } from './exports';
import type { CertificateRecord } from './certificate';
import type { ServicesStatus } from './services-status';

// The one contract between the UI and the satellite. Electron carries it over IPC
// (preload -> ipcMain), the headless satellite over HTTP (/ui/rpc/{method}).
// Every transport validates input with these schemas before the core sees it.

const byId = z.object({ id: uuidSchema });

export const rpcInputSchemas = {
  getServicesStatus: z.object({}),
  listApplications: z.object({}),
  saveApplication: applicationInputSchema.extend({ id: uuidSchema.optional() }),
  deleteApplication: byId,
  listIssuingTemplates: z.object({}),
  saveIssuingTemplate: issuingTemplateInputSchema.extend({ id: uuidSchema.optional() }),
  deleteIssuingTemplate: byId,
  listServerTypes: z.object({}),
  requestCertificate: certificateRequestBodySchema,
  getCertificateRequest: byId,
  retryCertificateRequest: byId,
  searchCertificates: certificateSearchSchema,
  getCertificate: byId,
  getCertificateText: byId.extend({ chainOrder: certificateContentsOptionsSchema.shape.chainOrder }),
  renewCertificate: byId,
  revokeCertificate: byId.extend({ reason: z.enum(['unspecified', 'keyCompromise', 'superseded', 'cessationOfOperation', 'affiliationChanged']).default('unspecified') }),
  deleteCertificate: byId,
  importCertificate: z.object({
    applicationId: uuidSchema,
    /** PEM certificate (+ chain) and, optionally, a PEM private key. */
    pem: z.string().max(1_000_000).optional(),
    /** base64 PKCS#12 with its passphrase. */
    pkcs12Base64: z.string().max(2_000_000).optional(),
    passphrase: z.string().max(1024).optional(),
  }),
  /** Offline flow: a certificate an outside CA issued for a CSR this satellite made. */
  importIssuedCertificate: z.object({ pem: z.string().min(1, 'pem is required').max(1_000_000) }),
  generatePassphrase: z.object({}),
  getApiKey: z.object({}),
  rotateApiKey: z.object({}),
} as const;

export type RpcMethod = keyof typeof rpcInputSchemas;
export type RpcInput<M extends RpcMethod> = z.input<(typeof rpcInputSchemas)[M]>;

export interface CertificateDetail {
  certificate: CertificateRecord;
  request?: CertificateRequestRecord;
  chain: CertificateRecord[];
  /** The end-entity certificate in PEM (public, safe to show and copy). */
  pem: string;
  /** Whether this satellite holds the private key, so keystores can be downloaded. */
  hasPrivateKey: boolean;
}

export interface RpcOutputs {
  getServicesStatus: ServicesStatus;
  listApplications: Application[];
  saveApplication: Application;
  deleteApplication: { deleted: true };
  listIssuingTemplates: IssuingTemplate[];
  saveIssuingTemplate: IssuingTemplate;
  deleteIssuingTemplate: { deleted: true };
  listServerTypes: ApplicationServerType[];
  requestCertificate: CertificateRequestRecord;
  getCertificateRequest: CertificateRequestRecord;
  retryCertificateRequest: CertificateRequestRecord;
  searchCertificates: { count: number; certificates: CertificateRecord[] };
  getCertificate: CertificateDetail;
  getCertificateText: { pem: string };
  renewCertificate: CertificateRequestRecord;
  revokeCertificate: CertificateRecord;
  deleteCertificate: { deleted: true };
  importCertificate: CertificateRecord;
  importIssuedCertificate: CertificateRecord;
  generatePassphrase: { passphrase: string };
  getApiKey: { apiKey: string };
  rotateApiKey: { apiKey: string };
}

/** Downloads are not plain RPC: in Electron the main process asks where to save and writes the file. */
export const downloadCertificateInputSchema = byId.extend(certificateContentsOptionsSchema.shape);
export const downloadKeystoreInputSchema = byId.extend(keystoreExportOptionsSchema.shape);
export type DownloadCertificateInput = z.input<typeof downloadCertificateInputSchema>;
export type DownloadKeystoreInput = z.input<typeof downloadKeystoreInputSchema>;

/** What the renderer talks to, whatever carries it. */
export interface SatelliteClient {
  call<M extends RpcMethod>(method: M, input: RpcInput<M>): Promise<RpcOutputs[M]>;
  /** Resolves to null when the user cancelled the save dialog. */
  downloadCertificate(input: DownloadCertificateInput): Promise<ExportSummary | null>;
  downloadKeystore(input: DownloadKeystoreInput): Promise<ExportSummary | null>;
  /** 'electron' or 'web': the UI hides what a transport cannot do (e.g. API key rotation over the API itself). */
  readonly transport: 'electron' | 'web';
}

/** Error carried back to the UI: the cloud's shape, every problem at once. */
export interface ClientError {
  errors: { code: number; message: string; args?: unknown }[];
}
