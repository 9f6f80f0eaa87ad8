import type { SatellitePreloadApi } from '../../shared';

// window.satellite exists only inside Electron, where the preload defines it.
declare global {
  interface Window {
    satellite?: SatellitePreloadApi;
  }
}

export type { SatellitePreloadApi };
