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
