import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../common/log';
import type { Sealer } from '../../vault/sealer';
import { CaError, type CaConnector, type ConnectorHealth, type IssueRequest, type IssueResult } from '../connector';
import { readBlobDekHash } from '../../vault/blob-format';
import { CA_FILES, openCaDirectory, SEALED_KEY_IDS, type CaMeta, type SealedKeyStore } from './ca-directory';
import { csrNames } from '../../pki/csr-reader';
import { toPem as pemOf } from '../../pki/pem';
import { cryptoPool } from '../../keys/crypto-pool';
import { issuerOf, type Issuer } from '../../pki/end-entity';
import { REVOCATION_REASONS, RevocationLog, type Revocation, type RevocationReason } from './revocations';
import { CA_KEY_ALGORITHM, CA_SIGNING_ALGORITHM, derInteger, subtle, toPem, x509 } from './x509';

export interface BuiltinCaOptions {
  /** The CA's own directory (e.g. `<userData>/builtin-ca`); made on first run. */
  dir: string;
  /** Seals the CA's private keys under the DEK; they never touch the disk in clear. */
  sealer: Sealer;
  /** Where the sealed keys live: the inventory's secrets table (`inventorySealedKeys(store)`), so DEK rotation rewraps them. */
  sealedKeys: SealedKeyStore;
  log?: Logger;
  /** How long each CRL is valid (nextUpdate); default 7 days. */
  crlValiditySeconds?: number;
}

const CRL_NUMBER_OID = '2.5.29.20';

/**
 * The embedded, offline CA: a root and an issuing intermediate made on first run. Only the
 * intermediate's key is ever unsealed (into a non-extractable WebCrypto key); the root's key
 * stays sealed in the inventory after creation.
 */
export class BuiltinCa implements CaConnector {
  readonly type = 'BUILTIN' as const;
  readonly issuesLocally = true;

  private constructor(
    readonly dir: string,
    readonly meta: CaMeta,
    private readonly root: x509.X509Certificate,
    private readonly intermediate: x509.X509Certificate,
    private readonly intermediateKey: CryptoKey,
    /** The intermediate as the certificate signer needs it (its encoded name, key id and a Node signing key). */
    private readonly issuer: Issuer,
    private readonly revocationLog: RevocationLog,
    private readonly log: Logger,
    private readonly crlValidityMs: number,
  ) {}

  /** Use `openBuiltinCa`. */
  static async open(options: BuiltinCaOptions): Promise<BuiltinCa> {
    const log = options.log ?? silentLogger;
    const dir = await openCaDirectory(options.dir, options.sealer, options.sealedKeys, log);
    let pkcs8: Buffer;
    try {
      pkcs8 = options.sealer.open(SEALED_KEY_IDS.intermediate, dir.sealedIntermediateKey);
    } catch (e) {
      const sealedUnder = sealedDekHash(dir.sealedIntermediateKey);
      const why =
        sealedUnder !== options.sealer.dekHash
          ? `it is sealed under DEK ${sealedUnder} but the current DEK is ${options.sealer.dekHash}; restore that DEK from its backup`
          : `the sealed key was altered or belongs to another CA (${(e as Error).message})`;
      throw new Error(`The built-in CA's issuing key (secret "${SEALED_KEY_IDS.intermediate}") cannot be opened: ${why}.`, { cause: e });
    }
    const der = new Uint8Array(pkcs8);
    pkcs8.fill(0);
    let key: CryptoKey;
    let signingKey: ReturnType<typeof createPrivateKey>;
    try {
      // WebCrypto's key signs CRLs (@peculiar/x509); Node's signs certificates, synchronously and
      // without a threadpool round trip. Both are made from the same bytes, wiped right after.
      key = await subtle.importKey('pkcs8', der, CA_KEY_ALGORITHM, false, ['sign']);
      signingKey = createPrivateKey({ key: Buffer.from(der.buffer, der.byteOffset, der.byteLength), format: 'der', type: 'pkcs8' });
    } finally {
      der.fill(0);
    }
    const intermediate = new x509.X509Certificate(dir.intermediatePem);
    if (!(await keyMatchesCertificate(key, intermediate))) {
      throw new Error(`The built-in CA's issuing key (secret "${SEALED_KEY_IDS.intermediate}") does not belong to ${join(options.dir, CA_FILES.intermediatePem)}; move ${options.dir} away so a new CA is made at the next start.`);
    }
    return new BuiltinCa(
      options.dir,
      dir.meta,
      new x509.X509Certificate(dir.rootPem),
      intermediate,
      key,
      issuerOf(dir.intermediatePem, signingKey),
      new RevocationLog(join(options.dir, CA_FILES.revocations)),
      log,
      (options.crlValiditySeconds ?? 7 * 86_400) * 1000,
    );
  }

  issue(request: IssueRequest): Promise<IssueResult> {
    return this.sign(request);
  }

  private async sign(request: Omit<IssueRequest, 'template'>): Promise<IssueResult> {
    if (this.intermediate.notAfter.getTime() <= Date.now()) {
      throw new CaError(`The built-in CA's issuing certificate expired on ${this.intermediate.notAfter.toISOString()}`, false);
    }
    // Signed on a worker thread of the crypto pool (the Issuer's KeyObject is cloned into it).
    const cert = await cryptoPool().run('issueEndEntity', {
      csrPem: request.csrPem,
      validitySeconds: request.validitySeconds,
      extendedKeyUsages: request.extendedKeyUsages,
      checked: request.checked,
      issuer: this.issuer,
    });
    this.log.log('info', 'builtin-ca: issued', { requestId: request.requestId, serialNumber: cert.serialNumber, notAfter: cert.notAfter.toISOString() });
    return { status: 'ISSUED', certificatePem: pemOf(cert.der, 'CERTIFICATE'), chainPems: this.chainPems() };
  }

  /**
   * The satellite's own HTTPS listener certificate (TLS server authentication) for a CSR the
   * satellite made itself: it names exactly what the CSR names.
   */
  async issueServerCertificate(csrPem: string, validitySeconds: number): Promise<{ certificatePem: string; chainPems: string[] }> {
    const result = await this.sign({ requestId: 'tls-server', csrPem, validitySeconds, extendedKeyUsages: ['SERVER_AUTH'], checked: csrNames(csrPem) });
    if (result.status !== 'ISSUED') throw new CaError('the built-in CA did not issue the listener certificate', false);
    return result;
  }

  /**
   * Records the revocation of a certificate this CA issued (revoking twice keeps the first
   * record). `reason` is one of unspecified, keyCompromise, affiliationChanged, superseded,
   * cessationOfOperation.
   */
  async revoke(certificatePem: string, reason = 'unspecified'): Promise<void> {
    if (!Object.hasOwn(REVOCATION_REASONS, reason)) {
      throw new CaError(`reason "${reason}" is not a revocation reason; use one of ${Object.keys(REVOCATION_REASONS).join(', ')}`, false);
    }
    let cert: x509.X509Certificate;
    try {
      cert = new x509.X509Certificate(certificatePem.trim());
    } catch (e) {
      throw new CaError(`certificatePem: not an X.509 certificate in PEM (${(e as Error).message})`, false);
    }
    const ours = cert.issuer === this.intermediate.subject && (await cert.verify({ publicKey: this.intermediate.publicKey, signatureOnly: true }));
    if (!ours) {
      throw new CaError(`The certificate with serial ${cert.serialNumber} (issuer ${cert.issuer}) was not issued by this built-in CA, so it cannot revoke it`, false);
    }
    const kept = this.revocationLog.add(cert.serialNumber, reason as RevocationReason);
    this.log.log('info', 'builtin-ca: revoked', { serialNumber: kept.serialNumber, reason: kept.reason });
  }

  /** Whether this CA has revoked the certificate with this serial (hex, any case). */
  revocation(serialNumber: string): Revocation | undefined {
    return this.revocationLog.find(serialNumber);
  }

  /** A fresh CRL in PEM, signed by the intermediate, listing every revocation; each call has a higher CRL number. */
  async crl(): Promise<string> {
    const now = new Date();
    const number = this.revocationLog.nextCrlNumber();
    const crl = await x509.X509CrlGenerator.create({
      issuer: this.intermediate.subjectName,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + this.crlValidityMs),
      signingKey: this.intermediateKey,
      signingAlgorithm: CA_SIGNING_ALGORITHM,
      entries: this.revocationLog.list().map((r) => ({
        serialNumber: r.serialNumber,
        revocationDate: new Date(r.revocationDate),
        reason: REVOCATION_REASONS[r.reason],
      })),
      extensions: [
        new x509.AuthorityKeyIdentifierExtension(this.intermediate.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId),
        new x509.Extension(CRL_NUMBER_OID, false, derInteger(number)),
      ],
    });
    // x509 labels it "CRL"; OpenSSL and RFC 7468 expect "X509 CRL".
    return toPem(crl.rawData, 'X509 CRL');
  }

  /** The chain above an issued certificate: intermediate first, root last. */
  chainPems(): string[] {
    this.chain ??= [toPem(this.intermediate.rawData, 'CERTIFICATE'), toPem(this.root.rawData, 'CERTIFICATE')];
    return [...this.chain];
  }

  private chain: string[] | undefined;

  /** The root to trust (what users install to trust certificates from this CA). */
  rootPem(): string {
    return toPem(this.root.rawData, 'CERTIFICATE');
  }

  async health(): Promise<ConnectorHealth> {
    const until = this.intermediate.notAfter;
    if (until.getTime() <= Date.now()) {
      return { healthy: false, message: `The built-in CA's issuing certificate expired on ${until.toISOString()}` };
    }
    return { healthy: true, message: `Built-in CA ready: ${this.intermediate.subject}, valid until ${until.toISOString().slice(0, 10)}` };
  }
}

function sealedDekHash(blob: Buffer): string {
  try {
    return readBlobDekHash(blob);
  } catch {
    return '(unreadable)';
  }
}

// Signs a probe and checks it with the certificate's public key: keys and certificates live in
// different places, and a CA must never sign with a key its certificate does not name.
async function keyMatchesCertificate(key: CryptoKey, certificate: x509.X509Certificate): Promise<boolean> {
  const probe = new TextEncoder().encode('keypair-satellite builtin-ca key check');
  const signature = await subtle.sign(CA_SIGNING_ALGORITHM, key, probe);
  const publicKey = await certificate.publicKey.export(CA_KEY_ALGORITHM, ['verify']);
  return subtle.verify(CA_SIGNING_ALGORITHM, publicKey, signature, probe);
}

/** Opens the built-in CA in `dir`, creating its root and intermediate on first run. */
export function openBuiltinCa(options: BuiltinCaOptions): Promise<BuiltinCa> {
  return BuiltinCa.open(options);
}
