import type { DownloadCertificateInput, DownloadKeystoreInput, ExportSummary } from '../../shared';

/**
 * What the Electron preload exposes as `window.satellite`. Declared here until
 * src/shared/preload-api.ts lands; the shapes must stay identical.
 */
export interface SatellitePreloadApi {
  rpc(method: string, input: unknown): Promise<unknown>;
  downloadCertificate(input: DownloadCertificateInput): Promise<ExportSummary | null>;
  downloadKeystore(input: DownloadKeystoreInput): Promise<ExportSummary | null>;
}

declare global {
  interface Window {
    satellite?: SatellitePreloadApi;
  }
}
