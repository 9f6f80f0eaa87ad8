import * as acme from 'acme-client';
import type { Agent } from 'node:https';
import type { AcmeCaSettings } from '../../../../shared/ca-settings';
import { CaError, type CaConnector, type ConnectorContext, type ConnectorHealth, type IssueRequest, type IssueResult, type RenewalWindow } from '../connector';
import { loadOrCreateAccountKey } from './account-key';
import { currentScope, trustAgent, withAcmeScope } from './acme-http';
import { fetchDirectory, type AcmeDirectory } from './directory';
import { dns01RecordName, runDnsHook } from './dns01-hook';
import { startStandaloneResponder, webrootPublisher, type Http01Publisher } from './http01';
import { describeProblem, isAcmeProblem, problemToCaError } from './problem';
import { ariCertId, fetchRenewalWindow } from './renewal-info';
import { REVOCATION_REASONS, type RevocationReason } from '../../../../shared/labels';

const DEFAULT_ORDER_TIMEOUT_SECONDS = 300;
const REQUEST_TIMEOUT_MS = 30_000;
// A person waits on the certificate page for this hint, and the satellite's rule stands in when it does not come.
const RENEWAL_INFO_TIMEOUT_MS = 5_000;
const POLL_INTERVAL_MS = 1_000;

type Challenge = acme.Authorization['challenges'][number];

/** One challenge this order has put in place, and how to take it down again. */
interface Presented {
  cleanup(): Promise<void>;
}


/**
 * A CA connector for any ACME (RFC 8555) server: Let's Encrypt, ZeroSSL, step-ca, pebble.
 *
 * Validity: ACME servers choose the certificate's lifetime themselves, so `validitySeconds`
 * is not sent (RFC 8555 notAfter is optional and most public CAs refuse it).
 */
export class AcmeConnector implements CaConnector {
  readonly type = 'ACME' as const;
  readonly issuesLocally = false;
  private readonly agent: Agent | undefined;
  private accountUrl: string | undefined;
  private readonly renewalWindows = new Map<string, { window: RenewalWindow; until: number }>();

  constructor(
    private readonly settings: AcmeCaSettings,
    private readonly context: ConnectorContext,
  ) {
    this.agent = trustAgent(settings.tlsCaCertificatePem);
  }

  async issue(request: IssueRequest): Promise<IssueResult> {
    const identifiers = orderIdentifiers(request.csrPem);
    const deadline = Date.now() + (this.settings.orderTimeoutSeconds ?? DEFAULT_ORDER_TIMEOUT_SECONDS) * 1000;
    return this.scoped(async () => {
      const directory = await this.directory();
      const client = await this.client(directory);
      const order = await this.newOrder(client, directory, identifiers, request);
      this.context.log.log('info', 'ACME order created', { requestId: request.requestId, order: order.url, identifiers });
      await this.authorize(client, order, deadline);
      const ready = await waitFor(client, order, ['ready', 'valid'], deadline, 'the order to become ready');
      const finalized = ready.status === 'valid' ? ready : await step('the CSR', () => client.finalizeOrder(ready, request.csrPem));
      const valid = await waitFor(client, finalized, ['valid'], deadline, 'the certificate to be issued');
      const pem = await step('the certificate download', () => client.getCertificate(valid));
      const [certificatePem, ...chainPems] = acme.crypto.splitPemChain(pem);
      if (!certificatePem) throw new CaError('The ACME server returned no certificate for a valid order', true);
      this.context.log.log('info', 'ACME order issued', { requestId: request.requestId, order: order.url, chainLength: chainPems.length });
      return { status: 'ISSUED', certificatePem, chainPems };
    });
  }

  /**
   * The new order; for a renewal, at a CA that offers Renewal Information, naming the certificate
   * it replaces (RFC 9773 section 5), which CAs such as Let's Encrypt exempt from rate limits. A
   * CA that refuses the `replaces` (already replaced, another account's certificate) gets the
   * order again without it: the renewal itself must not fail for a hint.
   */
  private async newOrder(client: acme.Client, directory: AcmeDirectory, identifiers: string[], request: IssueRequest): Promise<acme.Order> {
    // acme-client's types predate the profiles draft; the payload is sent as given.
    const order: Parameters<acme.Client['createOrder']>[0] = {
      identifiers: identifiers.map((value) => ({ type: 'dns', value })),
      ...(this.settings.profile ? ({ profile: this.settings.profile } as object) : {}),
    };
    let replaces: string | undefined;
    try {
      if (directory.renewalInfo && request.replacesCertificatePem) replaces = ariCertId(request.replacesCertificatePem);
    } catch (e) {
      this.context.log.log('info', 'ACME renewal: the replaced certificate cannot be named for the CA', { requestId: request.requestId, reason: (e as Error).message });
    }
    if (replaces) {
      try {
        // acme-client's types predate RFC 9773; the payload is sent as given.
        const withReplaces = { ...order, replaces };
        return await step('the new order', () => client.createOrder(withReplaces));
      } catch (e) {
        if (!(e instanceof CaError) || e.retryable) throw e;
        this.context.log.log('warn', 'ACME renewal: the CA refused "replaces"; ordering without it', { requestId: request.requestId, replaces, reason: e.message });
      }
    }
    return step('the new order', () => client.createOrder(order));
  }

  async revoke(certificatePem: string, reason: string): Promise<void> {
    await this.scoped(async () => {
      const client = await this.client(await this.directory());
      await step('the revocation', () => client.revokeCertificate(certificatePem, { reason: Object.hasOwn(REVOCATION_REASONS, reason) ? REVOCATION_REASONS[reason as RevocationReason].code : 0 }));
    });
  }

  async health(): Promise<ConnectorHealth> {
    try {
      const directory = await fetchDirectory(this.settings.directoryUrl, this.agent, REQUEST_TIMEOUT_MS);
      const profiles = Object.keys(directory.meta?.profiles ?? {});
      const notes = [
        directory.meta?.externalAccountRequired ? 'requires External Account Binding' : '',
        directory.renewalInfo ? 'offers Renewal Information' : '',
        profiles.length ? `offers profiles ${profiles.join(', ')}${this.settings.profile ? ` (this template asks for ${this.settings.profile})` : ''}` : '',
      ].filter(Boolean);
      return { healthy: true, message: `ACME directory ${this.settings.directoryUrl} answers${notes.length ? ` (${notes.join(', ')})` : ''}` };
    } catch (e) {
      return { healthy: false, message: (e as Error).message };
    }
  }

  /**
   * The CA's suggested renewal window (ACME Renewal Information), or undefined when the
   * directory does not offer it or cannot answer: best effort, the caller falls back to its own rule.
   */
  async renewalWindow(certPem: string): Promise<RenewalWindow | undefined> {
    try {
      // Asked again only after the CA's Retry-After (RFC 9773 section 4.3), 6 hours when it gave none.
      const certId = ariCertId(certPem);
      const cached = this.renewalWindows.get(certId);
      if (cached && cached.until > Date.now()) return cached.window;
      const directory = await fetchDirectory(this.settings.directoryUrl, this.agent, RENEWAL_INFO_TIMEOUT_MS);
      if (!directory.renewalInfo) return undefined;
      const window = await fetchRenewalWindow(directory.renewalInfo, certPem, this.agent, RENEWAL_INFO_TIMEOUT_MS);
      if (window) this.renewalWindows.set(certId, { window, until: window.retryAfter?.getTime() ?? Date.now() + 6 * 3600_000 });
      return window;
    } catch (e) {
      this.context.log.log('warn', 'ACME renewal information unavailable', { directoryUrl: this.settings.directoryUrl, reason: (e as Error).message });
      return undefined;
    }
  }

  private scoped<T>(fn: () => Promise<T>): Promise<T> {
    return withAcmeScope({ directoryUrl: this.settings.directoryUrl, agent: this.agent, requestTimeoutMs: REQUEST_TIMEOUT_MS }, fn);
  }

  private async directory(): Promise<AcmeDirectory> {
    const directory = await fetchDirectory(this.settings.directoryUrl, this.agent, REQUEST_TIMEOUT_MS);
    const terms = directory.meta?.termsOfService;
    if (terms && !this.settings.termsOfServiceAgreed) {
      throw new CaError(`The ACME server at ${this.settings.directoryUrl} requires agreeing to its terms of service (${terms}): read them, then set termsOfServiceAgreed in the template's ACME settings`, false);
    }
    if (directory.meta?.externalAccountRequired && !(this.settings.eabKeyId && this.settings.eabHmacKeySecretId)) {
      throw new CaError(`The ACME server at ${this.settings.directoryUrl} requires External Account Binding: enter the EAB key id and HMAC key from the CA's console in the template's ACME settings`, false);
    }
    return directory;
  }

  /** An acme-client bound to this directory's account, registering the account on first use. */
  private async client(directory: AcmeDirectory): Promise<acme.Client> {
    const accountKey = await loadOrCreateAccountKey(this.context.secrets, this.settings.directoryUrl);
    const externalAccountBinding = await this.externalAccountBinding();
    const client = new acme.Client({
      directoryUrl: this.settings.directoryUrl,
      accountKey,
      ...(this.accountUrl ? { accountUrl: this.accountUrl } : {}),
      ...(externalAccountBinding ? { externalAccountBinding } : {}),
      // waitForValidStatus is not used (see waitFor); keep acme-client's own backoff short anyway.
      backoffAttempts: 3,
      backoffMin: 500,
      backoffMax: 2000,
    });
    if (!this.accountUrl) {
      await step('the account registration', () =>
        client.createAccount({
          termsOfServiceAgreed: Boolean(directory.meta?.termsOfService) && this.settings.termsOfServiceAgreed,
          ...(this.settings.contactEmail ? { contact: [`mailto:${this.settings.contactEmail}`] } : {}),
        }),
      );
      this.accountUrl = client.getAccountUrl();
      this.context.log.log('info', 'ACME account ready', { directoryUrl: this.settings.directoryUrl, account: this.accountUrl });
    }
    return client;
  }

  private async externalAccountBinding(): Promise<{ kid: string; hmacKey: string } | undefined> {
    const { eabKeyId, eabHmacKeySecretId } = this.settings;
    if (!eabKeyId || !eabHmacKeySecretId) return undefined;
    const hmacKey = await this.context.secrets.read(eabHmacKeySecretId);
    if (!hmacKey || hmacKey.length === 0) {
      throw new CaError(`No EAB HMAC key is stored under "${eabHmacKeySecretId}": enter the HMAC key from the CA's console in the template's ACME settings`, false);
    }
    // The CA hands out the HMAC key as base64url text; the vault keeps that text.
    return { kid: eabKeyId, hmacKey: hmacKey.toString('utf8').trim() };
  }

  /** Put every pending authorization's challenge in place, answer it, and wait until all are valid. */
  private async authorize(client: acme.Client, order: acme.Order, deadline: number): Promise<void> {
    const authorizations = await step('the authorizations', () => client.getAuthorizations(order));
    const pending = authorizations.filter((a) => a.status === 'pending');
    if (pending.length === 0) return;
    const publisher = this.settings.challenge.type === 'http-01' ? await this.http01Publisher() : undefined;
    const presented: Presented[] = [];
    try {
      const answered: Array<{ authz: acme.Authorization; challenge: Challenge }> = [];
      for (const authz of pending) {
        const challenge = authz.challenges.find((c) => c.type === this.settings.challenge.type);
        if (!challenge) {
          const offered = authz.challenges.map((c) => c.type).join(', ');
          throw new CaError(`The ACME server offers ${offered} for ${authz.identifier.value}, not ${this.settings.challenge.type}: pick one of those in the template's ACME challenge settings`, false);
        }
        const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
        presented.push(await this.present(authz, challenge, keyAuthorization, publisher));
        answered.push({ authz, challenge });
      }
      const { challenge } = this.settings;
      if (challenge.type === 'dns-01' && challenge.propagationSeconds > 0) await sleep(Math.min(challenge.propagationSeconds * 1000, Math.max(0, deadline - Date.now())));
      for (const { challenge: c } of answered) await step('the challenge answer', () => client.completeChallenge(c));
      for (const { authz } of answered) await waitForAuthorization(client, authz, deadline);
    } finally {
      for (const p of presented.reverse()) {
        await p.cleanup().catch((e: Error) => this.context.log.log('warn', 'ACME challenge cleanup failed', { reason: e.message }));
      }
      await publisher?.close();
    }
  }

  private async http01Publisher(): Promise<Http01Publisher> {
    const challenge = this.settings.challenge;
    if (challenge.type !== 'http-01') throw new Error('http01Publisher needs an http-01 challenge');
    if (challenge.mode === 'webroot') {
      if (!challenge.webroot) throw new CaError('http-01 webroot mode needs a webroot directory: set webroot in the template\'s ACME challenge settings', false);
      return webrootPublisher(challenge.webroot);
    }
    return startStandaloneResponder(challenge.listenAddress, challenge.port);
  }

  private async present(authz: acme.Authorization, challenge: Challenge, keyAuthorization: string, publisher: Http01Publisher | undefined): Promise<Presented> {
    const settings = this.settings.challenge;
    if (challenge.type === 'http-01' && publisher) {
      await publisher.publish(challenge.token, keyAuthorization);
      return { cleanup: () => publisher.unpublish(challenge.token) };
    }
    if (challenge.type === 'dns-01' && settings.type === 'dns-01') {
      const recordName = dns01RecordName(authz.identifier.value);
      await runDnsHook(settings.hookCommand, 'present', recordName, keyAuthorization);
      return { cleanup: () => runDnsHook(settings.hookCommand, 'cleanup', recordName, keyAuthorization) };
    }
    throw new CaError(`No way to answer a ${challenge.type} challenge with these settings`, false);
  }
}

/** Order identifiers: the CSR's DNS names (subject CN included), so they match what the CA will check. */
function orderIdentifiers(csrPem: string): string[] {
  let domains: acme.CertificateDomains;
  try {
    domains = acme.crypto.readCsrDomains(csrPem);
  } catch (e) {
    throw new CaError(`The CSR could not be read for the ACME order: ${(e as Error).message}`, false);
  }
  const names = [domains.commonName, ...domains.altNames].filter((n): n is string => typeof n === 'string' && n.length > 0).map((n) => n.toLowerCase());
  const unique = [...new Set(names)];
  if (unique.length === 0) throw new CaError('The CSR names no DNS name: ACME certificates need at least one DNS subject alternative name', false);
  return unique;
}

/**
 * Run one acme-client call; a refusal becomes a CaError carrying the server's problem document
 * (type and detail), a connection failure a retryable CaError.
 */
async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CaError) throw e;
    const problem = currentScope()?.lastProblem;
    if (problem) throw problemToCaError(what, problem);
    throw new CaError(`ACME ${what} failed: ${(e as Error).message}`, true);
  }
}

async function waitForAuthorization(client: acme.Client, authz: acme.Authorization, deadline: number): Promise<void> {
  for (;;) {
    const [current] = await step('the authorization status', () => client.getAuthorizations({ authorizations: [authz.url] } as acme.Order));
    if (current?.status === 'valid') return;
    if (current?.status === 'invalid' || current?.status === 'deactivated' || current?.status === 'expired' || current?.status === 'revoked') {
      const failed = current.challenges.find((c) => isAcmeProblem(c.error));
      const problem = failed && isAcmeProblem(failed.error) ? failed.error : { detail: `authorization became ${current.status}` };
      throw new CaError(`The ACME server refused the authorization for ${authz.identifier.value}: ${describeProblem(problem)}`, false, problem);
    }
    if (Date.now() + POLL_INTERVAL_MS > deadline) throw new CaError(`The ACME server did not validate ${authz.identifier.value} in time; the request will be retried later`, true);
    await sleep(POLL_INTERVAL_MS);
  }
}

async function waitFor(client: acme.Client, order: acme.Order, wanted: acme.Order['status'][], deadline: number, what: string): Promise<acme.Order> {
  let current = order;
  for (;;) {
    if (wanted.includes(current.status)) return current;
    if (current.status === 'invalid') {
      const problem = isAcmeProblem(current.error) ? current.error : { detail: 'the order became invalid' };
      throw new CaError(`The ACME server refused the order: ${describeProblem(problem)}`, false, problem);
    }
    if (Date.now() + POLL_INTERVAL_MS > deadline) throw new CaError(`Timed out waiting for ${what} (order status ${current.status}); the request will be retried later`, true);
    await sleep(POLL_INTERVAL_MS);
    current = await step('the order status', () => client.getOrder(current));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
