import type { CertificateRecord } from '../../../shared/certificate';
import type { RenewalAdvice } from '../../../shared/renewal';
import type { RenewalWindow } from '../ca/connector';

/**
 * The satellite's own window, for CAs that suggest none: from two thirds of the lifetime to five
 * sixths, the rule ACME clients such as certbot use (a 90-day certificate: days 60 to 75). It
 * leaves a sixth of the lifetime to notice and fix a failed renewal.
 */
export function satelliteRenewalWindow(certificate: Pick<CertificateRecord, 'validityStart' | 'validityEnd'>): RenewalWindow {
  const notBefore = Date.parse(certificate.validityStart);
  const notAfter = Date.parse(certificate.validityEnd);
  const lifetime = Math.max(0, notAfter - notBefore);
  return { start: new Date(notBefore + (lifetime * 2) / 3), end: new Date(notBefore + (lifetime * 5) / 6) };
}

export function renewalState(window: RenewalWindow, notAfter: Date, now: Date): RenewalAdvice['state'] {
  if (now >= notAfter) return 'EXPIRED';
  if (now > window.end) return 'LATE';
  if (now >= window.start) return 'DUE';
  return 'NOT_YET';
}

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
