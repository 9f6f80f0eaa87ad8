import { BrowserWindow, type Session, type WebContents } from 'electron';
import { isAppPageUrl, type AppPage } from './app-url';

export interface WindowOptionsInput {
  /** DevTools only in unpackaged builds. */
  devTools: boolean;
  darkMode: boolean;
}

/**
 * The main window. Every webPreferences entry is a security decision (window.spec.ts asserts them
 * on the options Electron receives); they are written out in the constructor call itself so that
 * Electronegativity's static checks can see them. The bridge preload is not here: it is registered
 * on the session (bridge-preload.ts).
 */
export function createMainWindow({ devTools, darkMode }: WindowOptionsInput, page: AppPage): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: 'Keypair Satellite',
    // Shown on ready-to-show so the user never sees a blank white frame.
    show: false,
    backgroundColor: darkMode ? '#1a1b1e' : '#ffffff',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // A middle click must not open links in new windows behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick',
      devTools,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(page.url);
  return window;
}


/** Navigation, new windows and webviews: the window shows the app's own page and nothing else. */
export function hardenWebContents(contents: WebContents, page: AppPage): void {
  const stayOnAppPage = (event: { preventDefault(): void }, url: string) => {
    if (!isAppPageUrl(page, url)) event.preventDefault();
  };
  contents.on('will-navigate', stayOnAppPage);
  contents.on('will-redirect', stayOnAppPage);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The UI links nowhere outside itself, so no window is opened and nothing is handed to the OS
  // browser (the Help menu opens its one fixed documentation URL itself).
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

// Writing to the clipboard ("Copy PEM") is the one permission the app's own page may use: it is
// write-only and sanitised. Everything else (camera, geolocation, notifications, clipboard read...) is refused.
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(page: AppPage, permission: string, pageUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && pageUrl !== undefined && isAppPageUrl(page, pageUrl);
}

export function installPermissionHandlers(session: Session, page: AppPage): void {
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(isPermissionAllowed(page, permission, contents.getURL()));
  });
  session.setPermissionCheckHandler((contents, permission) => isPermissionAllowed(page, permission, contents?.getURL()));
}
