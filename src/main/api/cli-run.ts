import type { Logger } from '../core/common/log';

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
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}
