import type { Session } from 'electron';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_DIRECTIVES, serializeCsp } from '../../shared/csp';
import type { AppPage } from './app-url';

/**
 * The policy the window gets. Vite's dev server needs its inline React-refresh preamble and its
 * HMR socket, so only an unpackaged build on the dev server relaxes script-src and connect-src.
 */
export function contentSecurityPolicyFor(page: AppPage): string {
  if (page.kind !== 'dev-server') return CONTENT_SECURITY_POLICY;
  const ws = page.origin.replace(/^http/, 'ws');
  return serializeCsp({
    ...CONTENT_SECURITY_POLICY_DIRECTIVES,
    'script-src': [...CONTENT_SECURITY_POLICY_DIRECTIVES['script-src'], "'unsafe-inline'"],
    'connect-src': [...CONTENT_SECURITY_POLICY_DIRECTIVES['connect-src'], ws],
  });
}

/**
 * Adds the CSP header to every response the session loads. file:// pages get no headers, so
 * the renderer's index.html carries the same policy in a <meta> as well.
 */
export function installContentSecurityPolicy(session: Session, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } });
  });
}
