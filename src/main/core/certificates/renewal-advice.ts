import type { CertificateRecord } from '../../../shared/certificate';
import { renewalState, satelliteRenewalWindow, type RenewalAdvice, type RenewalWindow } from '../../../shared/renewal';

/** Advice from the CA's window when there is one, else from the satellite's rule; `reason` says which and why. */
export function renewalAdvice(
  certificate: Pick<CertificateRecord, 'id' | 'validityStart' | 'validityEnd'>,
  fromCa: { window: RenewalWindow; caName: string } | undefined,
  whyNoCaWindow: string,
  now = new Date(),
): RenewalAdvice {
  const window = fromCa?.window ?? satelliteRenewalWindow(certificate);
  const advice: RenewalAdvice = {
    certificateId: certificate.id,
    start: window.start.toISOString(),
    end: window.end.toISOString(),
    source: fromCa ? 'CA' : 'SATELLITE',
    reason: fromCa ? `suggested by ${fromCa.caName} (ACME Renewal Information)` : whyNoCaWindow,
    state: renewalState(window, new Date(certificate.validityEnd), now),
    checkedAt: now.toISOString(),
  };
  if (fromCa?.window.explanationUrl) advice.explanationUrl = fromCa.window.explanationUrl;
  return advice;
}
