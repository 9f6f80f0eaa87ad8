import { ipcRenderer } from 'electron';
import { SATELLITE_IPC_CHANNELS, type SatellitePreloadApi } from '../shared/preload-api';

// The renderer's only door to the main process: four functions on fixed channels. ipcRenderer
// itself is never exposed, so page script can neither pick a channel nor listen to one.
export const satellitePreloadApi: SatellitePreloadApi = {
  rpc: (method, input) => ipcRenderer.invoke(SATELLITE_IPC_CHANNELS.rpc, method, input),
  downloadCertificate: (input) => ipcRenderer.invoke(SATELLITE_IPC_CHANNELS.downloadCertificate, input),
  downloadKeystore: (input) => ipcRenderer.invoke(SATELLITE_IPC_CHANNELS.downloadKeystore, input),
  downloadDekBackup: (input) => ipcRenderer.invoke(SATELLITE_IPC_CHANNELS.downloadDekBackup, input),
};
