import { createHash, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import type { IssuingCaSummary } from '../../../../shared/client';
import type { CsrAttributes } from '../../../../shared/csr-attributes';
import type { NameConstraints } from '../../../../shared/name-constraints';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../common/log';
import type { Sealer } from '../../vault/sealer';
import { CaError, type CaConnector, type ConnectorHealth, type IssuedWithNewKey, type IssueRequest, type IssueResult } from '../connector';
import { readBlobDekHash } from '../../vault/blob-format';
import { CA_FILES, currentIssuing, issuingCaFile, issuingKeyId, openCaDirectory, type CaMeta, type IssuingCaFiles, type SealedKeyStore } from './ca-directory';
import type { RootPointers } from './create-ca';
import { csrNames } from '../../pki/csr-reader';
import { EXTENSION_OID } from '../../pki/oids';
import { toPem as pemOf } from '../../pki/pem';
import { cryptoPool } from '../../keys/crypto-pool';
import { issueOcspResponderCertificate, issuerOf, publicKeyHash, type EndEntityParams, type IssuedCertificate, type Issuer, type RevocationPointers } from '../../pki/end-entity';
import { ocspErrorResponse, readOcspRequest, writeOcspResponse, type OcspCertStatus, type OcspSigner } from '../../pki/ocsp';
import { REVOCATION_REASONS, RevocationLog, type Revocation, type RevocationReason } from './revocations';
import { caKeyMatchesCertificate, CA_KEY_ALGORITHM, CA_SIGNING_ALGORITHM, crlNumberExtension, subtle, toPem, x509 } from './x509';

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
  /**
   * Where this satellite serves issuing CA `generation`'s CRL and certificate, and OCSP (its PKI
   * listener): written into every certificate that issuing CA issues. Undefined when nothing
   * serves them, so no certificate points where no one answers.
   */
  pointersFor?: (generation: number) => RevocationPointers;
  /** Where the same listener serves the root's CRL and certificate: named by the intermediate (see openCaDirectory). */
  rootPointers?: RootPointers;
  /** Whether a certificate with this serial was issued (OCSP answers "unknown" for others). */
  issuedSerial?: (serialHex: string) => boolean;
  /** For a new CA: the DNS subtrees and IP ranges it may issue for. An existing CA's issuing CA must have these exactly. */
  nameConstraints?: NameConstraints;
}

/** A cached CRL is replaced once half its validity has passed, or at once after a revocation. */
const CRL_REFRESH_FRACTION = 0.5;
/** The in-memory OCSP responder's certificate lives this long; a new one is made a day before it ends. */
const RESPONDER_VALIDITY_MS = 7 * 86_400_000;
/** How long an OCSP answer may be cached by clients. */
const OCSP_ANSWER_VALIDITY_MS = 4 * 3_600_000;

/**
 * One issuing CA, opened: its certificate, its key (WebCrypto's signs CRLs, Node's certificates
 * and the OCSP responder's), and what it serves relying parties.
 */
interface OpenIssuingCa {
  generation: number;
  certificate: x509.X509Certificate;
  key: CryptoKey;
  /** The certificate as the certificate signer needs it (its encoded name, key id and a Node signing key). */
  issuer: Issuer;
  /** The CRL served to relying parties, with when it was made; dropped at each revocation. */
  servedCrl?: { der: Uint8Array; madeAt: number };
  /** The delegated OCSP responder: a key in memory only and a short-lived certificate for it. */
  responder?: OcspSigner & { notAfter: number };
}

/**
 * The embedded, offline CA: a root and an issuing intermediate made on first run, and any issuing
 * CA the root signed after it (ca-directory.ts's addIssuingCa). The last one issues; each earlier
 * one still signs the CRL and OCSP answers for what it issued. Only the issuing CAs' keys are
 * unsealed (into non-extractable WebCrypto keys and Node key objects); the root's key stays sealed
 * in the inventory after creation, except to complete a CA made before the root had a CRL and the
 * intermediate named it, or to sign a new issuing CA.
 */
export class BuiltinCa implements CaConnector {
  readonly type = 'BUILTIN' as const;
  readonly issuesLocally = true;

  private constructor(
    readonly dir: string,
    readonly meta: CaMeta,
    private readonly root: x509.X509Certificate,
    /** Every issuing CA, oldest first; the last one issues. */
    private readonly issuingCas: OpenIssuingCa[],
    private readonly revocationLog: RevocationLog,
    private readonly log: Logger,
    private readonly crlValidityMs: number,
    private readonly pointers: RevocationPointers | undefined,
    private readonly issuedSerial: (serialHex: string) => boolean,
    private readonly rootCrl: Uint8Array | undefined,
  ) {}

  /** The issuing CA that issues now. */
  private get current(): OpenIssuingCa {
    return this.issuingCas[this.issuingCas.length - 1]!;
  }

  /** Use `openBuiltinCa`. */
  static async open(options: BuiltinCaOptions): Promise<BuiltinCa> {
    const log = options.log ?? silentLogger;
    const dir = await openCaDirectory(options.dir, options.sealer, options.sealedKeys, log, options.nameConstraints, options.rootPointers);
    const issuingCas: OpenIssuingCa[] = [];
    for (const files of dir.issuing) issuingCas.push(await openIssuingCa(options.dir, files, options.sealer));
    const generation = currentIssuing(dir).generation;
    return new BuiltinCa(
      options.dir,
      dir.meta,
      new x509.X509Certificate(dir.rootPem),
      issuingCas,
      new RevocationLog(join(options.dir, CA_FILES.revocations)),
      log,
      (options.crlValiditySeconds ?? 7 * 86_400) * 1000,
      options.pointersFor?.(generation),
      options.issuedSerial ?? (() => true),
      dir.rootCrlDer && new Uint8Array(dir.rootCrlDer),
    );
  }

  issue(request: IssueRequest): Promise<IssueResult> {
    return this.sign(request);
  }

  /**
   * A fresh key pair, its CSR and this CA's certificate for it, in one hand-off to the crypto pool
   * instead of two: the request pipeline's path for the requests this CA signs. The CSR's names are
   * checked as any CSR's are; its signature is not verified again, the job having made it a moment
   * before with the key it made. The caller seals `made.pkcs8` and wipes it.
   */
  async issueWithNewKey(attrs: CsrAttributes, request: Omit<IssueRequest, 'csrPem' | 'template'>): Promise<IssuedWithNewKey> {
    let order: Omit<EndEntityParams, 'csrPem'>;
    try {
      order = this.signingOrder(request);
    } catch (error) {
      // The key is made all the same, as when the CA is asked for a CSR: a retry after the CA is
      // fixed asks again for the same key.
      return { made: await cryptoPool().run('keyAndCsr', attrs), refused: error as CaError };
    }
    const { certificate, refused, ...made } = await cryptoPool().run('keyCsrAndCertificate', { attrs, certificate: order });
    if (refused) return { made, refused: new CaError(refused.message, refused.retryable) };
    return { made, result: this.issued(request.requestId, certificate) };
  }

  private async sign(request: Omit<IssueRequest, 'template'>): Promise<IssueResult> {
    // Signed on a worker thread of the crypto pool (the Issuer's KeyObject is cloned into it).
    const certificate = await cryptoPool().run('issueEndEntity', { ...this.signingOrder(request), csrPem: request.csrPem });
    return this.issued(request.requestId, certificate);
  }

  /** What the signer needs besides the CSR; refused once the issuing certificate has expired. */
  private signingOrder(request: Omit<IssueRequest, 'template' | 'csrPem'>): Omit<EndEntityParams, 'csrPem'> {
    const { certificate, issuer } = this.current;
    if (certificate.notAfter.getTime() <= Date.now()) {
      throw new CaError(`The built-in CA's issuing certificate expired on ${certificate.notAfter.toISOString()}`, false);
    }
    return {
      validitySeconds: request.validitySeconds,
      extendedKeyUsages: request.extendedKeyUsages,
      checked: request.checked,
      issuer,
      pointers: this.pointers,
    };
  }

  private issued(requestId: string, cert: IssuedCertificate): IssueResult {
    this.log.log('info', 'builtin-ca: issued', { requestId, serialNumber: cert.serialNumber, notAfter: cert.notAfter.toISOString() });
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
    const issuing = await this.issuingCaOf(cert);
    if (!issuing) {
      throw new CaError(`The certificate with serial ${cert.serialNumber} (issuer ${cert.issuer}) was not issued by this built-in CA, so it cannot revoke it`, false);
    }
    const kept = this.revocationLog.add(cert.serialNumber, reason as RevocationReason, issuing.generation);
    // The next fetch of its issuing CA's CRL lists it; OCSP answers from the log at once.
    issuing.servedCrl = undefined;
    this.log.log('info', 'builtin-ca: revoked', { serialNumber: kept.serialNumber, reason: kept.reason, issuingCa: issuing.generation });
  }

  /** Which of this CA's issuing CAs signed `cert` (by name, then by signature), if any. */
  private async issuingCaOf(cert: x509.X509Certificate): Promise<OpenIssuingCa | undefined> {
    for (const issuing of this.issuingCas) {
      if (cert.issuer === issuing.certificate.subject && (await cert.verify({ publicKey: issuing.certificate.publicKey, signatureOnly: true }))) return issuing;
    }
    return undefined;
  }

  /** Whether this CA has revoked the certificate with this serial (hex, any case). */
  revocation(serialNumber: string): Revocation | undefined {
    return this.revocationLog.find(serialNumber);
  }

  /** A fresh CRL in PEM, signed by the issuing CA that issues now, listing what it revoked; each call has a higher CRL number. */
  async crl(): Promise<string> {
    // x509 labels it "CRL"; OpenSSL and RFC 7468 expect "X509 CRL".
    return pemOf(await this.makeCrl(this.current), 'X509 CRL');
  }

  /**
   * The CRL relying parties fetch from issuing CA `generation`'s CDP URL (DER): made again after
   * each revocation and once half its validity has passed, so a client never holds one past its
   * nextUpdate for long. Undefined for a generation this CA does not have.
   */
  async crlDer(generation = this.current.generation): Promise<Uint8Array | undefined> {
    const issuing = this.issuingCas.find((i) => i.generation === generation);
    if (!issuing) return undefined;
    const now = Date.now();
    if (!issuing.servedCrl || now - issuing.servedCrl.madeAt > this.crlValidityMs * CRL_REFRESH_FRACTION) {
      issuing.servedCrl = { der: await this.makeCrl(issuing), madeAt: now };
    }
    return issuing.servedCrl.der;
  }

  /** Issuing CA `generation`'s CRL as relying parties fetch it (crlDer), in PEM, for downloads. */
  async crlPem(generation: number): Promise<string | undefined> {
    const der = await this.crlDer(generation);
    return der && pemOf(der, 'X509 CRL');
  }

  /** The root's CRL (DER), which says the intermediate is not revoked; undefined when the root could not sign one. */
  rootCrlDer(): Uint8Array | undefined {
    return this.rootCrl;
  }

  /** The root's CRL in PEM, for downloads. */
  rootCrlPem(): string | undefined {
    return this.rootCrl && pemOf(this.rootCrl, 'X509 CRL');
  }

  /** The root as DER, or issuing CA `generation`'s certificate (the AIA caIssuers URL; undefined for one this CA does not have). */
  caCertificateDer(which: 'intermediate' | 'root', generation = this.current.generation): Uint8Array | undefined {
    const certificate = which === 'root' ? this.root : this.issuingCas.find((i) => i.generation === generation)?.certificate;
    return certificate && new Uint8Array(certificate.rawData);
  }

  /** The generation of the issuing CA that issues now (1: the one the CA was made with). */
  get issuingGeneration(): number {
    return this.current.generation;
  }

  /** The issuing CAs, oldest first, as Services shows them: which one issues, and whether it is constrained. */
  issuingCaSummaries(): IssuingCaSummary[] {
    return this.issuingCas.map((i) => ({
      generation: i.generation,
      subject: i.certificate.subject,
      notAfter: i.certificate.notAfter.toISOString(),
      issues: i === this.current,
      nameConstraints: i.certificate.extensions.some((e) => e.type === EXTENSION_OID.nameConstraints),
    }));
  }

  /**
   * An OCSP answer (RFC 6960) for a request: good, revoked with time and reason, or unknown for a
   * certificate this CA did not issue. Signed by a delegated responder; a request that cannot be
   * read gets malformedRequest.
   */
  ocspResponse(requestDer: Uint8Array, now = new Date()): Uint8Array {
    let request;
    try {
      request = readOcspRequest(requestDer);
    } catch (error) {
      this.log.log('warn', 'builtin-ca: OCSP request refused', { message: (error as Error).message });
      return ocspErrorResponse(1);
    }
    // A delegated responder answers only for the issuing CA that certified it (RFC 6960 4.2.2.2):
    // the first of ours that a certificate asked about names answers, and any certificate of
    // another issuer in the same request is "unknown" (clients ask about one chain at a time).
    const matches = (issuing: OpenIssuingCa, certId: (typeof request.certIds)[number]) =>
      Buffer.from(createHash(certId.hash).update(new Uint8Array(issuing.issuer.name)).digest()).equals(Buffer.from(certId.issuerNameHash)) &&
      publicKeyHash(new Uint8Array(issuing.certificate.publicKey.rawData), certId.hash).equals(Buffer.from(certId.issuerKeyHash));
    const answering = this.issuingCas.find((issuing) => request.certIds.some((certId) => matches(issuing, certId))) ?? this.current;
    const signer = this.ocspSigner(answering, now);
    const answers = request.certIds.map((certId) => {
      const ours = matches(answering, certId);
      const revoked = ours ? this.revocationLog.find(certId.serialNumber, answering.generation) : undefined;
      const status: OcspCertStatus = !ours
        ? { kind: 'unknown' }
        : revoked
          ? { kind: 'revoked', at: new Date(revoked.revocationDate), reasonCode: REVOCATION_REASONS[revoked.reason] }
          : this.issuedSerial(certId.serialNumber)
            ? { kind: 'good' }
            : { kind: 'unknown' };
      return { certId, status, thisUpdate: now, nextUpdate: new Date(now.getTime() + OCSP_ANSWER_VALIDITY_MS) };
    });
    return writeOcspResponse({ answers, signer, producedAt: now, nonce: request.nonce });
  }

  /** `issuing`'s responder key and certificate, made anew a day before the certificate ends. */
  private ocspSigner(issuing: OpenIssuingCa, now: Date): OcspSigner {
    if (!issuing.responder || issuing.responder.notAfter - now.getTime() < 86_400_000) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
      const notAfter = now.getTime() + RESPONDER_VALIDITY_MS;
      const certificateDer = issueOcspResponderCertificate({ issuer: issuing.issuer, spki, commonName: 'Keypair Satellite OCSP responder', notAfter: new Date(notAfter), now });
      issuing.responder = { certificateDer, key: privateKey, keyHash: publicKeyHash(spki), notAfter };
    }
    return issuing.responder;
  }

  private async makeCrl(issuing: OpenIssuingCa): Promise<Uint8Array> {
    const now = new Date();
    const number = this.revocationLog.nextCrlNumber();
    const crl = await x509.X509CrlGenerator.create({
      issuer: issuing.certificate.subjectName,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + this.crlValidityMs),
      signingKey: issuing.key,
      signingAlgorithm: CA_SIGNING_ALGORITHM,
      entries: this.revocationLog.list(issuing.generation).map((r) => ({
        serialNumber: r.serialNumber,
        revocationDate: new Date(r.revocationDate),
        reason: REVOCATION_REASONS[r.reason],
      })),
      extensions: [
        new x509.AuthorityKeyIdentifierExtension(issuing.certificate.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId),
        crlNumberExtension(number),
      ],
    });
    return new Uint8Array(crl.rawData);
  }

  /** The chain above a certificate issued now: the issuing CA first, root last. */
  chainPems(): string[] {
    this.chain ??= [toPem(this.current.certificate.rawData, 'CERTIFICATE'), toPem(this.root.rawData, 'CERTIFICATE')];
    return [...this.chain];
  }

  private chain: string[] | undefined;

  /** The root to trust (what users install to trust certificates from this CA). */
  rootPem(): string {
    return toPem(this.root.rawData, 'CERTIFICATE');
  }

  async health(): Promise<ConnectorHealth> {
    const { certificate } = this.current;
    const until = certificate.notAfter;
    if (until.getTime() <= Date.now()) {
      return { healthy: false, message: `The built-in CA's issuing certificate expired on ${until.toISOString()}` };
    }
    return { healthy: true, message: `Built-in CA ready: ${certificate.subject}, valid until ${until.toISOString().slice(0, 10)}` };
  }
}

/** Unseals issuing CA `files.generation`'s key and checks it is its certificate's. */
async function openIssuingCa(dir: string, files: IssuingCaFiles, sealer: Sealer): Promise<OpenIssuingCa> {
  const keyId = issuingKeyId(files.generation);
  let pkcs8: Buffer;
  try {
    pkcs8 = sealer.open(keyId, files.sealedKey);
  } catch (e) {
    const sealedUnder = sealedDekHash(files.sealedKey);
    const why =
      sealedUnder !== sealer.dekHash
        ? `it is sealed under DEK ${sealedUnder} but the current DEK is ${sealer.dekHash}; restore that DEK from its backup`
        : `the sealed key was altered or belongs to another CA (${(e as Error).message})`;
    throw new Error(`The built-in CA's issuing key (secret "${keyId}") cannot be opened: ${why}.`, { cause: e });
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
  const certificate = new x509.X509Certificate(files.pem);
  if (!(await caKeyMatchesCertificate(key, certificate))) {
    throw new Error(`The built-in CA's issuing key (secret "${keyId}") does not belong to ${join(dir, issuingCaFile(files.generation))}; move ${dir} away so a new CA is made at the next start.`);
  }
  return { generation: files.generation, certificate, key, issuer: issuerOf(files.pem, signingKey) };
}

function sealedDekHash(blob: Buffer): string {
  try {
    return readBlobDekHash(blob);
  } catch {
    return '(unreadable)';
  }
}

/** Opens the built-in CA in `dir`, creating its root and intermediate on first run. */
export function openBuiltinCa(options: BuiltinCaOptions): Promise<BuiltinCa> {
  return BuiltinCa.open(options);
}
