import type {
  CertificateRequestBodyParsed,
  CertificateRequestRecord,
  ErrorInformation,
  KeyGeneration,
} from '../../../shared/certificate-request';
import type { CertificateRecord } from '../../../shared/certificate';
import type { CsrAttributes } from '../../../shared/csr-attributes';
import { durationSeconds } from '../../../shared/durations';
import { ERROR_CODES } from '../../../shared/error-codes';
import type { RequestStatus } from '../../../shared/statuses';
import type { IssuingTemplate } from '../../../shared/settings';
import { CaError, type CaConnector, type CheckedNames, type IssueRequest, type IssueResult } from '../ca/connector';
import { SatelliteError } from '../common/errors';
import type { Logger } from '../common/log';
import { newRecordId } from '../common/record-id';
import type { Sealer } from '../vault/sealer';
import { changedRequest, type RequestPatch } from '../store';
import { applyRecommendedSettings, checkNameConstraints, checkPolicy, effectiveValidity, policyErrorInformation } from './policy';
import type { NameConstraints } from '../../../shared/name-constraints';
import { AUTO_RETRY_DELAYS_MS, AutoRetryTimers } from './auto-retry';
import { csrToAttributes, makeKeyAndCertificate, makeKeyAndCsr, parseUploadedCsr } from './key-and-csr';
import { checkIssued, storeIssuedCertificate, writeIssued, type CheckedIssue, type IssuedStore } from './store-issued';
import type { SettingsLookup } from './settings-lookup';

/** Where the pipeline gets the sealer: it throws a SatelliteError naming the reason when the DEK is unavailable. */
export interface KeyAccess {
  sealer(): Sealer;
  /** Runs work that makes and seals a key so that no DEK rotation runs beside it (DekService.withDek). */
  withDek<T>(work: () => Promise<T>): Promise<T>;
}

export interface RequestServiceDeps {
  store: IssuedStore;
  settings: SettingsLookup;
  keys: KeyAccess;
  connectorFor(template: IssuingTemplate): CaConnector;
  /** The name constraints of the CA a template names, if it has any (the built-in CA's). */
  nameConstraintsFor?(template: IssuingTemplate): Promise<NameConstraints | undefined>;
  identity: { companyId: string; userId: string };
  log: Logger;
  /** The waits before each automatic retry of a retryable CA failure; AUTO_RETRY_DELAYS_MS unless a test says. */
  autoRetryDelaysMs?: readonly number[];
}

export { AUTO_RETRY_DELAYS_MS };

const NO_NAMES: CheckedNames = { subject: { organizationalUnits: [] }, subjectAlternativeNamesByType: { dnsNames: [], ipAddresses: [], rfc822Names: [], uniformResourceIdentifiers: [] } };

/** The names the policy checked for a request (none for a record without csrAttributes: the built-in CA then signs nothing with a name). */
function checkedNamesOf(attrs: CsrAttributes | undefined): CheckedNames {
  if (!attrs) return NO_NAMES;
  const { commonName, organization, organizationalUnits, locality, state, country, subjectAlternativeNamesByType } = attrs;
  return { subject: { commonName, organization, organizationalUnits, locality, state, country }, subjectAlternativeNamesByType };
}

const IN_FLIGHT_STATUSES: RequestStatus[] = ['NEW', 'REQUESTED', 'PENDING'];

/**
 * The request pipeline, one service for every front end: policy check before any key is made,
 * key + CSR made and sealed, CSR to the template's CA, certificate stored. Every step is persisted
 * before the next starts, so a restart resumes whatever was interrupted (see resumeInterrupted).
 */
export class RequestService {
  private readonly running = new Map<string, Promise<CertificateRequestRecord>>();
  private readonly renewalsInFlight = new Map<string, Promise<CertificateRequestRecord>>();
  private readonly finishedListeners = new Set<(request: CertificateRequestRecord) => void>();
  private readonly autoRetries: AutoRetryTimers;

  constructor(private readonly deps: RequestServiceDeps) {
    this.autoRetries = new AutoRetryTimers(deps.autoRetryDelaysMs);
  }

  /** Called when a request reaches ISSUED, FAILED or REJECTED. */
  onFinished(listener: (request: CertificateRequestRecord) => void): () => void {
    this.finishedListeners.add(listener);
    return () => this.finishedListeners.delete(listener);
  }

  private emitFinished(request: CertificateRequestRecord): void {
    for (const listener of this.finishedListeners) listener(request);
  }

  /** Validates against the template, persists the request (acknowledged = durable), then runs it. */
  /** A renewal: a new request for the same attributes with a new key (or the same CSR), linked to its predecessor. */
  renew(certificateId: string): Promise<CertificateRequestRecord> {
    const { certificate, request: previous } = this.madeBy(certificateId);
    if (!certificate) throw new SatelliteError(ERROR_CODES.NOT_FOUND, `no certificate with id "${certificateId}"`, 404, { field: 'id', value: certificateId });
    if (!previous) {
      throw new SatelliteError(ERROR_CODES.VALIDATION, `certificate ${certificateId} was not requested through this satellite; request a new certificate instead`, 400, {
        field: 'id',
        value: certificateId,
      });
    }
    return this.submit({
      applicationId: previous.applicationId,
      certificateIssuingTemplateId: previous.certificateIssuingTemplateId,
      applicationServerTypeId: previous.applicationServerTypeId,
      validityPeriod: previous.validityPeriod,
      existingCertificateId: certificateId,
      reuseCSR: previous.keyGeneration === 'CSR_UPLOAD',
      tags: previous.tags,
    });
  }

  /**
   * A renewal of a certificate that is already being renewed joins that renewal: fifty clicks
   * or fifty scripts make one successor and one new key, not fifty.
   */
  submit(body: CertificateRequestBodyParsed): Promise<CertificateRequestRecord> {
    const renewing = body.existingCertificateId !== undefined && body.csrAttributes === undefined && body.certificateSigningRequest === undefined ? body.existingCertificateId : undefined;
    if (renewing === undefined) return this.submitNew(body);
    const inFlight = this.renewalsInFlight.get(renewing);
    if (inFlight) return inFlight;
    const renewal = this.submitNew(body).finally(() => this.renewalsInFlight.delete(renewing));
    this.renewalsInFlight.set(renewing, renewal);
    return renewal;
  }

  private async submitNew(body: CertificateRequestBodyParsed): Promise<CertificateRequestRecord> {
    const { settings, store } = this.deps;
    const application = settings.getApplication(body.applicationId);
    if (!application) {
      throw new SatelliteError(
        ERROR_CODES.APPLICATION_NOT_FOUND,
        `applicationId "${body.applicationId}" names no application; list them with GET /outagedetection/v1/applications`,
        404,
        { field: 'applicationId', value: body.applicationId },
      );
    }
    const template = settings.getTemplate(body.certificateIssuingTemplateId);
    if (!template) {
      throw new SatelliteError(
        ERROR_CODES.NOT_FOUND,
        `certificateIssuingTemplateId "${body.certificateIssuingTemplateId}" names no issuing template; list them with GET /v1/certificateissuingtemplates`,
        404,
        { field: 'certificateIssuingTemplateId', value: body.certificateIssuingTemplateId },
      );
    }
    if (!Object.values(application.certificateIssuingTemplateAliasIdMap).includes(template.id)) {
      throw new SatelliteError(
        ERROR_CODES.VALIDATION,
        `certificateIssuingTemplateId "${template.id}" (${template.name}) is not assigned to application "${application.name}"; add it to the application's templates or pick one of them`,
        400,
        { field: 'certificateIssuingTemplateId', value: template.id },
      );
    }
    // The satellite is its own company with one user, who owns every certificate.
    if (body.certificateOwnerUserId !== undefined && body.certificateOwnerUserId !== this.deps.identity.userId) {
      throw new SatelliteError(ERROR_CODES.VALIDATION, `certificateOwnerUserId "${body.certificateOwnerUserId}" is not this satellite's user; its one user is ${this.deps.identity.userId} (GET /v1/useraccounts)`, 400, {
        field: 'certificateOwnerUserId',
        value: body.certificateOwnerUserId,
      });
    }
    if (body.applicationServerTypeId && !settings.getServerType(body.applicationServerTypeId)) {
      throw new SatelliteError(ERROR_CODES.NOT_FOUND, `applicationServerTypeId "${body.applicationServerTypeId}" names no application server type`, 404, {
        field: 'applicationServerTypeId',
        value: body.applicationServerTypeId,
      });
    }

    const origin = await this.originOf(body);
    const validityPeriod = effectiveValidity(template, body.validityPeriod);
    let attrs = origin.attributes;
    let rejection: ErrorInformation | undefined;
    if (origin.keyGeneration === 'SATELLITE') {
      attrs = applyRecommendedSettings(template, attrs);
      if (!template.keyGeneratedByVenafiAllowed) rejection = modeRejected(template, 'key generation by the satellite (isVaaSGenerated)');
    } else if (!template.csrUploadAllowed) {
      rejection = modeRejected(template, 'CSR upload (certificateSigningRequest)');
    }
    const constraints = rejection ? undefined : await this.deps.nameConstraintsFor?.(template);
    const violations = rejection ? [] : [...checkPolicy(template, attrs, validityPeriod), ...(constraints ? checkNameConstraints(attrs, constraints) : [])];
    if (violations.length > 0) rejection = policyErrorInformation(violations);

    const now = new Date().toISOString();
    const status: RequestStatus = rejection ? 'REJECTED' : origin.keyGeneration === 'SATELLITE' ? 'NEW' : 'REQUESTED';
    const record: CertificateRequestRecord = {
      id: newRecordId(),
      applicationId: application.id,
      certificateIssuingTemplateId: template.id,
      applicationServerTypeId: body.applicationServerTypeId,
      validityPeriod,
      keyGeneration: origin.keyGeneration,
      csrAttributes: attrs,
      status,
      errorInformation: rejection,
      certificateSigningRequest: origin.csrPem,
      certificateIds: [],
      subjectDN: origin.subjectDN,
      ...keyFields(attrs),
      existingCertificateId: body.existingCertificateId,
      tags: body.tags ?? [],
      certificateUsageMetadata: body.certificateUsageMetadata,
      certificateOwnerUserId: body.certificateOwnerUserId,
      creationDate: now,
      modificationDate: now,
      statusHistory: [{ status, at: now, message: rejection?.message }],
    };
    // The disk filled a moment ago: new work would use the room kept for the outcomes of work
    // under way. Refused with nothing stored; accepted again by itself once space is back.
    if (store.diskFull) throw store.diskFullError();
    if (status === 'NEW') {
      // Nothing was acknowledged yet (the caller hears back once the request is ISSUED or FAILED):
      // the row must survive a crash of this process, so a restart resumes it, but need not wait
      // for the disk; the durable commit of its key and CSR, next, syncs it too. In the group
      // commit of this turn, with other requests' rows: at concurrency 8 about half the commits
      // and a tenth fewer pages written than a commit of its own.
      await store.groupTransaction(() => store.insertRequest(record), { durable: false });
    } else {
      store.insertRequest(record);
    }
    this.deps.log.log('info', 'certificate request received', { requestId: record.id, status, template: template.name });
    if (rejection) {
      this.emitFinished(record);
      return record;
    }
    return this.run(record.id, record);
  }

  /** Runs (or joins the run of) one request until it is ISSUED, FAILED or PENDING; `known`: the record as just written. */
  run(id: string, known?: CertificateRequestRecord): Promise<CertificateRequestRecord> {
    const existing = this.running.get(id);
    if (existing) return existing;
    const promise = this.advance(id, known).finally(() => this.running.delete(id));
    this.running.set(id, promise);
    return promise;
  }

  /** A FAILED request goes again: the sealed key is kept, so only the CA step repeats when a CSR exists. */
  async retry(id: string): Promise<CertificateRequestRecord> {
    const record = this.mustGet(id);
    if (record.status !== 'FAILED') {
      throw new SatelliteError(ERROR_CODES.CONFLICT, `request ${id} is ${record.status}; only FAILED requests can be retried`, 409, { field: 'id', value: id });
    }
    const next: RequestStatus = record.certificateSigningRequest ? 'REQUESTED' : 'NEW';
    this.transition(id, next, {}, 'retry requested');
    return this.run(id);
  }

  /** After a start: the automatic retries the FAILED requests were waiting for, at their times. */
  scheduleAutoRetries(): number {
    const waiting = this.deps.store.listRequestsByStatus(['FAILED']).filter((r) => typeof r.nextAutoRetryAt === 'string');
    for (const record of waiting) this.scheduleAutoRetry(record.id, new Date(record.nextAutoRetryAt!));
    return waiting.length;
  }

  /** No automatic retry fires after this (the satellite is closing). */
  stopAutoRetries(): void {
    this.autoRetries.stop();
  }

  private scheduleAutoRetry(id: string, at: Date): void {
    this.autoRetries.schedule(id, at, () => {
      // Retried by hand meanwhile, or deleted: nothing to do.
      if (this.deps.store.getRequest(id)?.status !== 'FAILED') return;
      this.deps.log.log('info', 'automatic retry of a failed request', { requestId: id });
      this.retry(id).catch((error: unknown) => this.deps.log.log('warn', 'automatic retry refused', { requestId: id, message: (error as Error).message }));
    });
  }

  /** After a crash or restart: every request that was in flight is resumed, or FAILED with the reason. */
  async resumeInterrupted(): Promise<CertificateRequestRecord[]> {
    const pending = this.deps.store.listRequestsByStatus(IN_FLIGHT_STATUSES);
    const results: CertificateRequestRecord[] = [];
    for (const record of pending) results.push(await this.run(record.id));
    return results;
  }

  /**
   * Each step returns the record as its own commit left it, so the next starts from that (the
   * in-flight record stays in memory between steps); `known` is the record just inserted.
   */
  private async advance(id: string, known?: CertificateRequestRecord): Promise<CertificateRequestRecord> {
    let after = known;
    for (let step = 0; step < 4; step++) {
      const record = after ?? this.mustGet(id);
      try {
        if (record.status === 'NEW') after = await this.makeKey(record);
        else if (record.status === 'REQUESTED') after = await this.askCa(record);
        else if (record.status === 'PENDING' && record.caPollToken) after = await this.pollCa(record);
        else return record;
      } catch (error) {
        return this.fail(record, error);
      }
      if (after.status === 'PENDING' || !IN_FLIGHT_STATUSES.includes(after.status)) {
        if (after.status !== 'PENDING') this.emitFinished(after);
        return after;
      }
    }
    return this.mustGet(id);
  }

  /** A request that arrives during a DEK rotation waits for it, then makes its key under the new DEK. */
  private makeKey(record: CertificateRequestRecord): Promise<CertificateRequestRecord> {
    return this.deps.keys.withDek(() => this.makeAndSealKey(record));
  }

  private async makeAndSealKey(record: CertificateRequestRecord): Promise<CertificateRequestRecord> {
    const attrs = record.csrAttributes;
    if (!attrs) throw new Error(`request ${record.id} has no csrAttributes to make a key from`);
    this.deps.keys.sealer(); // fail early, before seconds of key generation, when the DEK is unavailable
    const connector = this.deps.connectorFor(this.templateOf(record));
    // The built-in CA makes the key, the CSR and the certificate in one hand-off to a worker.
    const local = connector.issuesLocally && connector.issueWithNewKey ? await makeKeyAndCertificate(connector.issueWithNewKey.bind(connector), attrs, this.issueRequestFor(record)) : undefined;
    const made = local?.made ?? (await makeKeyAndCsr(attrs));
    try {
      // The sealed key and the CSR land together: no key without its request, no CSR without its
      // key. Sealed inside the (group) commit, with the sealer taken there and used synchronously:
      // a DEK rotation that started meanwhile either refuses here or gets this blob in its pass;
      // it never misses it.
      // `written: false` when the next change to the request lands in the same transaction: the
      // REQUESTED step is kept in its history, and the row is written once, by that change.
      const sealKeyAndCsr = ({ written = true } = {}): CertificateRequestRecord => {
        const sealer = this.deps.keys.sealer();
        this.deps.store.putKeyBlob(record.id, sealer.dekHash, sealer.seal(record.id, made.pkcs8));
        const patch = { certificateSigningRequest: made.csrPem, subjectDN: made.subjectDN, dekHash: sealer.dekHash };
        const change = { status: 'REQUESTED', message: 'key pair and CSR made' } as const;
        return written ? this.transition(record.id, change.status, patch, change.message) : changedRequest(this.mustGet(record.id), patch, change);
      };
      if (!connector.issuesLocally) {
        // A CA elsewhere may sign a CSR whose key a power cut would lose: on disk before the CSR leaves.
        return await this.deps.store.groupTransaction(sealKeyAndCsr, { durable: true });
      }
      // The built-in CA tells no one outside this process about the CSR, so the key, the CSR and
      // the certificate land in one durable commit: one write of the request instead of two, and
      // a kill before it leaves the request NEW, to be made again with a new key.
      let outcome: { pollToken: string } | CheckedIssue;
      try {
        if (local?.refused) throw local.refused;
        const result = local?.result ?? (await connector.issue({ ...this.issueRequestFor(record), csrPem: made.csrPem }));
        outcome = result.status === 'PENDING' ? result : checkIssued(made.csrPem, result);
      } catch (error) {
        // Kept as REQUESTED, so a retry asks the CA again with the same key.
        await this.deps.store.groupTransaction(sealKeyAndCsr);
        throw error;
      }
      const written = await this.deps.store.groupTransaction(() => {
        const requested = sealKeyAndCsr({ written: false });
        if ('pollToken' in outcome) return this.transition(record.id, 'PENDING', { caPollToken: outcome.pollToken }, 'the CA has not signed yet', requested);
        return this.writeIssued(requested, outcome);
      });
      if (!('pollToken' in outcome)) this.deps.log.log('info', 'certificate issued', { requestId: record.id });
      return written;
    } finally {
      made.pkcs8.fill(0);
    }
  }

  /** What the CA is asked for `record`, besides its CSR. */
  private issueRequestFor(record: CertificateRequestRecord): Omit<IssueRequest, 'csrPem'> {
    const template = this.templateOf(record);
    return {
      requestId: record.id,
      validitySeconds: durationSeconds(record.validityPeriod),
      extendedKeyUsages: template.extendedKeyUsageValues,
      template,
      checked: checkedNamesOf(record.csrAttributes),
      replacesCertificatePem: record.existingCertificateId ? this.deps.store.getCertificatePem(record.existingCertificateId) : undefined,
    };
  }

  private async askCa(record: CertificateRequestRecord): Promise<CertificateRequestRecord> {
    const connector = this.deps.connectorFor(this.templateOf(record));
    const result = await connector.issue({ ...this.issueRequestFor(record), csrPem: record.certificateSigningRequest! });
    return this.accept(record, result);
  }

  private async pollCa(record: CertificateRequestRecord): Promise<CertificateRequestRecord> {
    const connector = this.deps.connectorFor(this.templateOf(record));
    if (!connector.poll) throw new CaError(`the ${connector.type} connector cannot resume a pending request`, false);
    return this.accept(record, await connector.poll(record.caPollToken!));
  }

  private async accept(record: CertificateRequestRecord, result: IssueResult): Promise<CertificateRequestRecord> {
    if (result.status === 'PENDING') return this.transition(record.id, 'PENDING', { caPollToken: result.pollToken }, 'the CA has not signed yet');
    let issued: CertificateRequestRecord | undefined;
    await storeIssuedCertificate(this.deps.store, record, result, this.deps.identity.companyId, (change) => {
      issued = this.transition(record.id, 'ISSUED', change, 'certificate issued');
    });
    this.deps.log.log('info', 'certificate issued', { requestId: record.id });
    return issued!;
  }

  /**
   * Inside the transaction that just wrote `requested` (so it is not read again): the certificate
   * and its chain stored, and the request marked ISSUED.
   */
  private writeIssued(requested: CertificateRequestRecord, checked: CheckedIssue): CertificateRequestRecord {
    let issued: CertificateRequestRecord | undefined;
    writeIssued(this.deps.store, requested, checked, this.deps.identity.companyId, (change) => {
      issued = this.transition(requested.id, 'ISSUED', change, 'certificate issued', requested);
    });
    return issued!;
  }

  private fail(record: CertificateRequestRecord, error: unknown): CertificateRequestRecord {
    const info = errorInformationOf(error);
    let nextAutoRetryAt: Date | undefined;
    if (error instanceof CaError && error.retryable) {
      const delay = this.autoRetries.delayAfter(record.statusHistory.filter((s) => s.status === 'FAILED').length);
      if (delay === undefined) info.message += `; the satellite stopped retrying after ${this.autoRetries.attempts} attempts: retry it from Requests once the CA is back`;
      else nextAutoRetryAt = new Date(Date.now() + delay);
    }
    this.deps.log.log('warn', 'certificate request failed', { requestId: record.id, code: info.code, message: info.message, nextAutoRetryAt: nextAutoRetryAt?.toISOString() });
    this.transition(record.id, 'FAILED', { errorInformation: info, nextAutoRetryAt: nextAutoRetryAt?.toISOString() ?? null }, info.message);
    if (nextAutoRetryAt) this.scheduleAutoRetry(record.id, nextAutoRetryAt);
    const failed = this.mustGet(record.id);
    this.emitFinished(failed);
    return failed;
  }

  /** Moves a request to `status`, appending to its history; durable when this returns. */
  transition(id: string, status: RequestStatus, patch: RequestPatch, message?: string, current?: CertificateRequestRecord): CertificateRequestRecord {
    return this.deps.store.updateRequest(id, patch, { status, message }, current);
  }

  private async originOf(body: CertificateRequestBodyParsed): Promise<{
    keyGeneration: KeyGeneration;
    attributes: CsrAttributes;
    csrPem?: string;
    subjectDN?: string;
  }> {
    if (body.certificateSigningRequest !== undefined) {
      const parsed = await parseUploadedCsr(body.certificateSigningRequest);
      return { keyGeneration: 'CSR_UPLOAD', attributes: csrToAttributes(parsed), csrPem: body.certificateSigningRequest, subjectDN: parsed.subjectDN };
    }
    if (body.csrAttributes) return { keyGeneration: 'SATELLITE', attributes: body.csrAttributes };
    // A renewal without attributes: the same attributes as the certificate it replaces, with a new key.
    const previous = this.previousRequestOf(body.existingCertificateId!);
    if (previous.keyGeneration === 'SATELLITE' && previous.csrAttributes) return { keyGeneration: 'SATELLITE', attributes: previous.csrAttributes };
    if (previous.certificateSigningRequest && body.reuseCSR) {
      const parsed = await parseUploadedCsr(previous.certificateSigningRequest);
      return { keyGeneration: 'CSR_UPLOAD', attributes: csrToAttributes(parsed), csrPem: previous.certificateSigningRequest, subjectDN: parsed.subjectDN };
    }
    throw new SatelliteError(
      ERROR_CODES.VALIDATION,
      `certificate ${body.existingCertificateId} was not made from a satellite-generated key; renew it with a new certificateSigningRequest, or set reuseCSR: true`,
      400,
      { field: 'existingCertificateId', value: body.existingCertificateId },
    );
  }

  /** The certificate and the request of this satellite it was issued for, each if it exists. */
  private madeBy(certificateId: string): { certificate?: CertificateRecord; request?: CertificateRequestRecord } {
    const certificate = this.deps.store.getCertificate(certificateId);
    return { certificate, request: certificate?.certificateRequestId ? this.deps.store.getRequest(certificate.certificateRequestId) : undefined };
  }

  private previousRequestOf(certificateId: string): CertificateRequestRecord {
    const { certificate, request } = this.madeBy(certificateId);
    if (!certificate || !request) {
      throw new SatelliteError(ERROR_CODES.NOT_FOUND, `existingCertificateId "${certificateId}" names no certificate made by this satellite`, 404, {
        field: 'existingCertificateId',
        value: certificateId,
      });
    }
    return request;
  }

  private templateOf(record: CertificateRequestRecord): IssuingTemplate {
    const template = this.deps.settings.getTemplate(record.certificateIssuingTemplateId);
    if (!template) throw new CaError(`issuing template ${record.certificateIssuingTemplateId} no longer exists; retry under another template`, false);
    return template;
  }

  private mustGet(id: string): CertificateRequestRecord {
    const record = this.deps.store.getRequest(id);
    if (!record) throw new SatelliteError(ERROR_CODES.NOT_FOUND, `no certificate request with id "${id}"`, 404, { field: 'id', value: id });
    return record;
  }
}

function keyFields(attrs: CsrAttributes): Pick<CertificateRequestRecord, 'keyType' | 'keyLength' | 'keyCurve'> {
  const k = attrs.keyTypeParameters;
  return k.keyType === 'RSA' ? { keyType: 'RSA', keyLength: k.keyLength } : { keyType: 'EC', keyCurve: k.keyCurve };
}

function modeRejected(template: IssuingTemplate, mode: string): ErrorInformation {
  return {
    type: 'POLICY',
    code: ERROR_CODES.POLICY_VIOLATION,
    message: `template "${template.name}" does not allow ${mode}; pick a template that does, or change the template in Settings`,
    args: { field: 'certificateIssuingTemplateId', value: template.id },
  };
}

function errorInformationOf(error: unknown): ErrorInformation {
  if (error instanceof CaError) return { type: 'CA', code: ERROR_CODES.CA_FAILURE, message: `the CA did not issue: ${error.message}`, args: { retryable: error.retryable } };
  if (error instanceof SatelliteError) return { type: 'INTERNAL', code: error.code, message: error.message, args: error.args };
  return { type: 'INTERNAL', code: ERROR_CODES.INTERNAL, message: (error as Error)?.message ?? String(error) };
}
