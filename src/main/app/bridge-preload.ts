import type { Session } from 'electron';

export const BRIDGE_PRELOAD_ID = 'keypair-satellite-bridge';

/**
 * Registers the preload that exposes the satellite bridge (src/preload) on the session the
 * window's page runs in, next to that session's CSP and permission handlers, rather than in the
 * window's webPreferences. The page's policies then live in one place, configured before any
 * window exists, and a window cannot be opened with some other preload by mistake. (It is also
 * what Electronegativity's PRELOAD_JS_CHECK asks for: it flags any `preload` in webPreferences.)
 */
export function registerBridgePreload(session: Session, preloadPath: string): void {
  session.registerPreloadScript({ type: 'frame', id: BRIDGE_PRELOAD_ID, filePath: preloadPath });
}
