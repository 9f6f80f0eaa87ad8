import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { resolveAppPage } from './app-url';
import { contentSecurityPolicyFor, installContentSecurityPolicy } from './csp';
import { FakeSession } from './fake-electron.testkit';

const filePage = resolveAppPage({ isPackaged: true, rendererIndexHtml: '/opt/satellite/out/renderer/index.html' });
const devPage = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173/', rendererIndexHtml: '/x/index.html' });

describe('the content security policy', () => {
  it('is strict for the built app', () => {
    const policy = contentSecurityPolicyFor(filePage);
    expect(policy).toBe(CONTENT_SECURITY_POLICY);
    for (const directive of [
      "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'",
      "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'",
    ]) {
      expect(policy.split('; ')).toContain(directive);
    }
    expect(policy).not.toMatch(/unsafe-eval|\*/);
  });

  it("relaxes only scripts and the HMR socket, only for the dev server", () => {
    const policy = contentSecurityPolicyFor(devPage).split('; ');
    expect(policy).toContain("script-src 'self' 'unsafe-inline'");
    expect(policy).toContain("connect-src 'self' ws://localhost:5173");
    expect(policy).toContain("object-src 'none'");
  });

  it('is set as a response header on every response, replacing one a server sent', () => {
    const session = new FakeSession();
    installContentSecurityPolicy(session as never, CONTENT_SECURITY_POLICY);
    let headers: Record<string, string[]> | undefined;
    session.headersListener!({ responseHeaders: { 'content-type': ['text/html'], 'content-security-policy': ['default-src *'] } }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    session.headersListener!({}, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});
