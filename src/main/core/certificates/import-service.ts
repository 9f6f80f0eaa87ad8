import { createPrivateKey } from 'node:crypto';
import type { CertificateRecord } from '../../../shared/certificate';
import type { RpcInput } from '../../../shared/client';
import { ERROR_CODES } from '../../../shared/error-codes';
import { SatelliteError } from '../common/errors';
import { readPkcs12 } from '../exports/pkcs12/pkcs12-reader';
import { publicKeysEqual, spkiFromPkcs8 } from '../keys';
import type { RequestService } from '../requests/request-service';
import { certificateRecordFrom, storeChain, storeIssuedCertificate } from '../requests/store-issued';
import { parseUploadedCsr } from '../requests/key-and-csr';
import type { InventoryStore } from '../store';
import type { Sealer } from '../vault/sealer';
import { certificateFacts } from '../pki/certificate-facts';
import { splitCertificates, toPem } from '../pki/pem';

export interface ImportServiceDeps {
  store: InventoryStore;
  requests: RequestService;
  sealer(): Sealer;
  applicationExists(id: string): boolean;
  companyId: string;
}

const bad = (field: string, message: string) => new SatelliteError(ERROR_CODES.VALIDATION, message, 400, { field });

/** A private key in any PEM form openssl writes (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1), as PKCS#8 DER. */
function pkcs8FromPem(pem: string, passphrase: string | undefined): Buffer | undefined {
  const block = /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!block) return undefined;
  try {
    return createPrivateKey({ key: block, format: 'pem', passphrase }).export({ type: 'pkcs8', format: 'der' });
  } catch (error) {
    const encrypted = block.includes('ENCRYPTED');
    throw bad(
      encrypted ? 'passphrase' : 'pem',
      encrypted
        ? `the private key is encrypted and the passphrase does not open it (PBES2 and legacy PEM encryption are supported): ${(error as Error).message}`
        : `the private key in pem cannot be read: ${(error as Error).message}`,
    );
  }
}

/** The input field the certificates came from, for messages that name it. */
function sourceField(input: RpcInput<'importCertificate'>): 'pem' | 'derBase64' | 'pkcs12Base64' {
  if (input.pkcs12Base64) return 'pkcs12Base64';
  return input.pem || !input.derBase64?.length ? 'pem' : 'derBase64';
}

/** Bringing certificates made elsewhere into the inventory, with their keys sealed under the DEK. */
export class ImportService {
  constructor(private readonly deps: ImportServiceDeps) {}

  /** A certificate (+ chain) with, optionally, its private key, from PEM or PKCS#12. */
  importWithKey(input: RpcInput<'importCertificate'>): CertificateRecord {
    if (!this.deps.applicationExists(input.applicationId)) {
      throw new SatelliteError(ERROR_CODES.APPLICATION_NOT_FOUND, `applicationId "${input.applicationId}" names no application`, 404, { field: 'applicationId' });
    }
    const { certificatePems, pkcs8 } = this.read(input);
    if (certificatePems.length === 0) throw bad(sourceField(input), 'no certificate found: give a PEM certificate (with its chain) or a PKCS#12 file');
    const all = certificatePems.map((pem, i) => {
      try {
        return { pem, facts: certificateFacts(pem) };
      } catch (error) {
        pkcs8?.fill(0);
        throw bad(sourceField(input), `certificate ${i + 1} of ${certificatePems.length} is not a readable X.509 certificate (${(error as Error).message}); give the certificate as the CA issued it`);
      }
    });
    const keySpki = pkcs8 ? spkiFromPkcs8(pkcs8) : undefined;
    const ee = keySpki ? all.find((c) => publicKeysEqual(c.facts.spki, keySpki)) : (all.find((c) => !c.facts.isCA) ?? all[0]);
    if (!ee) {
      pkcs8?.fill(0);
      throw bad(sourceField(input), 'the private key does not belong to any of the certificates given; import the certificate with its own key');
    }
    const known = this.deps.store.findCertificateByFingerprint(ee.facts.fingerprint);
    if (known) {
      pkcs8?.fill(0);
      if (input.ifPresent === 'return') return known;
      throw new SatelliteError(ERROR_CODES.CONFLICT, `this certificate is already in the inventory: “${known.certificateName}”, serial ${known.serialNumber}; find it in the Certificates list`, 409, { field: 'pem', value: known.id });
    }
    const sealer = pkcs8 ? this.deps.sealer() : undefined;
    const record = certificateRecordFrom(ee.facts, this.deps.companyId, { applicationIds: [input.applicationId], dekHash: sealer?.dekHash });
    const blob = sealer && pkcs8 ? sealer.seal(record.id, pkcs8) : undefined;
    pkcs8?.fill(0);
    return this.deps.store.transaction(() => {
      const chain = all.filter((c) => c !== ee).map((c) => c.pem);
      const stored = { ...record, chainCertificateIds: storeChain(this.deps.store, orderChain(ee.pem, chain), this.deps.companyId) };
      this.deps.store.putCertificate(stored, ee.pem);
      if (blob && sealer) this.deps.store.putKeyBlob(record.id, sealer.dekHash, blob);
      return stored;
    });
  }

  /**
   * The offline flow's second half: a certificate an outside CA issued for a CSR this satellite
   * made. It is matched to its request by public key; a certificate with no matching key is refused.
   */
  async importIssuedCertificate(pem: string): Promise<CertificateRecord> {
    const [eePem, ...chainPems] = splitCertificates(pem);
    if (!eePem) throw bad('pem', 'no PEM certificate found; paste the certificate the CA issued (and its chain), BEGIN CERTIFICATE blocks');
    const facts = certificateFacts(eePem);
    for (const request of this.deps.store.listRequestsByStatus(['PENDING', 'REQUESTED', 'FAILED'])) {
      if (request.keyGeneration !== 'SATELLITE' || !request.certificateSigningRequest) continue;
      const csr = await parseUploadedCsr(request.certificateSigningRequest);
      if (!publicKeysEqual(csr.spki, facts.spki)) continue;
      const stored = await storeIssuedCertificate(this.deps.store, request, { certificatePem: eePem, chainPems }, this.deps.companyId, (patch) =>
        this.deps.requests.transition(request.id, 'ISSUED', patch, 'certificate imported from an outside CA'),
      );
      return stored;
    }
    throw new SatelliteError(
      ERROR_CODES.NOT_FOUND,
      `no waiting request of this satellite has the key of this certificate (${facts.subjectCN[0] ?? facts.subjectDN}, SHA-256 ${facts.sha256Fingerprint}); import it with its private key instead`,
      404,
      { field: 'pem' },
    );
  }

  private read(input: RpcInput<'importCertificate'>): { certificatePems: string[]; pkcs8?: Buffer } {
    if (input.pkcs12Base64) {
      let contents;
      try {
        contents = readPkcs12(Buffer.from(input.pkcs12Base64, 'base64'), input.passphrase ?? '');
      } catch (error) {
        throw bad('passphrase', `the PKCS#12 file cannot be opened: ${(error as Error).message}`);
      }
      return { certificatePems: contents.certificates.map((c) => toPem(c.der, 'CERTIFICATE')), pkcs8: contents.pkcs8 };
    }
    const der = (input.derBase64 ?? []).map((b64) => toPem(Buffer.from(b64, 'base64'), 'CERTIFICATE'));
    if (input.pem || der.length > 0) return { certificatePems: [...der, ...splitCertificates(input.pem ?? '')], pkcs8: input.pem ? pkcs8FromPem(input.pem, input.passphrase) : undefined };
    throw bad('pem', 'give pem (certificate, chain and optionally the key), DER certificates, or pkcs12Base64 with its passphrase');
  }
}

/** Chain certificates issuer first: each one's subject is the previous one's issuer. */
function orderChain(eePem: string, chain: string[]): string[] {
  const remaining = chain.map((pem) => ({ pem, facts: certificateFacts(pem) }));
  const ordered: string[] = [];
  let issuer = certificateFacts(eePem).issuerDN;
  while (remaining.length > 0) {
    const next = remaining.findIndex((c) => c.facts.subjectDN === issuer);
    if (next < 0) break;
    const [found] = remaining.splice(next, 1);
    ordered.push(found!.pem);
    issuer = found!.facts.issuerDN;
  }
  return ordered.concat(remaining.map((c) => c.pem));
}
