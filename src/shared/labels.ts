import type { EcCurve } from './key-types';
import type { CertificateAuthorityType } from './settings';

// Every name a person reads for a CA kind, a revocation reason or a curve: one table each, so
// the editor, the lists, the Services page and the core's sentences never drift apart.

export interface CaLabels {
  /** In the template editor's picker. */
  long: string;
  /** In tables and one-line descriptions. */
  short: string;
  /** Mid-sentence: "… does not tell the outside CA …". */
  inSentence: string;
}

export const CA_LABELS: Record<CertificateAuthorityType, CaLabels> = {
  BUILTIN: { long: 'Built-in CA (offline, this satellite)', short: 'Built-in CA', inSentence: 'the built-in CA' },
  MANUAL: { long: 'Offline: export the CSR, import the certificate', short: 'Offline (manual)', inSentence: 'the outside CA' },
  ACME: { long: 'ACME (Let’s Encrypt, ZeroSSL, step-ca, …)', short: 'ACME', inSentence: 'the ACME CA' },
  CLOUD: { long: 'Cloud service (TLS Protect Cloud)', short: 'Cloud', inSentence: 'the cloud service' },
};

/** The reasons a person may give, in RFC 5280 CRLReason order, with their codes and words. */
export const REVOCATION_REASONS = {
  unspecified: { code: 0, label: 'Unspecified', graphql: 'UNSPECIFIED' },
  keyCompromise: { code: 1, label: 'Key compromise', graphql: 'KEY_COMPROMISE' },
  affiliationChanged: { code: 3, label: 'Affiliation changed', graphql: 'AFFILIATION_CHANGED' },
  superseded: { code: 4, label: 'Superseded', graphql: 'SUPERSEDED' },
  cessationOfOperation: { code: 5, label: 'Cessation of operation', graphql: 'CESSATION_OF_OPERATION' },
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;
export const REVOCATION_REASON_NAMES = Object.keys(REVOCATION_REASONS) as [RevocationReason, ...RevocationReason[]];

/** Curve names as people (and Node's crypto and WebCrypto for the NIST curves) write them. */
export const CURVE_LABELS: Record<EcCurve, string> = { P256: 'P-256', P384: 'P-384', P521: 'P-521', ED25519: 'Ed25519' };
