import type { CertificateDetail, DownloadCertificateInput, DownloadKeystoreInput } from '../../../shared/client';
import type { CertificateExtensionView, CertificateRecord } from '../../../shared/certificate';
import { ERROR_CODES } from '../../../shared/error-codes';
import { certificateContentsOptionsSchema, keystoreExportOptionsSchema, type ChainOrder } from '../../../shared/exports';
import type { RenewalAdvice } from '../../../shared/renewal';
import type { IssuingTemplate } from '../../../shared/settings';
import type { CaConnector } from '../ca/connector';
import { SatelliteError } from '../common/errors';
import { exportCertificate, exportKeystore, type KeyMaterial } from '../exports';
import { certificateExtensions, signatureAlgorithmName } from '../pki/certificate-extensions';
import { certificateText } from '../pki/certificate-text';
import type { ExportResult } from '../exports/types';
import type { Logger } from '../common/log';
import type { InventoryStore } from '../store';
import type { Sealer } from '../vault/sealer';
import type { RequestService } from '../requests/request-service';
import { renewalAdvice } from './renewal-advice';
import { CA_LABELS } from '../../../shared/labels';

export interface CertificateServiceDeps {
  store: InventoryStore;
  requests: RequestService;
  sealer(): Sealer;
  template(id: string | undefined): IssuingTemplate | undefined;
  connectorFor(template: IssuingTemplate): CaConnector;
  log?: Logger;
}

/** Reading, exporting, revoking and deleting what is in the inventory. */
export class CertificateService {
  constructor(private readonly deps: CertificateServiceDeps) {}

  get(id: string): CertificateRecord {
    const certificate = this.deps.store.getCertificate(id);
    if (!certificate) throw new SatelliteError(ERROR_CODES.NOT_FOUND, `no certificate with id "${id}"`, 404, { field: 'id', value: id });
    return certificate;
  }

  /** The certificate and its chain as PEM, issuer first; a request not yet ISSUED is a 409, as in the cloud. */
  pems(id: string): { certificatePem: string; chainPems: string[] } {
    const certificate = this.deps.store.getCertificate(id);
    if (!certificate) {
      const request = this.deps.store.getRequest(id);
      if (request) throw new SatelliteError(ERROR_CODES.CONFLICT, `request ${id} is ${request.status}; its certificate is not issued yet`, 409, { field: 'id', value: id });
      this.get(id);
    }
    const pem = (certId: string) => {
      const text = this.deps.store.getCertificatePem(certId);
      if (!text) throw new SatelliteError(ERROR_CODES.INTERNAL, `certificate ${certId} has no stored PEM`, 500);
      return text;
    };
    return { certificatePem: pem(id), chainPems: certificate!.chainCertificateIds.map(pem) };
  }

  detail(id: string): CertificateDetail {
    const certificate = this.get(id);
    const request = certificate.certificateRequestId ? this.deps.store.getRequest(certificate.certificateRequestId) : undefined;
    const chain = certificate.chainCertificateIds.map((c) => this.deps.store.getCertificate(c)).filter((c): c is CertificateRecord => c !== undefined);
    const pem = this.pems(id).certificatePem;
    const extensions = certificateExtensions(pem);
    const signatureAlgorithm = signatureAlgorithmName(pem);
    return {
      certificate,
      request,
      chain,
      pem,
      extensions,
      signatureAlgorithm,
      text: certificateText(pem, { extensions, signatureAlgorithm }),
      hasPrivateKey: this.hasPrivateKey(certificate),
      revocationEffect: this.revocationEffect(certificate, extensions),
      renewal: this.renewability(certificate),
    };
  }

  /** What revoking this certificate will do in the world, said before the user confirms it. */
  private revocationEffect(certificate: CertificateRecord, extensions: CertificateExtensionView[]): string {
    const template = this.deps.template(certificate.certificateIssuingTemplateId);
    if (!template) return 'This satellite did not issue it and can tell no CA: it will only be marked revoked here. Revoke it at the CA that issued it too.';
    switch (template.certificateAuthority) {
      case 'BUILTIN': {
        // What this very certificate tells clients, read from it: older ones name no location.
        const crl = uriIn(extensions, 'X509v3 CRL Distribution Points');
        const ocsp = /OCSP - URI:(\S+)/.exec(extensions.find((e) => e.name === 'Authority Information Access')?.values.join('\n') ?? '')?.[1];
        if (crl && ocsp) return `The built-in CA will list it in its CRL at ${crl}, and its OCSP responder at ${ocsp} will answer "revoked": clients that check either will refuse it while this satellite serves them.`;
        return "The built-in CA will list it in its CRL (Services, Built-in CA). This certificate names no CRL or OCSP location (it was issued without the PKI listener), so only clients you give that CRL will refuse it.";
      }
      case 'ACME':
        return `The satellite asks the ACME CA of template "${template.name}" to revoke it; that CA publishes the revocation (CRL, OCSP) for the clients that check.`;
      case 'CLOUD':
      case 'MANUAL':
        return `This satellite does not tell ${CA_LABELS[template.certificateAuthority].inSentence} of template "${template.name}": it will only be marked revoked here. Revoke it at that CA too.`;
    }
  }

  /** Whether Renew can work for this certificate, and if not, why (in the user's words). */
  private renewability(certificate: CertificateRecord): { possible: true; template: string } | { possible: false; reason: string } {
    if (certificate.isCA) return { possible: false, reason: 'A CA certificate is not renewed here: renew the certificates it issued, or make a new CA.' };
    if (certificate.revocationStatus === 'REVOKED') return { possible: false, reason: 'A revoked certificate cannot be renewed: request a new one.' };
    if (certificate.successorCertificateId) return { possible: false, reason: 'Already renewed: see “Renewed by” on this page.' };
    const template = this.deps.template(certificate.certificateIssuingTemplateId);
    if (!template) return { possible: false, reason: 'Imported certificates cannot be renewed here, since no template of this satellite issued them: make a new request instead.' };
    return { possible: true, template: template.name };
  }

  /**
   * When to renew: the CA's suggested window when its connector offers one (ACME Renewal
   * Information), otherwise the satellite's rule. Asks the CA, so it may take a moment.
   */
  async renewalAdvice(id: string): Promise<RenewalAdvice> {
    const certificate = this.get(id);
    if (certificate.isCA) {
      throw new SatelliteError(ERROR_CODES.VALIDATION, `certificate ${id} (${certificate.certificateName}) is a CA certificate of a chain; renew the certificates it issued instead`, 400, { field: 'id', value: id });
    }
    const SATELLITE_RULE = "the satellite's rule applies: renew in the last third of the lifetime";
    const template = this.deps.template(certificate.certificateIssuingTemplateId);
    if (!template) return renewalAdvice(certificate, undefined, `no issuing template of this satellite issued it, so ${SATELLITE_RULE}`);
    const connector = this.deps.connectorFor(template);
    if (!connector.renewalWindow) return renewalAdvice(certificate, undefined, `${CA_LABELS[template.certificateAuthority].inSentence} (template "${template.name}") suggests no renewal window, so ${SATELLITE_RULE}`);
    const window = await connector.renewalWindow(this.pems(id).certificatePem);
    if (!window) return renewalAdvice(certificate, undefined, `the CA of template "${template.name}" gave no Renewal Information (it does not offer it, or could not be reached), so ${SATELLITE_RULE}`);
    return renewalAdvice(certificate, { window, caName: `the CA of template "${template.name}"` }, '');
  }

  text(id: string, chainOrder: ChainOrder): string {
    const { certificatePem, chainPems } = this.pems(id);
    if (chainOrder === 'EE_ONLY') return certificatePem;
    const ordered = chainOrder === 'EE_FIRST' ? [certificatePem, ...chainPems] : [...chainPems].reverse().concat(certificatePem);
    return ordered.map((p) => p.trim() + '\n').join('');
  }

  exportCertificate(input: DownloadCertificateInput): ExportResult {
    const certificate = this.get(input.id);
    const options = certificateContentsOptionsSchema.parse(input);
    return exportCertificate(this.pems(certificate.id), options, certificate.certificateName);
  }

  /** Opens the sealed key only here, only for this export; the exporter wipes it afterwards. */
  async exportKeystore(input: DownloadKeystoreInput): Promise<ExportResult> {
    const certificate = this.get(input.id);
    const options = keystoreExportOptionsSchema.parse(input);
    const blob = this.keyBlobOf(certificate);
    if (!blob) {
      throw new SatelliteError(
        ERROR_CODES.CONFLICT,
        `certificate ${certificate.id} (${certificate.certificateName}) has no private key in this satellite: its CSR was uploaded or it was imported without a key; download the certificate instead`,
        409,
        { field: 'id', value: certificate.id },
      );
    }
    if (certificate.revocationReason === 'keyCompromise') {
      if (input.acknowledgeKeyCompromise !== true) {
        throw new SatelliteError(
          ERROR_CODES.CONFLICT,
          `certificate ${certificate.id} (${certificate.certificateName}) was revoked because its key was compromised: treat the key as known to others and make a new one. To export it anyway, confirm that you know this (acknowledgeKeyCompromise: true)`,
          409,
          { field: 'acknowledgeKeyCompromise', value: certificate.id },
        );
      }
      this.deps.log?.log('warn', 'the private key of a certificate revoked for key compromise was exported, as confirmed', { certificateId: certificate.id, name: certificate.certificateName });
    }
    const pkcs8 = this.deps.sealer().open(blob.recordId, blob.blob);
    try {
      return exportKeystore({ pkcs8, ...this.pems(certificate.id) }, options, certificate.certificateName);
    } finally {
      // The only plaintext copy of the key: gone once the keystore holds it encrypted.
      pkcs8.fill(0);
    }
  }

  /**
   * The certificate, its chain and its key opened from under the DEK, for an installation that
   * writes them where a server reads them. The caller wipes `pkcs8` (the exporters do).
   */
  openKeyMaterial(id: string): KeyMaterial {
    const certificate = this.get(id);
    const blob = this.keyBlobOf(certificate);
    if (!blob) {
      throw new SatelliteError(ERROR_CODES.CONFLICT, `certificate ${certificate.id} (${certificate.certificateName}) has no private key in this satellite, so it cannot be installed with one`, 409, {
        field: 'certificateId',
        value: certificate.id,
      });
    }
    return { pkcs8: this.deps.sealer().open(blob.recordId, blob.blob), ...this.pems(certificate.id) };
  }

  async revoke(id: string, reason: string): Promise<CertificateRecord> {
    const certificate = this.get(id);
    if (certificate.revocationStatus === 'REVOKED') return certificate;
    const template = this.deps.template(certificate.certificateIssuingTemplateId);
    if (template) {
      const connector = this.deps.connectorFor(template);
      if (connector.revoke) await connector.revoke(this.pems(id).certificatePem, reason);
    }
    const revoked = this.deps.store.updateCertificate(id, { revocationStatus: 'REVOKED', revocationDate: new Date().toISOString(), revocationReason: reason, certificateStatus: 'RETIRED' });
    if (certificate.certificateRequestId && this.deps.store.getRequest(certificate.certificateRequestId)) {
      this.deps.requests.transition(certificate.certificateRequestId, 'REVOKED', {}, `revoked: ${reason}`);
    }
    return revoked;
  }

  /** Retires each certificate (already retired: unchanged). A revoked one stays retired. */
  retire(ids: readonly string[]): CertificateRecord[] {
    const found = ids.map((id) => this.get(id));
    return this.deps.store.transaction(() => found.map((c) => (c.certificateStatus === 'RETIRED' ? c : this.deps.store.updateCertificate(c.id, { certificateStatus: 'RETIRED' }))));
  }

  /** Brings retired certificates back to ACTIVE; a revoked certificate cannot come back. */
  recover(ids: readonly string[]): CertificateRecord[] {
    const found = ids.map((id) => this.get(id));
    const revoked = found.find((c) => c.revocationStatus === 'REVOKED');
    if (revoked) {
      throw new SatelliteError(ERROR_CODES.CONFLICT, `certificate ${revoked.id} (${revoked.certificateName}) is revoked; a revoked certificate stays retired: request a new one`, 409, {
        field: 'certificateIds',
        value: revoked.id,
      });
    }
    return this.deps.store.transaction(() => found.map((c) => (c.certificateStatus === 'ACTIVE' ? c : this.deps.store.updateCertificate(c.id, { certificateStatus: 'ACTIVE' }))));
  }

  /** The record and its sealed key go together, in one transaction. */
  delete(id: string): void {
    const certificate = this.get(id);
    this.deps.store.transaction(() => {
      this.deps.store.deleteCertificate(id);
      if (certificate.certificateRequestId && this.deps.store.getRequest(certificate.certificateRequestId)) {
        this.deps.requests.transition(certificate.certificateRequestId, 'DELETED', {}, 'certificate and key deleted');
      }
    });
  }

  hasPrivateKey(certificate: CertificateRecord): boolean {
    return this.keyBlobOf(certificate) !== undefined;
  }

  private keyBlobOf(certificate: CertificateRecord) {
    return (certificate.certificateRequestId && this.deps.store.getKeyBlob(certificate.certificateRequestId)) || this.deps.store.getKeyBlob(certificate.id) || undefined;
  }
}

/** The first URI an extension (as the certificate page shows it) names. */
function uriIn(extensions: CertificateExtensionView[], name: string): string | undefined {
  return /URI:(\S+)/.exec(extensions.find((e) => e.name === name)?.values.join('\n') ?? '')?.[1];
}
