import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, FakeWebContents, resetFakeElectron, session, shell } from './fake-electron.testkit';
import { resolveAppPage } from './app-url';
import { createMainWindow, hardenWebContents, installPermissionHandlers } from './window';

vi.mock('electron', () => import('./fake-electron.testkit'));

const page = resolveAppPage({ isPackaged: true, rendererIndexHtml: '/opt/satellite/out/renderer/index.html' });
const appUrl = 'file:///opt/satellite/out/renderer/index.html';

beforeEach(() => resetFakeElectron());

describe('createMainWindow', () => {
  const open = (devTools = false) =>
    createMainWindow({ devTools, darkMode: false }, page) as unknown as BrowserWindow;
  const prefsOf = (window: BrowserWindow) => window.options.webPreferences as Record<string, unknown>;

  it('isolates and sandboxes the renderer with no Node', () => {
    expect(prefsOf(open())).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
    // The bridge preload comes from the session (bridge-preload.ts), never from the window.
    expect(prefsOf(open())).not.toHaveProperty('preload');
  });

  it('keeps web security on and the risky features off', () => {
    const prefs = prefsOf(open());
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('offers DevTools only when asked (unpackaged builds)', () => {
    expect(prefsOf(open(true)).devTools).toBe(true);
  });

  it('loads the app page and shows the window once it has painted', () => {
    const window = open();
    expect(window.loadedUrl).toBe(appUrl);
    expect(window.options).toMatchObject({ show: false });
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledOnce();
  });
});

describe('hardenWebContents', () => {
  const hardened = () => {
    const contents = new FakeWebContents(appUrl);
    hardenWebContents(contents as never, page);
    return contents;
  };

  it('blocks navigation and redirects away from the app page', () => {
    const contents = hardened();
    expect(contents.fireCancellable('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.fireCancellable('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.fireCancellable('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
  });

  it('lets the app move within its own page (hash routes)', () => {
    expect(hardened().fireCancellable('will-navigate', `${appUrl}#/certificates`)).toBe(false);
  });

  it('refuses to attach webviews', () => {
    expect(hardened().fireCancellable('will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every new window and hands nothing to the OS browser', () => {
    const handler = hardened().windowOpenHandler!;
    for (const url of ['https://docs.example/help', 'http://docs.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(handler({ url })).toEqual({ action: 'deny' });
    }
    expect(shell.openExternal).not.toHaveBeenCalled();
  });
});

describe('installPermissionHandlers', () => {
  const installed = () => {
    installPermissionHandlers(session.defaultSession as never, page);
    return session.defaultSession;
  };
  const request = (s: ReturnType<typeof installed>, contents: FakeWebContents, permission: string) => {
    let granted: boolean | undefined;
    s.permissionRequestHandler!(contents, permission, (g) => (granted = g));
    return granted;
  };

  it('denies every permission request from the app page', () => {
    const s = installed();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb']) {
      expect(request(s, new FakeWebContents(appUrl), permission), permission).toBe(false);
      expect(s.permissionCheckHandler!(new FakeWebContents(appUrl), permission, 'file://'), permission).toBe(false);
    }
  });

  it('allows sanitised clipboard writes (Copy PEM) to the app page only', () => {
    const s = installed();
    expect(request(s, new FakeWebContents(appUrl), 'clipboard-sanitized-write')).toBe(true);
    expect(request(s, new FakeWebContents('https://evil.example/'), 'clipboard-sanitized-write')).toBe(false);
    expect(s.permissionCheckHandler!(null, 'clipboard-sanitized-write', 'file://')).toBe(false);
  });
});
