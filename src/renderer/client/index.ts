import type { SatelliteClient } from '../../shared';
import { createHttpClient } from './http-client';
import { createIpcClient } from './ipc-client';
import './transport-api';

export { SatelliteError, toSatelliteError } from './satellite-error';
export { createHttpClient } from './http-client';
export { createIpcClient } from './ipc-client';

/** IPC inside Electron (the preload defined window.satellite), HTTP in a browser. */
export function createClient(): SatelliteClient {
  return window.satellite ? createIpcClient(window.satellite) : createHttpClient();
}
