import type { CaConnector, ConnectorHealth, IssueRequest, IssueResult } from './connector';

/**
 * A connector opened on first use (the built-in CA needs the DEK to unseal its key). When it
 * cannot open, health says why and issue fails with that reason, so the request is FAILED with it.
 */
export class LazyConnector<C extends CaConnector> implements CaConnector {
  private opening: Promise<C> | undefined;

  readonly type: CaConnector['type'];
  readonly issuesLocally: boolean;

  /** `kind` is what the connector will be once open, known before it is. */
  constructor(
    kind: Pick<CaConnector, 'type' | 'issuesLocally'>,
    private readonly openConnector: () => Promise<C>,
  ) {
    this.type = kind.type;
    this.issuesLocally = kind.issuesLocally;
  }

  open(): Promise<C> {
    this.opening ??= this.openConnector().catch((error) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  /** Forgets the opened connector, so the next use opens it again (after the DEK changed). */
  reset(): void {
    this.opening = undefined;
  }

  async issue(request: IssueRequest): Promise<IssueResult> {
    return (await this.open()).issue(request);
  }

  async issueWithNewKey(...args: Parameters<NonNullable<CaConnector['issueWithNewKey']>>): ReturnType<NonNullable<CaConnector['issueWithNewKey']>> {
    const connector = await this.open();
    if (!connector.issueWithNewKey) throw new Error(`the ${this.type} connector makes no keys; make the key and CSR, then call issue`);
    return connector.issueWithNewKey(...args);
  }

  async poll(pollToken: string): Promise<IssueResult> {
    const connector = await this.open();
    if (!connector.poll) throw new Error(`the ${this.type} connector has no pending requests to poll`);
    return connector.poll(pollToken);
  }

  async revoke(certificatePem: string, reason: string): Promise<void> {
    await (await this.open()).revoke?.(certificatePem, reason);
  }

  async health(): Promise<ConnectorHealth> {
    try {
      return await (await this.open()).health();
    } catch (error) {
      return { healthy: false, message: (error as Error).message };
    }
  }
}
