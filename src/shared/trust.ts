// Trusting the built-in CA on the computer the satellite runs on, as mkcert -install does: the
// steps the Services page, the desktop app and `--install-root` report, in one shape.

export type TrustStoreName = 'system' | 'nss' | 'java';

/** One store's outcome. */
export interface TrustStep {
  store: TrustStoreName;
  /** Where, in words a person recognises (a path, "Chromium's NSS database"). */
  where: string;
  outcome: 'done' | 'skipped' | 'failed';
  /** What was done, or why not and what to do. */
  detail: string;
}

/** What trusting (or no longer trusting) the root did, and where it is trusted now. */
export interface TrustChange {
  steps: TrustStep[];
  /** As BuiltinCaSummary.trustedIn: one line per store the satellite put the root in; empty when none. */
  trustedIn: string[];
}
