import { z } from 'zod';
import { REQUEST_STATUSES } from './statuses';
import { applicationInputSchema, issuingTemplateInputSchema, uuidSchema, type Application, type ApplicationServerType, type IssuingTemplate } from './settings';
import { certificateRequestBodySchema, type CertificateRequestRecord } from './certificate-request';
import { certificateSearchSchema } from './search';
import { certificateContentsOptionsSchema, keystoreExportOptionsSchema, MIN_PASSPHRASE_LENGTH, type ExportSummary } from './exports';
import type { CertificateExtensionView, CertificateRecord } from './certificate';
import type { RenewalAdvice } from './renewal';
import type { KeyGenerationServiceStatus, ServicesStatus } from './services-status';
import { REVOCATION_REASON_NAMES } from './labels';
import { automationInputSchema, type Automation, type AutomationDetail } from './automation';
import type { TrustChange } from './trust';
import { nameConstraintsSchema } from './name-constraints';

// The one contract between the UI and the satellite. Electron carries it over IPC
// (preload -> ipcMain), the headless satellite over HTTP (/ui/rpc/{method}).
// Every transport validates input with these schemas before the core sees it.

const byId = z.object({ id: uuidSchema });

/** An RPC method's input after its schema parsed it (defaults filled in). */
export type RpcParsedInput<M extends RpcMethod> = z.output<(typeof rpcInputSchemas)[M]>;

export const rpcInputSchemas = {
  /** `recheck`: read the DEK store again first (Services > Check again), instead of the state the satellite holds. */
  getServicesStatus: z.object({ recheck: z.boolean().optional() }),
  listApplications: z.object({}),
  saveApplication: applicationInputSchema.extend({ id: uuidSchema.optional() }),
  deleteApplication: byId,
  listIssuingTemplates: z.object({}),
  saveIssuingTemplate: issuingTemplateInputSchema.extend({
    id: uuidSchema.optional(),
    /**
     * Write-only secrets of the template's CA connector: sealed under the DEK by the satellite and
     * replaced by secret ids in caSettings; they are never stored in settings or returned.
     */
    connectorSecrets: z
      .object({
        eabHmacKey: z.string().min(1, 'eabHmacKey must not be empty').max(1024).optional(),
        apiKey: z.string().min(1, 'apiKey must not be empty').max(1024).optional(),
      })
      .optional(),
  }),
  deleteIssuingTemplate: byId,
  listServerTypes: z.object({}),
  requestCertificate: certificateRequestBodySchema,
  getCertificateRequest: byId,
  listCertificateRequests: z.object({
    statuses: z.array(z.enum(REQUEST_STATUSES)).max(REQUEST_STATUSES.length).optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  }),
  retryCertificateRequest: byId,
  searchCertificates: certificateSearchSchema,
  getCertificate: byId,
  getCertificateText: byId.extend({ chainOrder: certificateContentsOptionsSchema.shape.chainOrder }),
  /** When to renew: the CA's suggested window (ACME Renewal Information) or the satellite's rule. */
  getRenewalAdvice: byId,
  /** How many certificates are due for renewal by the satellite's rule (for reminders). */
  countRenewalDue: z.object({}),
  renewCertificate: byId,
  revokeCertificate: byId.extend({ reason: z.enum(REVOCATION_REASON_NAMES).default('unspecified') }),
  deleteCertificate: byId,
  /** Retired certificates stay in the inventory (and keep their keys) but leave the default lists and searches; recover brings them back. */
  retireCertificates: z.object({ ids: z.array(uuidSchema).min(1, 'ids: name at least one certificate').max(1000) }),
  recoverCertificates: z.object({ ids: z.array(uuidSchema).min(1, 'ids: name at least one certificate').max(1000) }),
  importCertificate: z.object({
    applicationId: uuidSchema,
    /** PEM certificate (+ chain) and, optionally, a PEM private key. */
    pem: z.string().max(1_000_000).optional(),
    /** base64 of DER certificates (a .der or .cer file each), read with the PEM ones; the key, if any, comes in pem. */
    derBase64: z.array(z.string().max(200_000)).max(16).optional(),
    /** base64 PKCS#12 with its passphrase. */
    pkcs12Base64: z.string().max(2_000_000).optional(),
    passphrase: z.string().max(1024).optional(),
    /** A certificate already in the inventory: refused, naming it (the UI), or answered as it is (the cloud's import, which clients repeat). */
    ifPresent: z.enum(['refuse', 'return']).default('refuse'),
  }),
  /** Offline flow: a certificate an outside CA issued for a CSR this satellite made. */
  importIssuedCertificate: z.object({ pem: z.string().min(1, 'pem is required').max(1_000_000) }),
  generatePassphrase: z.object({}),
  getApiKey: z.object({}),
  rotateApiKey: z.object({}),
  /** The built-in CA's root and intermediate certificates and a fresh CRL, to trust and to publish. */
  getBuiltinCa: z.object({}),
  /** Puts the built-in CA's root into this computer's trust stores (system, NSS, Java), like mkcert -install. */
  trustBuiltinRoot: z.object({}),
  /** Removes from the trust stores exactly what trustBuiltinRoot (or --install-root) added. */
  untrustBuiltinRoot: z.object({}),
  /**
   * The built-in CA's root signs a new issuing CA, with a new key and these name constraints (none:
   * unconstrained), which issues from then on. The one it replaces issues nothing more but keeps
   * answering CRL and OCSP for what it issued; relying parties that trust the root need nothing new.
   */
  newIssuingCa: z.object({ nameConstraints: nameConstraintsSchema.optional() }).strict(),
  /** A new DEK, every stored key and secret rewrapped under it; the old DEK is retired at the end. */
  rotateDek: z.object({}),
  /** Certificates kept renewed and installed by the satellite's scheduler. */
  listAutomations: z.object({}),
  getAutomation: byId,
  /** The automation that keeps this certificate installed, if any. */
  getCertificateAutomation: z.object({ certificateId: uuidSchema }),
  /** Creates (no id) or replaces an automation; its passwords are sealed under the DEK; the first install runs before it answers. */
  saveAutomation: automationInputSchema.extend({ id: uuidSchema.optional() }),
  /** Stops renewing and installing; the files in place stay. */
  deleteAutomation: byId,
  /** Installs now (and renews first with renew: true), even while a failure's retry waits. */
  runAutomation: byId.extend({ renew: z.boolean().default(false) }),
  /** A VCert playbook (YAML text): its certificateTasks issued, installed and kept renewed here. */
  importPlaybook: z.object({
    yaml: z.string({ error: 'yaml is required: the playbook file\'s text' }).min(1, 'yaml is required: the playbook file\'s text').max(1_000_000, 'yaml is larger than any playbook (1 MB)'),
    /** Where it came from, for the automations' source (the file name the person chose). */
    fileName: z.string().max(4096).default('playbook.yaml'),
  }),
  /** The DEK from a backup file (its bytes in base64) and the passphrase it was made with. */
  restoreDek: z.object({
    backupBase64: z
      .string({ error: 'backupBase64 is required: choose the DEK backup file' })
      .min(1, 'backupBase64 is required: choose the DEK backup file')
      .max(100_000, 'backupBase64 is far larger than a DEK backup file; choose the .json file "Back up DEK" wrote')
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'backupBase64 must be the backup file in base64'),
    passphrase: z.string({ error: 'passphrase is required' }).min(1, 'passphrase is required: the one chosen when the backup was made').max(1024),
  }),
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
  /** Every extension, as openssl names and words it. */
  extensions: CertificateExtensionView[];
  /** As openssl prints it, e.g. "ecdsa-with-SHA256". */
  signatureAlgorithm: string;
  /** The certificate laid out as `openssl x509 -noout -text` does (without key bytes and signature value). */
  text: string;
  /** What revoking it will do in the world (which CA is told, who can learn of it). */
  revocationEffect: string;
  /** Whether Renew can work, under which template, or why not. */
  renewal: { possible: true; template: string } | { possible: false; reason: string };
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
  listCertificateRequests: CertificateRequestRecord[];
  retryCertificateRequest: CertificateRequestRecord;
  searchCertificates: { count: number; certificates: CertificateRecord[] };
  getCertificate: CertificateDetail;
  getCertificateText: { pem: string };
  getRenewalAdvice: RenewalAdvice;
  countRenewalDue: { due: number; checkedAt: string };
  renewCertificate: CertificateRequestRecord;
  revokeCertificate: CertificateRecord;
  deleteCertificate: { deleted: true };
  retireCertificates: CertificateRecord[];
  recoverCertificates: CertificateRecord[];
  importCertificate: CertificateRecord;
  importIssuedCertificate: CertificateRecord;
  generatePassphrase: { passphrase: string };
  getApiKey: { apiKey: string };
  rotateApiKey: { apiKey: string };
  getBuiltinCa: BuiltinCaSummary;
  trustBuiltinRoot: TrustChange;
  untrustBuiltinRoot: TrustChange;
  newIssuingCa: BuiltinCaSummary;
  /** The new DEK's fingerprint and how many sealed blobs were rewrapped under it. */
  rotateDek: { dekHash: string; movedBlobs: number };
  restoreDek: KeyGenerationServiceStatus;
  listAutomations: Automation[];
  getAutomation: AutomationDetail;
  getCertificateAutomation: { automation?: AutomationDetail };
  saveAutomation: AutomationDetail;
  deleteAutomation: { deleted: true };
  runAutomation: AutomationDetail;
  importPlaybook: PlaybookImport;
}

/** What importing a playbook did: each task's automation, and what was ignored or needs a look. */
export interface PlaybookImport {
  automations: AutomationDetail[];
  /** e.g. "config.connection is not needed: this satellite is the CA". */
  notes: string[];
}

/** The built-in CA as users need it: the root to trust, the chain, and the current CRL. */
export interface BuiltinCaSummary {
  rootPem: string;
  /** Issuer first: the intermediate, then the root. */
  chainPems: string[];
  crlPem: string;
  /** The root's CRL (it lists no certificate), for checking the intermediate; absent when the root could not sign one. */
  rootCrlPem?: string;
  rootSha256Fingerprint: string;
  /** Where this satellite put the root on this computer ("system store: /usr/local/...", "NSS: ~/.pki/nssdb"); empty when nowhere. */
  trustedIn: string[];
  /** The name constraints of the issuing CA that issues now, if any. */
  nameConstraints?: { dns: string[]; ip: string[] };
  /** Where relying parties find its CRLs and OCSP, when the PKI listener serves them (the CRL of the issuing CA that issues now). */
  revocationUrls?: { crl: string; rootCrl?: string; ocsp: string };
  /**
   * Every issuing CA the root signed, oldest first: the one that issues now, and those it replaced,
   * which issue nothing more but still answer CRL and OCSP for what they issued.
   */
  issuingCas: IssuingCaSummary[];
}

export interface IssuingCaSummary {
  /** 1 for the one the CA was made with, then 2, 3, ... */
  generation: number;
  /** As openssl prints it, e.g. "CN=Keypair Satellite Issuing CA 1A2B3C4D G2, O=Keypair Satellite". */
  subject: string;
  /** ISO 8601. */
  notAfter: string;
  /** True for the one that issues now. */
  issues: boolean;
  /** Whether its certificate carries name constraints. */
  nameConstraints: boolean;
  /** Where relying parties fetch its CRL, when the PKI listener serves it. */
  crlUrl?: string;
  /** A replaced one's current CRL (PEM), to publish where its certificates' relying parties look; the one that issues has crlPem above. */
  crlPem?: string;
}

/** Downloads are not plain RPC: in Electron the main process asks where to save and writes the file. */
export const downloadCertificateInputSchema = byId.extend(certificateContentsOptionsSchema.shape);
export const downloadKeystoreInputSchema = byId.extend(keystoreExportOptionsSchema.shape).extend({
  /** Required to export the key of a certificate revoked for key compromise: the person confirms they know the key is known to others. */
  acknowledgeKeyCompromise: z.boolean().optional(),
});
export type DownloadCertificateInput = z.input<typeof downloadCertificateInputSchema>;
export type DownloadKeystoreInput = z.input<typeof downloadKeystoreInputSchema>;
/** A DEK backup: the DEK wrapped under this passphrase (scrypt + AES-256-GCM), saved where the user picks. */
export const downloadDekBackupInputSchema = z.object({
  passphrase: z
    .string({ error: 'passphrase is required' })
    .min(MIN_PASSPHRASE_LENGTH, `passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`)
    .max(1024, 'passphrase is at most 1024 characters'),
});
export type DownloadDekBackupInput = z.input<typeof downloadDekBackupInputSchema>;

/** What one call carries besides its input. */
export interface CallOptions {
  /**
   * The satellite's API key, which the web transport sends with calls that save a command the
   * satellite will run (a dns-01 hook): a browser session alone may not. The desktop app needs none.
   */
  apiKey?: string;
}

/** What the renderer talks to, whatever carries it. */
export interface SatelliteClient {
  call<M extends RpcMethod>(method: M, input: RpcInput<M>, options?: CallOptions): Promise<RpcOutputs[M]>;
  /** Resolves to null when the user cancelled the save dialog. */
  downloadCertificate(input: DownloadCertificateInput): Promise<ExportSummary | null>;
  downloadKeystore(input: DownloadKeystoreInput): Promise<ExportSummary | null>;
  /** Saves a DEK backup file and records the date as the last backup; null when cancelled. */
  downloadDekBackup(input: DownloadDekBackupInput): Promise<ExportSummary | null>;
  /** 'electron' or 'web': the UI hides what a transport cannot do (e.g. API key rotation over the API itself). */
  readonly transport: 'electron' | 'web';
}

/** Error carried back to the UI: the cloud's shape, every problem at once. */
export interface ClientError {
  errors: { code: number; message: string; args?: unknown }[];
}
