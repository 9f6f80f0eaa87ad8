import { fileURLToPath, pathToFileURL } from 'node:url';

// Where the window's own page lives, and the one test of "is this our page?" that navigation
// limits and the IPC sender check share. Dev builds load electron-vite's dev server (it sets
// ELECTRON_RENDERER_URL); packaged builds load out/renderer/index.html from disk.

export type AppPage = { kind: 'file'; url: string; path: string } | { kind: 'dev-server'; url: string; origin: string };

export interface AppPageSource {
  isPackaged: boolean;
  /** electron-vite's dev server URL, honoured only in unpackaged builds. */
  devServerUrl?: string | undefined;
  /** Absolute path of the built renderer's index.html. */
  rendererIndexHtml: string;
}

export function resolveAppPage(source: AppPageSource): AppPage {
  if (!source.isPackaged && source.devServerUrl) {
    const url = new URL(source.devServerUrl);
    if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
      throw new Error(`ELECTRON_RENDERER_URL must be an http URL on localhost, got ${source.devServerUrl}; unset it to load the built renderer.`);
    }
    return { kind: 'dev-server', url: url.href, origin: url.origin };
  }
  const url = pathToFileURL(source.rendererIndexHtml);
  return { kind: 'file', url: url.href, path: fileURLToPath(url) };
}

/** The app's page at one of the UI's hash routes (src/renderer/app/routes.ts). */
export function appPageUrlAt(page: AppPage, route: `#/${string}`): string {
  return page.url.replace(/#.*$/, '') + route;
}

/** True when `candidate` is the app's own page (any hash or query: the renderer routes with them). */
export function isAppPageUrl(page: AppPage, candidate: string): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (page.kind === 'dev-server') return url.origin === page.origin;
  if (url.protocol !== 'file:' || url.host !== '') return false;
  return fileURLToPath(url) === page.path;
}
