import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import * as acme from 'acme-client';
import { CaError } from '../connector';
import { isAcmeProblem, type AcmeProblem } from './problem';

// acme-client sends every request through one shared axios instance. Each connector call runs
// inside an AsyncLocalStorage scope so these interceptors can apply that connector's TLS trust
// and timeout, and remember the last problem document: acme-client's own errors keep only the
// detail text, while the request's errorInformation should carry the problem type too.

export interface AcmeCallScope {
  directoryUrl: string;
  agent: Agent | undefined;
  requestTimeoutMs: number;
  /** The problem document of the last failed response; cleared by every successful one. */
  lastProblem?: AcmeProblem;
  lastUrl?: string;
}

const scopes = new AsyncLocalStorage<AcmeCallScope>();
let installed = false;

/** An https.Agent that trusts the system roots plus `caPem` (private ACME servers: step-ca, pebble). */
export function trustAgent(caPem: string | undefined): Agent | undefined {
  return caPem ? new Agent({ ca: [...rootCertificates, caPem], keepAlive: false }) : undefined;
}

function install(): void {
  if (installed) return;
  installed = true;
  // The pipeline retries failed requests later; acme-client's own retries (5 attempts, up to
  // 25 s apart) would hold a request for minutes, so keep them short.
  const settings = (acme.axios.defaults as { acmeSettings?: { retryMaxAttempts: number; retryDefaultDelay: number } }).acmeSettings;
  if (settings) {
    settings.retryMaxAttempts = 2;
    settings.retryDefaultDelay = 1;
  }
  acme.axios.interceptors.request.use((config) => {
    const scope = scopes.getStore();
    if (scope) {
      if (scope.agent) config.httpsAgent = scope.agent;
      config.timeout = scope.requestTimeoutMs;
      scope.lastUrl = config.url;
    }
    return config;
  });
  acme.axios.interceptors.response.use(
    (response) => {
      const scope = scopes.getStore();
      if (scope) scope.lastProblem = response.status >= 400 && isAcmeProblem(response.data) ? { status: response.status, ...response.data } : undefined;
      return response;
    },
    (error: unknown) => {
      // Every HTTP answer arrives above (acme-client treats all statuses as responses); what
      // lands here is a connection failure or timeout, after acme-client's own retries.
      const scope = scopes.getStore();
      if (!scope) return Promise.reject(error);
      const url = scope.lastUrl ?? scope.directoryUrl;
      return Promise.reject(new CaError(`Could not reach the ACME server at ${url} (connection failed or timed out); the request will be retried later`, true));
    },
  );
}

/** Run `fn` with this connector's trust and timeout applied to acme-client's requests. */
export function withAcmeScope<T>(scope: AcmeCallScope, fn: () => Promise<T>): Promise<T> {
  install();
  return scopes.run(scope, fn);
}

export function currentScope(): AcmeCallScope | undefined {
  return scopes.getStore();
}
