import { app, BrowserWindow, dialog, nativeTheme, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PKI_PORT } from '../core/ca/builtin/pki-paths';
import { startPkiServer, type PkiServer } from '../api/pki-server';
import { createSatellite } from '../core/satellite';
import type { SatelliteService } from '../core/service';
import { fileLogger, type Logger } from '../core/common/log';
import { RENEWAL_DUE_ROUTE } from '../../shared/renewal';
import { appPageUrlAt, resolveAppPage, type AppPage } from './app-url';
import { contentSecurityPolicyFor, installContentSecurityPolicy } from './csp';
import { registerSatelliteIpc } from './ipc';
import { installApplicationMenu } from './menu';
import { notifyAutomationFailures, notifyRequestOutcomes, remindRenewalsDue } from './notifications';
import { registerBridgePreload } from './bridge-preload';
import { createMainWindow, hardenWebContents, installPermissionHandlers } from './window';

// Built layout (electron-vite): out/main/index.js, out/preload/index.cjs, out/renderer/index.html.
const outDir = fileURLToPath(new URL('..', import.meta.url));
export const PRELOAD_PATH = join(outDir, 'preload', 'index.cjs');
export const RENDERER_INDEX_HTML = join(outDir, 'renderer', 'index.html');

export interface DesktopApp {
  mainWindow(): BrowserWindow | null;
}

/** Single instance, then the service, the policies, the IPC and the window. Returns null in a second instance, which quits. */
export function startDesktopApp(): DesktopApp | null {
  // Every renderer sandboxed, whatever its webPreferences say.
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  let window: BrowserWindow | null = null;
  let service: SatelliteService | null = null;
  const page: AppPage = resolveAppPage({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL, rendererIndexHtml: RENDERER_INDEX_HTML });

  const focusWindow = () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  const openWindow = () => {
    window = createMainWindow({ devTools: !app.isPackaged, darkMode: nativeTheme.shouldUseDarkColors }, page);
    window.on('closed', () => {
      window = null;
    });
  };

  app.on('second-instance', focusWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, page));

  app.on('window-all-closed', () => {
    // macOS apps stay in the Dock with no window; elsewhere closing the window ends the app.
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (service && BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  let closing = false;
  let stopReminders = () => {};
  let pki: PkiServer | undefined;
  app.on('before-quit', (event) => {
    stopReminders();
    if (!service || closing) return;
    // Let the store flush and the pipeline stop before the process ends.
    event.preventDefault();
    closing = true;
    void Promise.resolve(pki?.close())
      .then(() => service?.close())
      .finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    const dataDir = app.getPath('userData');
    const log: Logger = fileLogger(join(dataDir, 'logs', 'desktop.log'));
    // The PKI listener (CRL, CA certificates, OCSP) on this machine, so the certificates the
    // built-in CA issues name where clients check them; a port in use means they name nothing.
    pki = await startPkiServer({ host: '127.0.0.1', port: DEFAULT_PKI_PORT, log }).catch((error: unknown) => {
      log.log('warn', 'PKI listener not started: certificates name no CRL or OCSP location', { port: DEFAULT_PKI_PORT, message: (error as Error).message });
      return undefined;
    });
    try {
      service = await createSatellite({ dataDir, dekStore: 'keychain', holder: 'the desktop app', ...(pki ? { pkiBaseUrl: pki.url } : {}) });
      pki?.serve(service);
    } catch (error) {
      await pki?.close();
      log.log('error', 'the satellite service did not start', { error: error instanceof Error ? error.message : String(error) });
      dialog.showErrorBox('Keypair Satellite could not start', `${error instanceof Error ? error.message : String(error)}\n\nThe log is in ${join(dataDir, 'logs')}.`);
      app.exit(1);
      return;
    }
    installContentSecurityPolicy(session.defaultSession, contentSecurityPolicyFor(page));
    installPermissionHandlers(session.defaultSession, page);
    registerBridgePreload(session.defaultSession, PRELOAD_PATH);
    registerSatelliteIpc({ service, page, mainWindow: () => window, downloadsDirectory: () => app.getPath('downloads'), log });
    notifyRequestOutcomes(service, focusWindow);
    notifyAutomationFailures(service, focusWindow);
    // Clicking the reminder opens the certificates due, in the page already loaded (a hash change).
    const showDueCertificates = () => {
      focusWindow();
      if (window && !window.isDestroyed()) void window.loadURL(appPageUrlAt(page, RENEWAL_DUE_ROUTE));
    };
    stopReminders = remindRenewalsDue(service, showDueCertificates, log);
    installApplicationMenu({ platform: process.platform, isPackaged: app.isPackaged, appName: app.getName() });
    openWindow();
  });

  return { mainWindow: () => window };
}
