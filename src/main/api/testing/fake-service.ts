import { randomUUID } from 'node:crypto';
import type { CertificateRecord } from '../../../shared/certificate';
import type { CertificateRequestRecord } from '../../../shared/certificate-request';
import type { DownloadCertificateInput, DownloadDekBackupInput, DownloadKeystoreInput, RpcMethod, RpcOutputs } from '../../../shared/client';
import { ERROR_CODES } from '../../../shared/error-codes';
import type { Application, IssuingTemplate } from '../../../shared/settings';
import { SatelliteError } from '../../core/common/errors';
import type { DekBackupExport, EdgeEncryptionKey, EdgeInstance, ExportResult, PublicPkiFile, RpcParsedInput, SatelliteService, TlsServerIdentity } from '../../core/service';
import { constantTimeEqual } from '../security/constant-time';

/** In-test passphrase "sealing": the fake opens `base64("sealed:" + passphrase)`. */
export const fakeSeal = (passphrase: string) => Buffer.from(`sealed:${passphrase}`).toString('base64');

const NOW = '2021-11-16T23:45:13.285Z';

/**
 * A SatelliteService that keeps everything in memory, for specs of routing, security and error
 * shapes. The real satellite is exercised by test/integration/api-*.test.ts.
 */
export class FakeSatelliteService implements SatelliteService {
  readonly apiKey = 'test-api-key-0123456789abcdef';
  readonly calls: { method: string; input: unknown }[] = [];
  readonly application: Application = {
    id: '785a6260-28f5-11eb-804b-6769144073a1',
    name: 'Default',
    description: '',
    certificateIssuingTemplateAliasIdMap: { Default: '11a0c6e2-28f5-11eb-999a-4d91b3bd6de9' },
    creationDate: NOW,
    modificationDate: NOW,
  };
  readonly template = { id: '11a0c6e2-28f5-11eb-999a-4d91b3bd6de9', name: 'Default', certificateAuthority: 'BUILTIN', validityPeriod: 'P90D', creationDate: NOW, modificationDate: NOW } as IssuingTemplate;
  readonly requests = new Map<string, CertificateRequestRecord>();
  readonly edge: EdgeInstance = { id: '0b5c3a1e-1111-4222-8333-444455556666', name: 'test satellite', edgeType: 'SATELLITE', edgeStatus: 'ACTIVE', satelliteVersion: '0.1.0', statusDetails: 'ok' };
  /** Status newly made requests get. */
  nextStatus: CertificateRequestRecord['status'] = 'ISSUED';
  /** When set, every call throws it (to test error mapping). */
  failWith: unknown;
  readonly exports: { kind: 'certificate' | 'keystore' | 'dek-backup'; input: unknown }[] = [];
  /** Backup dates recorded by saveDekBackup (when its save did not return null). */
  readonly recordedBackups: string[] = [];

  async call<M extends RpcMethod>(method: M, input: RpcParsedInput<M>): Promise<RpcOutputs[M]> {
    this.calls.push({ method, input });
    if (this.failWith) throw this.failWith;
    const out = this.answer(method, input as Record<string, unknown>);
    return out as RpcOutputs[M];
  }

  private answer(method: RpcMethod, input: Record<string, unknown>): unknown {
    switch (method) {
      case 'listApplications':
        return [this.application];
      case 'listIssuingTemplates':
        return [this.template];
      case 'requestCertificate':
        return this.makeRequest(input);
      case 'getCertificateRequest':
        return this.request(input.id as string);
      case 'getCertificate':
        return { certificate: this.certificate(input.id as string), chain: [], pem: '', hasPrivateKey: true };
      case 'searchCertificates':
        return { count: 1, certificates: [this.certificate(randomUUID())] };
      case 'generatePassphrase':
        return { passphrase: 'correct horse battery staple' };
      default:
        return {};
    }
  }

  private makeRequest(body: Record<string, unknown>): CertificateRequestRecord {
    const id = randomUUID();
    const record: CertificateRequestRecord = {
      id,
      applicationId: body.applicationId as string,
      certificateIssuingTemplateId: body.certificateIssuingTemplateId as string,
      validityPeriod: (body.validityPeriod as string | undefined) ?? 'P90D',
      keyGeneration: body.isVaaSGenerated ? 'SATELLITE' : 'CSR_UPLOAD',
      csrAttributes: body.csrAttributes as CertificateRequestRecord['csrAttributes'],
      status: this.nextStatus,
      certificateSigningRequest: '-----BEGIN CERTIFICATE REQUEST-----\nMIIC\n-----END CERTIFICATE REQUEST-----\n',
      certificateIds: this.nextStatus === 'ISSUED' ? [randomUUID(), randomUUID()] : [],
      subjectDN: 'CN=ask.venafi.example',
      keyType: 'RSA',
      keyLength: 2048,
      tags: [],
      creationDate: NOW,
      modificationDate: '2021-11-16T23:45:13.392Z',
      statusHistory: [],
    };
    this.requests.set(id, record);
    return record;
  }

  private request(id: string): CertificateRequestRecord {
    const found = this.requests.get(id);
    if (!found) throw new SatelliteError(ERROR_CODES.NOT_FOUND, `id: no certificate request ${id}`, 404, { field: 'id' });
    return found;
  }

  private certificate(id: string): CertificateRecord {
    const sans = { otherName: [], rfc822Name: [], dNSName: ['a'], x400Address: [], directoryName: [], ediPartyName: [], uniformResourceIdentifier: [], iPAddress: [], registeredID: [] };
    return { id, companyId: 'x', subjectCN: ['a'], subjectAlternativeNamesByType: sans, validityStart: NOW, validityEnd: NOW, creationDate: NOW, modificationDate: NOW } as unknown as CertificateRecord;
  }

  async exportCertificate(input: DownloadCertificateInput): Promise<ExportResult> {
    if (this.failWith) throw this.failWith;
    this.exports.push({ kind: 'certificate', input });
    const pending = [...this.requests.values()].some((r) => r.status !== 'ISSUED');
    if (pending) throw new SatelliteError(ERROR_CODES.CONFLICT, 'the certificate is not issued yet; poll the request until ISSUED', 409);
    return { bytes: Buffer.from('-----BEGIN CERTIFICATE-----\n'), summary: { fileName: 'ask.venafi.example.pem', mediaType: 'application/x-pem-file', scheme: 'PEM', sizeBytes: 28 } };
  }

  async exportKeystore(input: DownloadKeystoreInput): Promise<ExportResult> {
    this.exports.push({ kind: 'keystore', input });
    return { bytes: Buffer.from([0x30, 0x82]), summary: { fileName: 'ünïcode label.p12', mediaType: 'application/x-pkcs12', scheme: 'PKCS#12 Modern', sizeBytes: 2 } };
  }

  async saveDekBackup<T>(input: DownloadDekBackupInput, save: (backup: DekBackupExport) => Promise<T | null>): Promise<T | null> {
    if (this.failWith) throw this.failWith;
    this.exports.push({ kind: 'dek-backup', input: { passphraseLength: input.passphrase.length } });
    const bytes = Buffer.from('{"format":"keypair-satellite-dek-backup"}\n');
    const saved = await save({ bytes, dekHash: 'known-hash', createdAt: NOW, summary: { fileName: 'keypair-satellite-dek.json', mediaType: 'application/json', scheme: 'scrypt + AES-256-GCM', sizeBytes: bytes.length } });
    if (saved !== null) this.recordedBackups.push(NOW);
    return saved;
  }

  async publicPkiFile(file: PublicPkiFile): Promise<{ bytes: Uint8Array; mediaType: string } | undefined> {
    const name = 'generation' in file ? `${file.what}-g${file.generation}` : file.what;
    return { bytes: Buffer.from(name), mediaType: file.what.endsWith('crl') ? 'application/pkix-crl' : 'application/pkix-cert' };
  }

  async ocspResponse(request: Uint8Array): Promise<Uint8Array> {
    return Buffer.concat([Buffer.from('ocsp:'), request]);
  }

  async edgeEncryptionKey(dekHash: string): Promise<EdgeEncryptionKey | undefined> {
    return dekHash === 'known-hash' ? { id: 'k1', key: Buffer.alloc(32, 7).toString('base64'), keyAlgorithm: 'X25519' } : undefined;
  }

  async openSealedPassphrase(sealedBase64: string): Promise<string> {
    const text = Buffer.from(sealedBase64, 'base64').toString('utf8');
    if (!text.startsWith('sealed:')) throw new Error('crypto_box_seal_open failed');
    return text.slice('sealed:'.length);
  }

  tlsServerIdentity(): Promise<TlsServerIdentity> {
    return Promise.reject(new Error('the fake service has no built-in CA; run the API server with tls: false'));
  }

  async edgeInstance(): Promise<EdgeInstance> {
    return this.edge;
  }

  async getApplicationByName(name: string): Promise<Application | undefined> {
    return name === this.application.name ? this.application : undefined;
  }

  async getTemplateByAlias(applicationName: string, alias: string): Promise<IssuingTemplate | undefined> {
    return applicationName === this.application.name && alias === 'Default' ? this.template : undefined;
  }

  async verifyApiKey(candidate: string): Promise<boolean> {
    return constantTimeEqual(candidate, this.apiKey);
  }

  onAutomationResult(): () => void {
    return () => undefined;
  }

  onRequestFinished(): () => void {
    return () => {};
  }

  onApiKeyRotated(): () => void {
    return () => {};
  }

  closed = false;
  async close(): Promise<void> {
    this.closed = true;
  }
}
