import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SATELLITE_IPC_CHANNELS } from '../../shared/preload-api';
import { app, BrowserWindow, dialog, FakeWebContents, ipcMain, Menu, Notification, resetFakeElectron, session } from './fake-electron.testkit';
import { PRELOAD_PATH, RENDERER_INDEX_HTML, startDesktopApp } from './lifecycle';

vi.mock('electron', () => import('./fake-electron.testkit'));
const satellite = vi.hoisted(() => ({ createSatellite: vi.fn() }));
vi.mock('../core/satellite', () => satellite);
// The PKI listener is the API folder's (tested there with openssl); here only that the app opens it and hands its URL on.
const pki = vi.hoisted(() => ({ server: { url: 'http://127.0.0.1:7480', serve: vi.fn(), close: vi.fn(async () => undefined) }, startPkiServer: vi.fn() }));
vi.mock('../api/pki-server', () => ({ startPkiServer: pki.startPkiServer }));

const service = { close: vi.fn(async () => undefined), onRequestFinished: vi.fn(() => () => undefined), onAutomationResult: vi.fn(() => () => undefined), call: vi.fn() };
let userData: string;

beforeEach(() => {
  resetFakeElectron();
  userData = mkdtempSync(join(tmpdir(), 'ks-user-data-'));
  app.paths.userData = userData;
  satellite.createSatellite.mockReset().mockResolvedValue(service);
  pki.startPkiServer.mockReset().mockResolvedValue(pki.server);
  pki.server.serve.mockReset();
});
afterEach(() => rmSync(userData, { recursive: true, force: true }));

/** Start the app, let Electron become ready, and wait until the window exists. */
async function started() {
  const desktop = startDesktopApp()!;
  app.becomeReady();
  await vi.waitFor(() => expect(BrowserWindow.created).toHaveLength(1));
  return desktop;
}

describe('startDesktopApp', () => {
  it('quits at once in a second instance, before touching the service', () => {
    app.singleInstanceLock = false;
    expect(startDesktopApp()).toBeNull();
    expect(app.quit).toHaveBeenCalledOnce();
    expect(satellite.createSatellite).not.toHaveBeenCalled();
  });

  it('sandboxes every renderer and starts the satellite in userData with the keychain DEK store, its certificates naming the PKI listener', async () => {
    await started();
    expect(app.enableSandbox).toHaveBeenCalledOnce();
    expect(pki.startPkiServer).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ host: '127.0.0.1', port: 7480 }));
    expect(satellite.createSatellite).toHaveBeenCalledExactlyOnceWith({ dataDir: userData, dekStore: 'keychain', holder: 'the desktop app', pkiBaseUrl: 'http://127.0.0.1:7480' });
    expect(pki.server.serve).toHaveBeenCalledExactlyOnceWith(service);
  });

  it('starts without the PKI listener when its port is taken: certificates then name no CRL or OCSP location', async () => {
    pki.startPkiServer.mockRejectedValueOnce(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }));
    await started();
    expect(satellite.createSatellite).toHaveBeenCalledExactlyOnceWith({ dataDir: userData, dekStore: 'keychain', holder: 'the desktop app' });
  });

  it('opens the hardened window on the built renderer, its session carrying the CommonJS bridge preload', async () => {
    const window = (await started()).mainWindow() as unknown as BrowserWindow;
    expect(window.loadedUrl).toBe(`file://${RENDERER_INDEX_HTML}`);
    expect(PRELOAD_PATH).toMatch(/[/\\]preload[/\\]index\.cjs$/);
    expect(session.defaultSession.preloadScripts).toEqual([{ type: 'frame', id: 'keypair-satellite-bridge', filePath: PRELOAD_PATH }]);
    expect(window.options).toMatchObject({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: true } });
  });

  it('installs the CSP header, the permission handlers, the IPC channels and the menu', async () => {
    await started();
    expect(session.defaultSession.headersListener).toBeTypeOf('function');
    expect(session.defaultSession.permissionRequestHandler).toBeTypeOf('function');
    expect(session.defaultSession.permissionCheckHandler).toBeTypeOf('function');
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.values(SATELLITE_IPC_CHANNELS).sort());
    expect(Menu.setApplicationMenu).toHaveBeenCalledOnce();
    expect(service.onRequestFinished).toHaveBeenCalledOnce();
    expect(service.onAutomationResult).toHaveBeenCalledOnce();
  });

  it('reminds of certificates due for renewal some seconds after start', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
    try {
      service.call.mockResolvedValue({ due: 2, checkedAt: new Date().toISOString() });
      startDesktopApp();
      app.becomeReady();
      await vi.advanceTimersByTimeAsync(20_000);
      expect(service.call).toHaveBeenCalledWith('countRenewalDue', {});
      expect(Notification.shown.map((n) => n.options.title)).toEqual(['2 certificates are due for renewal']);
      // A click opens the certificates due, in the app's own page.
      Notification.shown[0]!.emit('click');
      expect((BrowserWindow.created[0] as BrowserWindow).loadedUrl).toBe(`file://${RENDERER_INDEX_HTML}#/certificates?due=renewal`);
      app.emit('before-quit', { preventDefault: () => undefined });
      await vi.advanceTimersByTimeAsync(2 * 86_400_000);
      expect(service.call).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('hardens every web contents Electron creates', async () => {
    await started();
    const contents = new FakeWebContents('file:///somewhere/else.html');
    app.emit('web-contents-created', {}, contents);
    expect(contents.fireCancellable('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('brings the first window forward when a second instance starts', async () => {
    const window = (await started()).mainWindow() as unknown as BrowserWindow;
    window.minimized = true;
    app.emit('second-instance');
    expect(window.restore).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
  });

  it('closes the service before quitting', async () => {
    await started();
    let prevented = false;
    app.emit('before-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledOnce());
    expect(service.close).toHaveBeenCalledOnce();
    // The second before-quit (from that app.quit) goes through.
    let preventedAgain = false;
    app.emit('before-quit', { preventDefault: () => (preventedAgain = true) });
    expect(preventedAgain).toBe(false);
  });

  it('tells the user why and exits when the satellite cannot start', async () => {
    satellite.createSatellite.mockRejectedValueOnce(new Error('the OS keychain is locked; unlock it and start again'));
    startDesktopApp();
    app.becomeReady();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(dialog.showErrorBox).toHaveBeenCalledWith('Keypair Satellite could not start', expect.stringContaining('the OS keychain is locked'));
    expect(BrowserWindow.created).toHaveLength(0);
  });
});
