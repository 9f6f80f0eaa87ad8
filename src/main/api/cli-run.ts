import { mkdirSync } from 'node:fs';
import { satelliteLogger, type Logger } from '../core/common/log';
import type { SatelliteService } from '../core/service';
import type { TrustStoreOverrides } from '../core/trust/trust-stores';

// What the two things `npm run serve` can run (the headless server, a DEK command) are handed:
// how to open the satellite, and where to write what they say.

export interface ServiceFactoryOptions {
  dataDir: string;
  dekStore: 'keychain' | 'file';
  dekPassphrase?: string;
  apiKey?: string;
  log: Logger;
  /** Who takes the data directory, as a second satellite refused on it is told. */
  holder: string;
  /** The PKI listener's base URL, written into the certificates the built-in CA issues. */
  pkiBaseUrl?: string;
  /** Name constraints for a new built-in CA. */
  caNameConstraints?: { dns: string[]; ip: string[] };
  /** How often the renewal and install scheduler looks. */
  automationTickMs?: number;
  /** --trust-home, --trust-sysroot, --trust-java-cacerts: the stores "Trust on this computer" writes instead of this user's and this machine's. */
  trustStores?: TrustStoreOverrides;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Opens the satellite over the data directory for a one-shot command (a DEK, trust or CA command),
 * serving nothing; `holder` is how a second satellite refused on the directory is told about it.
 */
export async function openForCommand(
  options: { dataDir: string; dekStore: 'keychain' | 'file'; dekPassphrase?: string; apiKey?: string; trustStores?: TrustStoreOverrides; pkiBaseUrl?: string },
  createService: (o: ServiceFactoryOptions) => Promise<SatelliteService>,
  holder: string,
): Promise<SatelliteService> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const log = satelliteLogger(options.dataDir);
  return createService({ dataDir: options.dataDir, dekStore: options.dekStore, dekPassphrase: options.dekPassphrase, apiKey: options.apiKey, log, holder, trustStores: options.trustStores, pkiBaseUrl: options.pkiBaseUrl });
}
