import type { SecretVault } from '../vault/secret-vault';
import type { RenewalWindow } from '../../../shared/renewal';
import type { ExtendedKeyUsage, IssuingTemplate } from '../../../shared/settings';
import type { CsrNames } from '../pki/csr-reader';
import type { CsrAttributes } from '../../../shared/csr-attributes';
import type { KeyAndCsr } from '../keys/crypto-jobs';
import type { CaError } from '../common/errors';

export type { RenewalWindow };

/** What the request pipeline hands a CA: only ever the CSR, never a key. */
export interface IssueRequest {
  requestId: string;
  csrPem: string;
  /** Requested validity in seconds, already capped by the template. */
  validitySeconds: number;
  extendedKeyUsages: ExtendedKeyUsage[];
  template: IssuingTemplate;
  /** The subject and SANs the template's policy checked: the built-in CA signs no other name. */
  checked: CheckedNames;
  /**
   * The certificate this request renews, when it does: an ACME CA that offers Renewal
   * Information is told which one the new order replaces (RFC 9773 section 5).
   */
  replacesCertificatePem?: string;
}

/** What the template's policy saw of a request: the subject attributes and the SANs, by kind. */
export type CheckedNames = CsrNames;

export type IssueResult =
  | {
      status: 'ISSUED';
      certificatePem: string;
      /** Chain certificates, issuer first, root last (the root may be absent for public CAs). */
      chainPems: string[];
    }
  /** The CA accepted the request but has not signed yet; `pollToken` lets `poll` pick it up after a restart. */
  | { status: 'PENDING'; pollToken: string };

/** What `issueWithNewKey` made: the key and CSR always (the caller keeps them), with the CA's answer or its refusal. */
export type IssuedWithNewKey = { made: KeyAndCsr } & ({ result: IssueResult; refused?: never } | { result?: never; refused: CaError });

// The error every connector and the crypto workers raise for a CA's refusal or failure.
export { CaError } from '../common/errors';

export interface ConnectorHealth {
  healthy: boolean;
  message: string;
}

/** One interface for every CA: the built-in CA, ACME, and the cloud service. */
export interface CaConnector {
  readonly type: 'BUILTIN' | 'MANUAL' | 'ACME' | 'CLOUD';
  /**
   * True when `issue` tells no one outside this process about the CSR (the built-in CA). The
   * pipeline then writes the new key, the CSR and the certificate in one durable commit: nothing
   * outside the satellite can hold a certificate for that key before that commit. A CA elsewhere
   * may sign a CSR whose key a power cut would lose, so for every other connector the key is on
   * disk before the CSR leaves.
   */
  readonly issuesLocally: boolean;
  issue(request: IssueRequest): Promise<IssueResult>;
  /**
   * Only a connector that issues locally may have this: a fresh key pair, its CSR and the
   * certificate for it in one step, where `issue` would need the CSR made first. The caller seals
   * `made.pkcs8` and wipes it.
   */
  issueWithNewKey?(attrs: CsrAttributes, request: Omit<IssueRequest, 'csrPem' | 'template'>): Promise<IssuedWithNewKey>;
  /** For connectors that return PENDING. */
  poll?(pollToken: string): Promise<IssueResult>;
  revoke?(certificatePem: string, reason: string): Promise<void>;
  health(): Promise<ConnectorHealth>;
  /**
   * When the CA suggests renewing this certificate (ACME Renewal Information), or undefined when
   * it offers no suggestion or cannot answer now. Best effort: never throws.
   */
  renewalWindow?(certificatePem: string): Promise<RenewalWindow | undefined>;
}


export type { SecretVault };

/** What every connector is built with. */
export interface ConnectorContext {
  secrets: SecretVault;
  /** Directory this connector may use for its own files (never secrets in clear). */
  workDir: string;
  log: import('../common/log').Logger;
}
