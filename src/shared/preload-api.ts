import type { ClientError, DownloadCertificateInput, DownloadDekBackupInput, DownloadKeystoreInput, RpcInput, RpcMethod, RpcOutputs } from './client';
import type { ExportSummary } from './exports';

// The contract between the Electron preload (window.satellite) and the renderer's IPC transport.
// Results come back as an envelope rather than a rejected promise: contextBridge copies only
// the message of a thrown Error, and the UI needs the whole `{errors: [...]}` to show every
// field's message at once.

/** The IPC channels the preload invokes; the main process registers exactly these. */
export const SATELLITE_IPC_CHANNELS = {
  rpc: 'satellite:rpc',
  downloadCertificate: 'satellite:download-certificate',
  downloadKeystore: 'satellite:download-keystore',
  downloadDekBackup: 'satellite:download-dek-backup',
} as const;
export type SatelliteIpcChannel = (typeof SATELLITE_IPC_CHANNELS)[keyof typeof SATELLITE_IPC_CHANNELS];

/** What every IPC call resolves to: the value, or the cloud-shaped error. It never rejects for a refused call. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ClientError };

/** The global name the preload exposes: `window.satellite`. */
export const SATELLITE_PRELOAD_GLOBAL = 'satellite';

/** `window.satellite` in the Electron renderer. The renderer never sees key bytes, passphrases after submit, or the DEK. */
export interface SatellitePreloadApi {
  rpc<M extends RpcMethod>(method: M, input: RpcInput<M>): Promise<IpcResult<RpcOutputs[M]>>;
  /** The main process asks where to save and writes the file; `value` is null when the user cancelled. */
  downloadCertificate(input: DownloadCertificateInput): Promise<IpcResult<ExportSummary | null>>;
  downloadKeystore(input: DownloadKeystoreInput): Promise<IpcResult<ExportSummary | null>>;
  downloadDekBackup(input: DownloadDekBackupInput): Promise<IpcResult<ExportSummary | null>>;
}
