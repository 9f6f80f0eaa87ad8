import type { EntryOptions } from '@napi-rs/keyring';

/** What differs between operating systems: the backend's name, how to pin it, how to fix it. */
export interface KeychainPlatform {
  backend: string;
  entryOptions?: EntryOptions;
  /** The fix for a failure whose platform message is `message`. */
  fixFor(message: string): string;
  /** A short statement of what went wrong, from the platform message. */
  problemFor(message: string): string;
}

export const HEADLESS_FIX = 'or run headless with --dek-store file (the DEK wrapped under a passphrase)';
