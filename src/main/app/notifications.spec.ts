import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CertificateRequestRecord } from '../../shared/certificate-request';
import type { SatelliteService } from '../core/service';
import { Notification, resetFakeElectron } from './fake-electron.testkit';
import { notifyRequestOutcomes } from './notifications';

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

  it('stays quiet for other outcomes and where notifications are unsupported', () => {
    notifyRequestOutcomes(service, vi.fn());
    finished(request({ status: 'REJECTED' }));
    Notification.supported = false;
    finished(request({ status: 'ISSUED' }));
    expect(Notification.shown).toEqual([]);
  });
});
