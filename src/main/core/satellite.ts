import type { SatelliteService } from './service';

// Placeholder written by the Electron-shell work so src/main/app compiles: the core's
// implementation replaces this file with the real factory (same names and signature).

export interface SatelliteOptions {
  /** Where the store, vault and logs live (the Electron app passes app.getPath('userData')). */
  dataDir: string;
  /** Where the DEK is kept: the OS keychain, or a passphrase-wrapped file. */
  dekStore: 'keychain' | 'file';
  /** Unlocks the file DEK store; never logged. */
  dekPassphrase?: string;
}

export async function createSatellite(options: SatelliteOptions): Promise<SatelliteService> {
  throw new Error(`createSatellite is not implemented yet (dataDir ${options.dataDir}); the core's satellite factory replaces this placeholder.`);
}
