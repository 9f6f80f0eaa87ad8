import type { BuiltinCaSummary, DownloadCertificateInput, DownloadDekBackupInput, DownloadKeystoreInput, RpcMethod, RpcOutputs } from '../../shared/client';
import type { CertificateRequestRecord } from '../../shared/certificate-request';
import { ERROR_CODES } from '../../shared/error-codes';
import type { ServicesStatus } from '../../shared/services-status';
import type { ApiKeyService } from './api-key/api-key-service';
import type { CertificateService } from './certificates/certificate-service';
import type { ImportService } from './certificates/import-service';
import type { ConnectorRegistry } from './connectors/connector-registry';
import type { SecretVault } from './vault/secret-vault';
import { SatelliteError } from './common/errors';
import { sealConnectorSecrets } from './settings/connector-secrets';
import { acmeProfileProblem } from './ca/acme';
import { generatePassphrase } from './exports';
import type { DekService } from './dek';
import type { RequestService } from './requests/request-service';
import type { AutomationService } from './automation/automation-service';
import type { PlaybookImport } from '../../shared/client';
import type { TrustChange } from '../../shared/trust';
import type { NameConstraints } from '../../shared/name-constraints';
import type { Automation } from '../../shared/automation';
import type { DekBackupExport, EdgeEncryptionKey, EdgeInstance, ExportResult, PublicPki, PublicPkiFile, RpcParsedInput, SatelliteService, TlsServerIdentity } from './service';
import type { SettingsStore } from './settings';
import type { InventoryStore } from './store';

export interface SatelliteParts {
  identity: { id: string; name: string; version: string; companyId: string; userId: string };
  store: InventoryStore;
  settings: SettingsStore;
  requests: RequestService;
  certificates: CertificateService;
  imports: ImportService;
  connectors: ConnectorRegistry;
  apiKeys: ApiKeyService;
  dek: DekService;
  automations: AutomationService;
  /** A VCert playbook's tasks made into automations (automation/playbook-import.ts, wired with settings). */
  importPlaybook(yaml: string, fileName: string): Promise<PlaybookImport>;
  /** How often the scheduler looks, for Services. */
  automationTickSeconds: number;
  apiStatus(): ServicesStatus['api'];
  builtinCa(): Promise<BuiltinCaSummary>;
  /** The built-in CA's root into this computer's trust stores, and out again (trust/trust-service.ts). */
  trustRoot(): Promise<TrustChange>;
  untrustRoot(): Promise<TrustChange>;
  /** A new issuing CA under the built-in CA's root (ca-directory.ts's addIssuingCa), issuing from then on. */
  newIssuingCa(nameConstraints: NameConstraints | undefined): Promise<BuiltinCaSummary>;
  publicPki: PublicPki;
  tlsServerIdentity(host: string): Promise<TlsServerIdentity>;
  /** Where connector secrets are sealed (refuses with the reason while the DEK is unavailable). */
  connectorSecrets(): SecretVault;
  close(): Promise<void>;
}

type Handlers = { [M in RpcMethod]: (input: RpcParsedInput<M>) => Promise<RpcOutputs[M]> | RpcOutputs[M] };

/** The one service layer: every RPC method maps to one call on a core module. */
export class CoreSatelliteService implements SatelliteService {
  private readonly listeners = new Set<(request: CertificateRequestRecord) => void>();
  private readonly apiKeyListeners = new Set<(apiKey: string) => void>();
  private readonly handlers: Handlers;

  constructor(private readonly parts: SatelliteParts) {
    const { settings, requests, certificates, imports, apiKeys, dek, automations } = parts;
    this.handlers = {
      getServicesStatus: ({ recheck }) => this.servicesStatus(recheck === true),
      listApplications: () => settings.listApplications(),
      saveApplication: (input) => settings.saveApplication(input),
      deleteApplication: ({ id }) => (settings.deleteApplication(id), { deleted: true as const }),
      listIssuingTemplates: () => settings.listIssuingTemplates(),
      saveIssuingTemplate: async (input) => {
        const caSettings = input.caSettings;
        const profileProblem = caSettings.type === 'ACME' ? await acmeProfileProblem(caSettings) : undefined;
        if (profileProblem) throw new SatelliteError(ERROR_CODES.VALIDATION, profileProblem, 400, [{ field: 'caSettings.profile', message: profileProblem, value: caSettings.type === 'ACME' ? caSettings.profile : undefined }]);
        return settings.saveIssuingTemplate(await sealConnectorSecrets(input, parts.connectorSecrets()));
      },
      deleteIssuingTemplate: ({ id }) => (settings.deleteIssuingTemplate(id), { deleted: true as const }),
      listServerTypes: () => settings.listServerTypes(),
      requestCertificate: (body) => requests.submit(body),
      getCertificateRequest: ({ id }) => this.request(id),
      listCertificateRequests: ({ statuses, limit }) => parts.store.listRecentRequests(statuses, limit),
      retryCertificateRequest: ({ id }) => requests.retry(id),
      searchCertificates: (query) => parts.store.search(query),
      getCertificate: ({ id }) => certificates.detail(id),
      getCertificateText: ({ id, chainOrder }) => ({ pem: certificates.text(id, chainOrder) }),
      getRenewalAdvice: ({ id }) => certificates.renewalAdvice(id),
      countRenewalDue: () => {
        const now = new Date();
        return { due: parts.store.countRenewalDue(now.getTime()), checkedAt: now.toISOString() };
      },
      renewCertificate: ({ id }) => requests.renew(id),
      revokeCertificate: async ({ id, reason }) => {
        const revoked = await certificates.revoke(id, reason);
        // Installed automatically: replaced now with a new key, not at the scheduler's next look.
        const automation = automations.forCertificate(id);
        if (automation) void automations.runNow(automation.id, true).catch(() => undefined);
        return revoked;
      },
      deleteCertificate: async ({ id }) => {
        certificates.delete(id);
        // Nothing is left to install: the automation goes with it (its files stay where they are).
        const automation = automations.forCertificate(id);
        if (automation) await automations.remove(automation.id);
        return { deleted: true as const };
      },
      retireCertificates: ({ ids }) => certificates.retire(ids),
      recoverCertificates: ({ ids }) => certificates.recover(ids),
      importCertificate: (input) => imports.importWithKey(input),
      importIssuedCertificate: ({ pem }) => imports.importIssuedCertificate(pem),
      generatePassphrase: () => ({ passphrase: generatePassphrase() }),
      getApiKey: async () => ({ apiKey: await apiKeys.current() }),
      rotateApiKey: async () => {
        const apiKey = await apiKeys.rotate();
        this.apiKeyListeners.forEach((listener) => listener(apiKey));
        return { apiKey };
      },
      getBuiltinCa: () => parts.builtinCa(),
      trustBuiltinRoot: () => parts.trustRoot(),
      untrustBuiltinRoot: () => parts.untrustRoot(),
      newIssuingCa: ({ nameConstraints }) => parts.newIssuingCa(nameConstraints),
      rotateDek: () => dek.rotate(),
      restoreDek: ({ backupBase64, passphrase }) => dek.restore(Buffer.from(backupBase64, 'base64'), passphrase),
      listAutomations: () => automations.list(),
      getAutomation: ({ id }) => automations.get(id),
      getCertificateAutomation: ({ certificateId }) => {
        const automation = automations.forCertificate(certificateId);
        return automation ? { automation } : {};
      },
      saveAutomation: (input) => automations.save(input),
      deleteAutomation: ({ id }) => automations.remove(id),
      runAutomation: ({ id, renew }) => automations.runNow(id, renew),
      importPlaybook: ({ yaml, fileName }) => parts.importPlaybook(yaml, fileName),
    };
    parts.requests.onFinished((request) => this.listeners.forEach((listener) => listener(request)));
  }

  call<M extends RpcMethod>(method: M, input: RpcParsedInput<M>): Promise<RpcOutputs[M]> {
    const handler = this.handlers[method] as ((input: RpcParsedInput<M>) => Promise<RpcOutputs[M]> | RpcOutputs[M]) | undefined;
    if (!handler) return Promise.reject(new SatelliteError(ERROR_CODES.NOT_FOUND, `unknown method "${String(method)}"`, 404));
    return Promise.resolve().then(() => handler(input));
  }

  async exportCertificate(input: DownloadCertificateInput): Promise<ExportResult> {
    return this.parts.certificates.exportCertificate(input);
  }

  exportKeystore(input: DownloadKeystoreInput): Promise<ExportResult> {
    return this.parts.certificates.exportKeystore(input);
  }

  saveDekBackup<T>({ passphrase }: DownloadDekBackupInput, save: (backup: DekBackupExport) => Promise<T | null>): Promise<T | null> {
    return this.parts.dek.saveBackup(passphrase, save);
  }

  publicPkiFile(name: PublicPkiFile): Promise<{ bytes: Uint8Array; mediaType: string } | undefined> {
    return this.parts.publicPki.file(name);
  }

  ocspResponse(request: Uint8Array): Promise<Uint8Array> {
    return this.parts.publicPki.ocsp(request);
  }

  async edgeEncryptionKey(dekHash: string): Promise<EdgeEncryptionKey | undefined> {
    return this.parts.dek.edgeEncryptionKey(dekHash);
  }

  async openSealedPassphrase(sealedBase64: string): Promise<string> {
    return this.parts.dek.openSealedPassphrase(sealedBase64);
  }

  async edgeInstance(): Promise<EdgeInstance> {
    const { identity } = this.parts;
    const held = this.parts.dek.active ? this.parts.dek.requireDek() : undefined;
    return {
      id: identity.id,
      name: identity.name,
      edgeType: 'SATELLITE',
      edgeStatus: held ? 'ACTIVE' : 'ERROR',
      encryptionKeyId: held?.edgeKeyId,
      encryptionKeyDeploymentDate: held?.createdAt,
      satelliteVersion: identity.version,
      statusDetails: this.parts.dek.status.reason,
    };
  }

  async getApplicationByName(name: string) {
    return this.parts.settings.getApplicationByName(name);
  }

  async getTemplateByAlias(applicationName: string, alias: string) {
    return this.parts.settings.getTemplateByAlias(applicationName, alias);
  }

  tlsServerIdentity(host: string): Promise<TlsServerIdentity> {
    return this.parts.tlsServerIdentity(host);
  }

  verifyApiKey(candidate: string): Promise<boolean> {
    return this.parts.apiKeys.verify(candidate);
  }

  onApiKeyRotated(listener: (apiKey: string) => void): () => void {
    this.apiKeyListeners.add(listener);
    return () => this.apiKeyListeners.delete(listener);
  }

  onRequestFinished(listener: (request: CertificateRequestRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onAutomationResult(listener: (automation: Automation) => void): () => void {
    return this.parts.automations.onResult(listener);
  }

  close(): Promise<void> {
    return this.parts.close();
  }

  private request(id: string): CertificateRequestRecord {
    const record = this.parts.store.getRequest(id);
    if (!record) throw new SatelliteError(ERROR_CODES.NOT_FOUND, `no certificate request with id "${id}"`, 404, { field: 'id', value: id });
    return record;
  }

  private async servicesStatus(recheck: boolean): Promise<ServicesStatus> {
    const { identity, dek, connectors, settings } = this.parts;
    if (recheck) await dek.recheck();
    const caConnectors = await connectors.health(settings.listIssuingTemplates());
    return {
      satellite: { id: identity.id, name: identity.name, version: identity.version, edgeStatus: dek.active ? 'ACTIVE' : 'ERROR' },
      keyGeneration: dek.status,
      caConnectors,
      api: this.parts.apiStatus(),
      inventory: this.parts.store.health(),
      automation: this.automationStatus(),
    };
  }

  private automationStatus(): ServicesStatus['automation'] {
    const all = this.parts.automations.list();
    const failing = all
      .filter((a) => a.lastResult && !a.lastResult.ok)
      .map((a) => ({ id: a.id, name: a.name, certificateId: a.certificateId, message: a.lastResult!.message, ...(a.nextAttemptAt ? { nextAttemptAt: a.nextAttemptAt } : {}) }));
    return { total: all.length, tickSeconds: this.parts.automationTickSeconds, failing };
  }
}
