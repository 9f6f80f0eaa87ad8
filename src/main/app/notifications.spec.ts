import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CertificateRequestRecord } from '../../shared/certificate-request';
import type { SatelliteService } from '../core/service';
import { Notification, resetFakeElectron } from './fake-electron.testkit';
import { notifyAutomationFailures, notifyRequestOutcomes, remindRenewalsDue } from './notifications';
import type { Automation } from '../../shared/automation';

vi.mock('electron', () => import('./fake-electron.testkit'));

function request(overrides: Partial<CertificateRequestRecord>): CertificateRequestRecord {
  return {
    id: 'req-1', applicationId: 'app-1', certificateIssuingTemplateId: 'tpl-1', validityPeriod: 'P90D', keyGeneration: 'SATELLITE',
    status: 'ISSUED', certificateIds: [], tags: [], creationDate: '2026-01-01T00:00:00Z', modificationDate: '2026-01-01T00:00:00Z', statusHistory: [],
    subjectDN: 'CN=www.example.com', ...overrides,
  };
}

let finished: (r: CertificateRequestRecord) => void;
const service = { onRequestFinished: vi.fn((listener: (r: CertificateRequestRecord) => void) => { finished = listener; return () => undefined; }) } as unknown as SatelliteService;

beforeEach(() => resetFakeElectron());

describe('notifyRequestOutcomes', () => {
  it('tells the OS when a request is issued, and focuses the window on click', () => {
    const focus = vi.fn();
    notifyRequestOutcomes(service, focus);
    finished(request({ status: 'ISSUED' }));
    expect(Notification.shown.map((n) => n.options)).toEqual([{ title: 'Certificate issued', body: 'CN=www.example.com' }]);
    Notification.shown[0]!.emit('click');
    expect(focus).toHaveBeenCalledOnce();
  });

  it('tells the OS when a request fails, with the reason', () => {
    notifyRequestOutcomes(service, vi.fn());
    finished(request({ status: 'FAILED', errorInformation: { type: 'CA', code: 50200, message: 'the CA at https://acme.example did not answer' } }));
    expect(Notification.shown.map((n) => n.options)).toEqual([{ title: 'Certificate request failed', body: 'CN=www.example.com: the CA at https://acme.example did not answer' }]);
  });

  it('says a failure once while the satellite keeps retrying, and again when it stops', () => {
    notifyRequestOutcomes(service, vi.fn());
    const history = (n: number) => Array.from({ length: n }, () => ({ status: 'FAILED' as const, at: '2026-01-01T00:00:00Z' }));
    const caDown = { type: 'CA' as const, code: 50200, message: 'the CA did not issue: unreachable' };
    finished(request({ status: 'FAILED', errorInformation: caDown, statusHistory: history(1), nextAutoRetryAt: '2026-01-01T00:01:00Z' }));
    finished(request({ status: 'FAILED', errorInformation: caDown, statusHistory: history(2), nextAutoRetryAt: '2026-01-01T00:06:00Z' }));
    finished(request({ status: 'FAILED', errorInformation: { ...caDown, message: 'the CA did not issue: unreachable; the satellite stopped retrying' }, statusHistory: history(6), nextAutoRetryAt: null }));
    expect(Notification.shown.map((n) => n.options.body)).toEqual(['CN=www.example.com: the CA did not issue: unreachable', 'CN=www.example.com: the CA did not issue: unreachable; the satellite stopped retrying']);
  });

  it('stays quiet for other outcomes and where notifications are unsupported', () => {
    notifyRequestOutcomes(service, vi.fn());
    finished(request({ status: 'REJECTED' }));
    Notification.supported = false;
    finished(request({ status: 'ISSUED' }));
    expect(Notification.shown).toEqual([]);
  });
});

describe('notifyAutomationFailures', () => {
  it('tells the OS when an automation starts failing, once while it retries, and nothing when it installs', () => {
    let ran: (a: Automation) => void = () => undefined;
    const automations = { onAutomationResult: vi.fn((listener: (a: Automation) => void) => ((ran = listener), () => undefined)) } as unknown as SatelliteService;
    const focus = vi.fn();
    notifyAutomationFailures(automations, focus);
    const base: Omit<Automation, 'failures'> = { id: 'a1', name: 'web', certificateId: 'c1', setEnvVars: [], installations: [], source: { kind: 'user' }, creationDate: '', modificationDate: '' };
    const failed = (failures: number): Automation => ({ ...base, failures, lastResult: { at: '2026-01-01T00:00:00Z', ok: false, message: 'installation 1: PEM /etc/a.crt: afterInstallAction exited with 1' } });
    ran(failed(1));
    ran(failed(2));
    ran({ ...base, failures: 0, lastResult: { at: '2026-01-01T00:00:00Z', ok: true, message: 'installed' } });
    expect(Notification.shown.map((n) => n.options)).toEqual([{ title: 'Automatic renewal and installation failed: web', body: 'installation 1: PEM /etc/a.crt: afterInstallAction exited with 1' }]);
    Notification.shown[0]!.emit('click');
    expect(focus).toHaveBeenCalledOnce();
  });
});

describe('remindRenewalsDue', () => {
  const timing = { firstCheckMs: 1_000, everyMs: 60_000 };
  const counting = (...dues: (number | Error)[]) => {
    const call = vi.fn(async () => {
      const next = dues.shift() ?? 0;
      if (next instanceof Error) throw next;
      return { due: next, checkedAt: new Date().toISOString() };
    });
    return { service: { call } as unknown as SatelliteService, call };
  };
  const log = { log: vi.fn() };

  beforeEach(() => {
    vi.useFakeTimers();
    return () => vi.useRealTimers();
  });

  it('reminds shortly after start and then on every interval while certificates are due, and focuses the window on click', async () => {
    const { service, call } = counting(3, 0, 1);
    const focus = vi.fn();
    const stop = remindRenewalsDue(service, focus, log, timing);
    expect(call).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(call).toHaveBeenCalledWith('countRenewalDue', {});
    expect(Notification.shown.map((n) => n.options.title)).toEqual(['3 certificates are due for renewal']);
    Notification.shown[0]!.emit('click');
    expect(focus).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(60_000); // none due: quiet
    await vi.advanceTimersByTimeAsync(60_000);
    expect(Notification.shown.map((n) => n.options.title)).toEqual(['3 certificates are due for renewal', '1 certificate is due for renewal']);
    stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('logs a failed count and tries again at the next interval', async () => {
    const { service } = counting(new Error('the inventory is closed'), 2);
    remindRenewalsDue(service, vi.fn(), log, timing);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log.log).toHaveBeenCalledWith('warn', 'renewal reminder: could not count the certificates due', { error: 'the inventory is closed' });
    expect(Notification.shown).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(Notification.shown.map((n) => n.options.title)).toEqual(['2 certificates are due for renewal']);
  });
});
