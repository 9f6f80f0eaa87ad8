import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';

/** Sent with every answer, errors included: the web UI's CSP, no sniffing, no framing, no referrer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** API answers may carry certificates, keystores and keys: never cached. */
export const NO_STORE = 'no-store';
