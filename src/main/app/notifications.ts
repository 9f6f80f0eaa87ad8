import { Notification } from 'electron';
import type { Automation } from '../../shared/automation';
import type { CertificateRequestRecord } from '../../shared/certificate-request';
import type { Logger } from '../core/common/log';
import type { SatelliteService } from '../core/service';

export interface RequestNotice {
  title: string;
  body: string;
}

/** What the user is told when a request finishes; null for outcomes the UI reports in place. */
export function requestNotice(request: CertificateRequestRecord): RequestNotice | null {
  const subject = request.subjectDN ?? `request ${request.id}`;
  if (request.status === 'ISSUED') return { title: 'Certificate issued', body: subject };
  if (request.status === 'FAILED') {
    // An automatic retry that failed again, with another one scheduled: said once, at the first failure.
    const failures = request.statusHistory.filter((s) => s.status === 'FAILED').length;
    if (failures > 1 && request.nextAutoRetryAt) return null;
    const reason = request.errorInformation?.message ?? 'see the request in the app for the reason';
    return { title: 'Certificate request failed', body: `${subject}: ${reason}` };
  }
  return null;
}

/** OS notifications for ISSUED and FAILED requests; clicking one brings the window forward. Returns the unsubscribe. */
export function notifyRequestOutcomes(service: SatelliteService, focusWindow: () => void): () => void {
  return service.onRequestFinished((request) => {
    const notice = requestNotice(request);
    if (!notice || !Notification.isSupported()) return;
    const notification = new Notification({ title: notice.title, body: notice.body });
    notification.on('click', focusWindow);
    notification.show();
  });
}

/** What the user is told after an automation ran: its first failure in a row (the retries say nothing more); null otherwise. */
export function automationNotice(automation: Automation): RequestNotice | null {
  if (!automation.lastResult || automation.lastResult.ok || automation.failures !== 1) return null;
  return { title: `Automatic renewal and installation failed: ${automation.name}`, body: automation.lastResult.message };
}

/** OS notifications for automations that start failing; clicking one brings the window forward. Returns the unsubscribe. */
export function notifyAutomationFailures(service: SatelliteService, focusWindow: () => void): () => void {
  return service.onAutomationResult((automation) => {
    const notice = automationNotice(automation);
    if (!notice || !Notification.isSupported()) return;
    const notification = new Notification({ title: notice.title, body: notice.body });
    notification.on('click', focusWindow);
    notification.show();
  });
}

/** The reminder for certificates due for renewal; null when none are. */
export function renewalNotice(due: number): RequestNotice | null {
  if (due <= 0) return null;
  return {
    title: due === 1 ? '1 certificate is due for renewal' : `${due.toLocaleString('en-US')} certificates are due for renewal`,
    body: 'They are past two thirds of their lifetime. Certificates > "Due for renewal" lists them.',
  };
}

const DAY_MS = 86_400_000;

export interface RenewalReminderTiming {
  /** After start, so the window is up first. */
  firstCheckMs: number;
  everyMs: number;
}

/**
 * Reminds the user through the OS of certificates due for renewal: once shortly after start,
 * then once a day, each time any are due. A failed check is logged and the next one tries again.
 * Returns the stop.
 */
export function remindRenewalsDue(service: SatelliteService, showDueCertificates: () => void, log: Logger, timing: RenewalReminderTiming = { firstCheckMs: 15_000, everyMs: DAY_MS }): () => void {
  const check = async () => {
    try {
      const notice = renewalNotice((await service.call('countRenewalDue', {})).due);
      if (!notice || !Notification.isSupported()) return;
      const notification = new Notification({ title: notice.title, body: notice.body });
      notification.on('click', showDueCertificates);
      notification.show();
    } catch (error) {
      log.log('warn', 'renewal reminder: could not count the certificates due', { error: error instanceof Error ? error.message : String(error) });
    }
  };
  const first = setTimeout(() => void check(), timing.firstCheckMs);
  const every = setInterval(() => void check(), timing.everyMs);
  // A reminder never keeps the process alive on its own.
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
