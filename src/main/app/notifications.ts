import { Notification } from 'electron';
import type { CertificateRequestRecord } from '../../shared/certificate-request';
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
