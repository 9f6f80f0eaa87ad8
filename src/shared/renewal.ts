/** The UI's route (a hash) to the certificates due for renewal: what the desktop's renewal reminder opens. */
export const RENEWAL_DUE_ROUTE = '#/certificates?due=renewal';

/**
 * When to renew a certificate: the window its CA suggests (ACME Renewal Information, RFC 9773)
 * or, when the CA says nothing, the satellite's own rule.
 */
export interface RenewalAdvice {
  certificateId: string;
  /** ISO 8601: renew at a random moment inside [start, end]. */
  start: string;
  end: string;
  /** CA: the CA's Renewal Information. SATELLITE: the satellite's rule (the last third of the lifetime). */
  source: 'CA' | 'SATELLITE';
  /** Why the source is what it is, e.g. which CA answered or why it could not. */
  reason: string;
  /** A page from the CA explaining an unusual window (e.g. a mass revocation). */
  explanationUrl?: string;
  /** NOT_YET: before the window; DUE: inside it; LATE: past its end, renew now; EXPIRED: past notAfter. */
  state: 'NOT_YET' | 'DUE' | 'LATE' | 'EXPIRED';
  /** ISO 8601: when this advice was worked out. */
  checkedAt: string;
}

/** A window to renew in: the CA's suggestion (RFC 9773 suggestedWindow) or the satellite's rule. */
export interface RenewalWindow {
  start: Date;
  end: Date;
  explanationUrl?: string;
  /** Ask again after this time (the Retry-After of the CA's answer), when it said. */
  retryAfter?: Date;
}

/**
 * The satellite's own window, for CAs that suggest none: from two thirds of the lifetime to five
 * sixths, the rule ACME clients such as certbot use (a 90-day certificate: days 60 to 75). It
 * leaves a sixth of the lifetime to notice and fix a failed renewal. Shared, so the inventory's
 * "Renewal due" filter and the certificate page agree.
 */
export function satelliteRenewalWindow(validity: { validityStart: string; validityEnd: string }): RenewalWindow {
  const notBefore = Date.parse(validity.validityStart);
  const notAfter = Date.parse(validity.validityEnd);
  const lifetime = Math.max(0, notAfter - notBefore);
  return { start: new Date(notBefore + (lifetime * 2) / 3), end: new Date(notBefore + (lifetime * 5) / 6) };
}

export function renewalState(window: RenewalWindow, notAfter: Date, now: Date): RenewalAdvice['state'] {
  if (now >= notAfter) return 'EXPIRED';
  if (now > window.end) return 'LATE';
  if (now >= window.start) return 'DUE';
  return 'NOT_YET';
}
