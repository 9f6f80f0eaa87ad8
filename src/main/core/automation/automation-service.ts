import type { Automation, AutomationDetail, AutomationEvent, AutomationSave, Installation } from '../../../shared/automation';
import type { CertificateRecord } from '../../../shared/certificate';
import { ERROR_CODES } from '../../../shared/error-codes';
import type { CertificateService } from '../certificates/certificate-service';
import { runCommand } from '../commands/run-command';
import { SatelliteError } from '../common/errors';
import type { Logger } from '../common/log';
import { newRecordId } from '../common/record-id';
import { describeInstallation, installTarget, type InstalledTarget } from '../installs/install-target';
import type { RequestService } from '../requests/request-service';
import type { InventoryStore } from '../store';
import type { SecretVault } from '../vault/secret-vault';
import { actionEnvironment } from './action-environment';
import { checkAutomationSave } from './automation-checks';
import { openInstallationPasswords, removeUnusedSecrets, sameInstallations, sealInstallationPasswords } from './installation-secrets';
import { renewalTime } from './renewal-time';


export interface AutomationServiceDeps {
  store: InventoryStore;
  requests: RequestService;
  certificates: CertificateService;
  /** Where installation passwords are sealed (refuses while the DEK is unavailable). */
  secrets(): SecretVault;
  /** Whether keys can be opened now (the DEK is held). */
  dekActive(): boolean;
  log: Logger;
  /** How often the scheduler looks (default a minute); tests shorten it. */
  tickMs?: number;
  /** Waits before the next attempt after 1, 2, 3... failures in a row; the last repeats. */
  retryDelaysMs?: readonly number[];
}

const DEFAULT_TICK_MS = 60_000;
const DEFAULT_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 6 * 60 * 60_000];
/** The CA's Renewal Information is asked again after this long (the connector caches it too). */
const RECHECK_WINDOW_MS = 6 * 60 * 60_000;

const notFound = (id: string) => new SatelliteError(ERROR_CODES.NOT_FOUND, `no automation with id "${id}"`, 404, { field: 'id', value: id });

/** A step failed: what the history and the result say. */
class StepFailure extends Error {}

/**
 * Certificates that renew and install themselves: each automation names a certificate and where
 * it goes (installations, in VCert's playbook vocabulary). A scheduler in the satellite renews it
 * inside its window, writes the new files as one set, runs the after-install and validation
 * actions, puts the old files back when validation fails, and retries failures with backoff. What
 * was done is recorded before the next step, so a restart picks up where a crash stopped.
 */
export class AutomationService {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** One run at a time per automation: the scheduler and "Install now" never overlap. */
  private readonly running = new Map<string, Promise<Automation>>();
  private readonly windowCheckedAt = new Map<string, number>();
  private readonly resultListeners = new Set<(automation: Automation) => void>();
  private stopped = false;

  constructor(private readonly deps: AutomationServiceDeps) {}

  /** Called after every run that did something, success or failure (desktop notifications, Services). */
  onResult(listener: (automation: Automation) => void): () => void {
    this.resultListeners.add(listener);
    return () => this.resultListeners.delete(listener);
  }

  // ---- the scheduler ------------------------------------------------------------------------

  /** Starts looking every tick; the first look is now, so windows missed while the computer slept are caught up. */
  start(): void {
    if (this.timer || this.stopped) return;
    const tick = () => {
      this.ticking = this.tick()
        .catch((error: unknown) => this.deps.log.log('error', 'automation scheduler tick failed', { message: (error as Error).message }))
        .finally(() => {
          this.ticking = undefined;
          // unref: a satellite being closed is not kept alive by its next look.
          if (!this.stopped) this.timer = setTimeout(tick, this.deps.tickMs ?? DEFAULT_TICK_MS).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    await Promise.allSettled([...this.running.values()]);
  }

  /** One look at every automation: renew what is due, install what is not in place, retry what failed when its wait is over. */
  async tick(now = new Date()): Promise<void> {
    if (!this.deps.dekActive() || this.deps.store.damaged) return;
    for (const automation of this.deps.store.automations.list()) {
      if (this.stopped) return;
      await this.run(automation.id, { now }).catch((error: unknown) =>
        this.deps.log.log('error', 'automation run failed', { automationId: automation.id, message: (error as Error).message }),
      );
    }
  }

  // ---- what the front ends call -------------------------------------------------------------

  list(): Automation[] {
    return this.deps.store.automations.list();
  }

  get(id: string): AutomationDetail {
    const automation = this.deps.store.automations.get(id);
    if (!automation) throw notFound(id);
    return { ...automation, history: this.deps.store.automations.events(id) };
  }

  /** The automation that keeps this certificate installed, if any. */
  forCertificate(certificateId: string): AutomationDetail | undefined {
    const automation = this.deps.store.automations.forCertificate(certificateId);
    return automation ? { ...automation, history: this.deps.store.automations.events(automation.id) } : undefined;
  }

  /**
   * Creates or replaces an automation; its passwords are sealed under the DEK first. Returns once
   * the first install has been tried, with its outcome in lastResult and the history.
   */
  async save(input: AutomationSave): Promise<AutomationDetail> {
    const { store } = this.deps;
    const existing = input.id ? store.automations.get(input.id) : undefined;
    if (input.id && !existing) throw notFound(input.id);
    const certificate = checkAutomationSave(input, { certificates: this.deps.certificates, others: store.automations.list().filter((a) => a.id !== input.id) });
    const id = existing?.id ?? newRecordId();
    // Saved again as it is (a playbook read at every start): nothing to install, no server to reload.
    if (existing && existing.installedCertificateId === certificate.id && (await sameInstallations(this.deps.secrets(), existing.installations, input.installations))) {
      const renewBefore = input.renewBefore;
      const kept = this.update(existing, { name: input.name, renewBefore, setEnvVars: input.setEnvVars, source: input.source ?? existing.source, ...(renewBefore !== existing.renewBefore ? { nextRenewalAt: undefined, nextRenewalReason: undefined } : {}) });
      this.windowCheckedAt.delete(id);
      await this.scheduleRenewal(kept, new Date());
      return this.get(id);
    }
    const installations = await sealInstallationPasswords(this.deps.secrets(), id, input.installations);
    const now = new Date().toISOString();
    const automation: Automation = {
      id,
      name: input.name,
      certificateId: certificate.id,
      ...(input.renewBefore !== undefined ? { renewBefore: input.renewBefore } : {}),
      setEnvVars: input.setEnvVars,
      installations,
      source: input.source ?? existing?.source ?? { kind: 'user' },
      failures: 0,
      creationDate: existing?.creationDate ?? now,
      modificationDate: now,
    };
    store.automations.put(automation);
    if (existing) await removeUnusedSecrets(this.deps.secrets(), existing, installations);
    this.windowCheckedAt.delete(id);
    this.deps.log.log('info', 'automation saved', { automationId: id, name: automation.name, certificateId: certificate.id, installations: installations.length });
    await this.run(id, { force: true });
    return this.get(id);
  }

  async remove(id: string): Promise<{ deleted: true }> {
    const automation = this.deps.store.automations.get(id);
    if (!automation) throw notFound(id);
    await this.running.get(id);
    this.deps.store.automations.delete(id);
    await removeUnusedSecrets(this.deps.secrets(), automation, []);
    this.deps.log.log('info', 'automation removed; installed files left in place', { automationId: id, name: automation.name });
    return { deleted: true };
  }

  /** "Install now" / "Renew now": runs at once, ignoring a backoff wait; renews first when asked. */
  async runNow(id: string, renew: boolean): Promise<AutomationDetail> {
    if (!this.deps.store.automations.get(id)) throw notFound(id);
    await this.run(id, { force: true, renew });
    return this.get(id);
  }

  // ---- one run ------------------------------------------------------------------------------

  private run(id: string, options: { now?: Date; force?: boolean; renew?: boolean }): Promise<Automation> {
    const previous = this.running.get(id) ?? Promise.resolve(undefined);
    const next = previous.then(() => this.runOnce(id, options)).finally(() => {
      if (this.running.get(id) === next) this.running.delete(id);
    });
    this.running.set(id, next);
    return next;
  }

  private async runOnce(id: string, options: { now?: Date; force?: boolean; renew?: boolean }): Promise<Automation> {
    const now = options.now ?? new Date();
    let automation = this.deps.store.automations.get(id);
    if (!automation) throw notFound(id);
    if (!this.deps.dekActive()) return automation;
    automation = this.followRenewals(automation);
    if (automation.pendingRequestId) {
      automation = this.settlePendingRenewal(automation);
      if (automation.pendingRequestId) return automation;
    }
    const waiting = automation.nextAttemptAt !== undefined && Date.parse(automation.nextAttemptAt) > now.getTime() && !options.force;
    if (waiting) return automation;

    if (automation.installedCertificateId !== automation.certificateId && !options.renew) return this.scheduleRenewal(await this.install(automation), now);

    automation = await this.scheduleRenewal(automation, now);
    const due = options.renew || (automation.nextRenewalAt !== undefined && Date.parse(automation.nextRenewalAt) <= now.getTime());
    if (!due) return automation;
    return this.scheduleRenewal(await this.renew(automation), new Date());
  }

  /** A certificate renewed outside the scheduler (the Renew button, the API) is followed to its newest successor. */
  private followRenewals(automation: Automation): Automation {
    let certificate = this.deps.store.getCertificate(automation.certificateId);
    let certificateId = automation.certificateId;
    for (let hops = 0; certificate?.successorCertificateId && hops < 100; hops++) {
      const successor = this.deps.store.getCertificate(certificate.successorCertificateId);
      if (!successor) break;
      certificate = successor;
      certificateId = successor.id;
    }
    return certificateId === automation.certificateId ? automation : this.update(automation, { certificateId, nextRenewalAt: undefined, nextRenewalReason: undefined });
  }

  private settlePendingRenewal(automation: Automation): Automation {
    const request = this.deps.store.getRequest(automation.pendingRequestId!);
    if (!request) return this.update(automation, { pendingRequestId: undefined });
    if (request.status === 'ISSUED' && request.certificateIds[0]) {
      return this.update(automation, { pendingRequestId: undefined, certificateId: request.certificateIds[0], nextRenewalAt: undefined, nextRenewalReason: undefined });
    }
    if (request.status === 'FAILED' || request.status === 'REJECTED') {
      const message = `renewal request ${request.id} ${request.status}: ${request.errorInformation?.message ?? 'see Requests'}`;
      this.record(automation, { step: 'renew', ok: false, message });
      return this.failed(this.update(automation, { pendingRequestId: undefined }), message);
    }
    return automation;
  }

  /** Works out (again, when the certificate changed or the CA's window may have moved) when to renew. */
  private async scheduleRenewal(automation: Automation, now: Date): Promise<Automation> {
    const certificate = this.deps.store.getCertificate(automation.certificateId);
    if (!certificate) return automation;
    // A revoked certificate in place is refused by every client that checks: replaced at once.
    if (certificate.revocationStatus === 'REVOKED') {
      const reason = `revoked (${certificate.revocationReason ?? 'unspecified'}): replaced at once with a new key`;
      return automation.nextRenewalReason === reason ? automation : this.update(automation, { nextRenewalAt: certificate.revocationDate ?? now.toISOString(), nextRenewalReason: reason });
    }
    const checked = this.windowCheckedAt.get(automation.id);
    if (automation.nextRenewalReason !== undefined && checked !== undefined && now.getTime() - checked < RECHECK_WINDOW_MS) return automation;
    const advice = await this.deps.certificates.renewalAdvice(certificate.id);
    const time = renewalTime(certificate, automation.renewBefore, advice);
    this.windowCheckedAt.set(automation.id, now.getTime());
    const at = time.at?.toISOString();
    if (at === automation.nextRenewalAt && time.reason === automation.nextRenewalReason) return automation;
    return this.update(automation, { nextRenewalAt: at, nextRenewalReason: time.reason });
  }

  private async renew(automation: Automation): Promise<Automation> {
    const from = automation.certificateId;
    this.deps.log.log('info', 'automation: renewing', { automationId: automation.id, certificateId: from });
    let request;
    try {
      request = await this.deps.requests.renew(from);
    } catch (error) {
      const message = `renewal of certificate ${from} refused: ${(error as Error).message}`;
      this.record(automation, { step: 'renew', ok: false, message });
      return this.failed(automation, message);
    }
    if (request.status === 'ISSUED' && request.certificateIds[0]) {
      const certificateId = request.certificateIds[0];
      const serial = this.deps.store.getCertificate(certificateId)?.serialNumber;
      this.record({ ...automation, certificateId }, { step: 'renew', ok: true, message: `renewed: certificate ${certificateId}${serial ? ` (serial ${serial})` : ''} replaces ${from}` });
      const renewed = this.update(automation, { certificateId, nextRenewalAt: undefined, nextRenewalReason: undefined });
      this.windowCheckedAt.delete(automation.id);
      return this.install(renewed);
    }
    if (request.status === 'FAILED' || request.status === 'REJECTED') {
      const message = `renewal request ${request.id} ${request.status}: ${request.errorInformation?.message ?? 'see Requests'}`;
      this.record(automation, { step: 'renew', ok: false, message });
      return this.failed(automation, message);
    }
    this.record(automation, { step: 'renew', ok: true, message: `renewal request ${request.id} is ${request.status}: installed once the CA issues it` });
    return this.update(automation, { pendingRequestId: request.id });
  }

  /** Every installation in turn; any failure stops the run, is recorded, and is retried later. */
  private async install(automation: Automation): Promise<Automation> {
    const certificate = this.deps.store.getCertificate(automation.certificateId);
    if (!certificate) return this.failed(automation, `certificate ${automation.certificateId} is no longer in the inventory: set the automation up for another certificate`);
    try {
      for (const [index, installation] of automation.installations.entries()) await this.installOne(automation, certificate, installation, index);
    } catch (error) {
      const message = error instanceof StepFailure ? error.message : `installing certificate ${certificate.id}: ${(error as Error).message}`;
      if (!(error instanceof StepFailure)) this.record(automation, { step: 'install', ok: false, message });
      return this.failed(automation, message);
    }
    const done = this.update(automation, {
      installedCertificateId: certificate.id,
      failures: 0,
      nextAttemptAt: undefined,
      lastResult: { at: new Date().toISOString(), ok: true, message: `certificate ${certificate.serialNumber} installed in ${automation.installations.length} place${automation.installations.length === 1 ? '' : 's'}` },
    });
    this.deps.log.log('info', 'automation: installed', { automationId: automation.id, certificateId: certificate.id });
    this.emit(done);
    return done;
  }

  private async installOne(automation: Automation, certificate: CertificateRecord, installation: Installation, index: number): Promise<void> {
    const where = `${index + 1}: ${describeInstallation(installation)}`;
    const opened = await openInstallationPasswords(this.deps.secrets(), installation);
    let placed: InstalledTarget;
    try {
      placed = await installTarget(this.deps.certificates.openKeyMaterial(certificate.id), opened, certificate.certificateName);
    } catch (error) {
      const message = `installation ${where} failed: ${(error as Error).message}`;
      this.record(automation, { step: 'install', ok: false, installation: where, message });
      throw new StepFailure(message);
    }
    this.record(automation, { step: 'install', ok: true, installation: where, message: `wrote ${placed.paths.join(', ') || describeInstallation(installation)}: ${placed.summary}` });
    const pem = this.deps.certificates.pems(certificate.id).certificatePem;
    const env = actionEnvironment(automation, installation, certificate, pem);
    const timeoutMs = installation.actionTimeoutSeconds * 1000;
    const act = async (step: 'afterInstallAction' | 'installValidationAction', command: string) => {
      const outcome = await runCommand(command, env, timeoutMs);
      const ok = outcome.exitCode === 0;
      const how = outcome.startError ? `could not start (${outcome.startError})` : outcome.timedOut ? `was stopped after ${installation.actionTimeoutSeconds} s` : `exited with ${outcome.exitCode ?? outcome.signal}`;
      this.record(automation, { step, ok, installation: where, command, exitCode: outcome.exitCode, output: outcome.output, message: `${step} ${how}` });
      return { ok, how, output: outcome.output.trim() };
    };
    if (installation.afterInstallAction) {
      const after = await act('afterInstallAction', installation.afterInstallAction);
      if (!after.ok) throw new StepFailure(`installation ${where}: afterInstallAction ${after.how}${after.output ? `: ${after.output}` : ''}`);
    }
    if (installation.installValidationAction) {
      const check = await act('installValidationAction', installation.installValidationAction);
      if (!check.ok) {
        let restored = 'there were no earlier files to put back';
        if (placed.restore) {
          placed.restore();
          restored = 'the previous files are back in place';
          if (installation.afterInstallAction) {
            const again = await act('afterInstallAction', installation.afterInstallAction);
            restored += again.ok ? ' and afterInstallAction ran again' : `, but afterInstallAction ${again.how} when run again`;
          }
        }
        this.record(automation, { step: 'restore', ok: placed.restore !== undefined, installation: where, message: restored });
        throw new StepFailure(`installation ${where}: installValidationAction ${check.how}${check.output ? `: ${check.output}` : ''}; ${restored}`);
      }
    }
  }

  // ---- records ------------------------------------------------------------------------------

  private failed(automation: Automation, message: string): Automation {
    const delays = this.deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const failures = automation.failures + 1;
    const delay = delays[Math.min(failures, delays.length) - 1] ?? DEFAULT_RETRY_DELAYS_MS[0]!;
    const nextAttemptAt = new Date(Date.now() + delay).toISOString();
    const result = this.update(automation, { failures, nextAttemptAt, lastResult: { at: new Date().toISOString(), ok: false, message } });
    this.deps.log.log('warn', 'automation failed', { automationId: automation.id, name: automation.name, message, failures, nextAttemptAt });
    this.emit(result);
    return result;
  }

  private record(automation: Automation, event: Omit<AutomationEvent, 'at' | 'certificateId' | 'serialNumber'>): void {
    const serialNumber = this.deps.store.getCertificate(automation.certificateId)?.serialNumber;
    this.deps.store.automations.addEvent(automation.id, { at: new Date().toISOString(), certificateId: automation.certificateId, ...(serialNumber ? { serialNumber } : {}), ...event });
  }

  private update(automation: Automation, patch: Partial<Automation>): Automation {
    return this.deps.store.automations.update(automation.id, patch);
  }

  private emit(automation: Automation): void {
    for (const listener of this.resultListeners) listener(automation);
  }
}
