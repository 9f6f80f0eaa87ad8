import type { SatelliteClient } from '../../shared';
import { createHttpClient } from './http-client';
import { createIpcClient } from './ipc-client';
import { createWebSession, type WebSession } from './web-session';
import './transport-api';

export { SatelliteError, toSatelliteError } from './satellite-error';
export { createHttpClient } from './http-client';
export { createIpcClient } from './ipc-client';
export { createWebSession, type WebSession } from './web-session';

/** IPC inside Electron (the preload defined window.satellite); HTTP in a browser, which signs in first. */
export function createClient(): { client: SatelliteClient; session?: WebSession } {
  if (window.satellite) return { client: createIpcClient(window.satellite) };
  const session = createWebSession();
  return { client: createHttpClient({ session }), session };
}
