import type { DownloadCertificateInput, DownloadDekBackupInput, DownloadKeystoreInput, RpcMethod, RpcOutputs, RpcParsedInput } from '../../shared/client';
import type { DekBackupExport, EdgeEncryptionKey } from './dek/dek-service';
import type { ExportResult } from './exports/types';
import type { Automation } from '../../shared/automation';
import type { CertificateRequestRecord } from '../../shared/certificate-request';
import type { Application, IssuingTemplate } from '../../shared/settings';
import type { TlsServerIdentity } from './tls/server-identity';
import type { PkiFile } from './ca/builtin/pki-paths';

export type { DekBackupExport, EdgeEncryptionKey, ExportResult, RpcParsedInput, TlsServerIdentity };

/** What the PKI listener serves, public by nature: the built-in CA's CRLs and certificates, and OCSP. */
export type PublicPkiFile = PkiFile;
export interface PublicPki {
  /** Undefined for the root's CRL when the root could not sign one (the log says why). */
  file(name: PublicPkiFile): Promise<{ bytes: Uint8Array; mediaType: string } | undefined>;
  ocsp(request: Uint8Array): Promise<Uint8Array>;
}

export interface EdgeInstance {
  id: string;
  name: string;
  edgeType: 'SATELLITE';
  edgeStatus: 'ACTIVE' | 'UNHEALTHY' | 'ERROR';
  encryptionKeyId?: string;
  encryptionKeyDeploymentDate?: string;
  satelliteVersion: string;
  statusDetails: string;
}

/** Bytes of an export and what they are; the bytes never reach the renderer. */

/**
 * The satellite's one service layer. Every front end (IPC, HTTP, CLI) is a thin adapter:
 * it validates input with the shared schemas, then calls this.
 */
export interface SatelliteService {
  call<M extends RpcMethod>(method: M, input: RpcParsedInput<M>): Promise<RpcOutputs[M]>;
  exportCertificate(input: DownloadCertificateInput): Promise<ExportResult>;
  exportKeystore(input: DownloadKeystoreInput): Promise<ExportResult>;
  /**
   * A passphrase-wrapped backup of the DEK, handed to `save` (a dialog, a file, an HTTP answer);
   * recorded as the last backup (Services page, edgeencryptionkeys) only when `save` returns
   * something other than null, so a cancelled dialog records nothing.
   */
  saveDekBackup<T>(input: DownloadDekBackupInput, save: (backup: DekBackupExport) => Promise<T | null>): Promise<T | null>;
  /** One of the built-in CA's CRLs (DER, application/pkix-crl) or certificates (DER, application/pkix-cert), for the PKI listener; undefined when it has none (the root's CRL). */
  publicPkiFile(name: PublicPkiFile): Promise<{ bytes: Uint8Array; mediaType: string } | undefined>;
  /** An OCSP response (DER) for an OCSP request (DER), signed by the built-in CA's delegated responder. */
  ocspResponse(request: Uint8Array): Promise<Uint8Array>;
  /** The cloud's edgeencryptionkeys: the X25519 public key clients seal passphrases to; undefined for an unknown dekHash. */
  edgeEncryptionKey(dekHash: string): Promise<EdgeEncryptionKey | undefined>;
  /** Opens a passphrase a client sealed with libsodium crypto_box_seal to the edge key (base64 in, UTF-8 out). */
  openSealedPassphrase(sealedBase64: string): Promise<string>;
  /** The satellite itself, as GET /v1/edgeinstances describes it. */
  edgeInstance(): Promise<EdgeInstance>;
  getApplicationByName(name: string): Promise<Application | undefined>;
  getTemplateByAlias(applicationName: string, alias: string): Promise<IssuingTemplate | undefined>;
  /**
   * The certificate and key the HTTPS listener bound to `host` presents, issued by the built-in
   * CA (made, or read back from the store, sealed under the DEK); call again at `renewAt`.
   */
  tlsServerIdentity(host: string): Promise<TlsServerIdentity>;
  /** Constant-time check of a `tppl-api-key` header value. */
  verifyApiKey(candidate: string): Promise<boolean>;
  /** Called with the new key right after the API key was rotated (the headless satellite rewrites --api-key-file). */
  onApiKeyRotated(listener: (apiKey: string) => void): () => void;
  /** Called when a request reaches ISSUED, FAILED or REJECTED (OS notifications, live UI refresh). */
  onRequestFinished(listener: (request: CertificateRequestRecord) => void): () => void;
  /** Called after every run of an automation that did something (installed, renewed, or failed). */
  onAutomationResult(listener: (automation: Automation) => void): () => void;
  close(): Promise<void>;
}
