import type { CaConnector, IssueResult } from '../connector';

/**
 * The offline flow's "CA": nothing is sent anywhere. The request waits in PENDING with its CSR
 * until the user imports the certificate an outside CA issued (matched to the key by public key).
 */
export class ManualConnector implements CaConnector {
  readonly type = 'MANUAL' as const;
  // The CSR is handed to a person, who takes it to a CA.
  readonly issuesLocally = false;

  async issue(request: { requestId: string }): Promise<IssueResult> {
    return { status: 'PENDING', pollToken: `manual:${request.requestId}` };
  }

  async poll(pollToken: string): Promise<IssueResult> {
    return { status: 'PENDING', pollToken };
  }

  async health() {
    return { healthy: true, message: 'Offline: download the CSR, have any CA sign it, then import the certificate.' };
  }
}
