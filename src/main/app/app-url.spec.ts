import { describe, expect, it } from 'vitest';
import { appPageUrlAt, isAppPageUrl, resolveAppPage } from './app-url';

describe('resolveAppPage', () => {
  it('loads the built renderer from disk when packaged, even if a dev server URL is set', () => {
    const page = resolveAppPage({ isPackaged: true, devServerUrl: 'http://localhost:5173', rendererIndexHtml: '/opt/s/out/renderer/index.html' });
    expect(page).toMatchObject({ kind: 'file', url: 'file:///opt/s/out/renderer/index.html' });
  });

  it('uses the dev server in unpackaged builds, on localhost only', () => {
    expect(resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173', rendererIndexHtml: '/x' })).toMatchObject({ kind: 'dev-server', origin: 'http://localhost:5173' });
    expect(() => resolveAppPage({ isPackaged: false, devServerUrl: 'https://evil.example', rendererIndexHtml: '/x' })).toThrow(/ELECTRON_RENDERER_URL must be an http URL on localhost/);
  });
});

describe('isAppPageUrl', () => {
  const page = resolveAppPage({ isPackaged: true, rendererIndexHtml: '/opt/s/out/renderer/index.html' });
  it('accepts the app page with any hash or query', () => {
    expect(isAppPageUrl(page, 'file:///opt/s/out/renderer/index.html')).toBe(true);
    expect(isAppPageUrl(page, 'file:///opt/s/out/renderer/index.html#/certificates?q=1')).toBe(true);
  });
  it('refuses other files, hosts, schemes and garbage', () => {
    for (const url of ['file:///opt/s/out/renderer/other.html', 'file:///opt/s/out/renderer/../../../etc/passwd', 'file://host/opt/s/out/renderer/index.html', 'https://opt/s/out/renderer/index.html', 'not a url', '']) {
      expect(isAppPageUrl(page, url), url).toBe(false);
    }
  });
  it('compares origins for the dev server', () => {
    const dev = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173/', rendererIndexHtml: '/x' });
    expect(isAppPageUrl(dev, 'http://localhost:5173/#/services')).toBe(true);
    expect(isAppPageUrl(dev, 'http://localhost:5174/')).toBe(false);
    expect(isAppPageUrl(dev, 'http://127.0.0.1:5173/')).toBe(false);
  });
  it('points at one of the UI routes in the same page, which the navigation limits accept', () => {
    const dev = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173/', rendererIndexHtml: '/x' });
    expect(appPageUrlAt(page, '#/certificates?due=renewal')).toBe('file:///opt/s/out/renderer/index.html#/certificates?due=renewal');
    expect(appPageUrlAt(dev, '#/services')).toBe('http://localhost:5173/#/services');
    expect(isAppPageUrl(page, appPageUrlAt(page, '#/certificates?due=renewal'))).toBe(true);
  });
});
