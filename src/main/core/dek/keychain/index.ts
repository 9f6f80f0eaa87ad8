import { AsyncEntry } from '@napi-rs/keyring';
import { DekStoreUnavailableError, type DekStore, type StoredDek } from '../dek-store';
import { decodeStoredDek, encodeStoredDek } from '../stored-dek-json';
import { darwinKeychain } from './darwin';
import type { KeychainPlatform } from './keychain-platform';
import { linuxKeychain } from './linux';
import { win32Keychain } from './win32';

export const DEFAULT_KEYCHAIN_SERVICE = 'Keypair Satellite';
export const DEFAULT_KEYCHAIN_ACCOUNT = 'data-encryption-key';

export interface KeychainDekStoreOptions {
  /** Keychain service name; tests pass a unique one. */
  service?: string;
  /** Keychain account (user name) of the entry. */
  account?: string;
  platform?: NodeJS.Platform;
}

export function keychainPlatform(platform: NodeJS.Platform = process.platform): KeychainPlatform {
  if (platform === 'darwin') return darwinKeychain;
  if (platform === 'win32') return win32Keychain;
  // Linux and the BSDs: the freedesktop Secret Service.
  return linuxKeychain;
}

/** The DEK in the OS keychain, through @napi-rs/keyring. */
export function keychainDekStore(options: KeychainDekStoreOptions = {}): DekStore {
  const service = options.service ?? DEFAULT_KEYCHAIN_SERVICE;
  const account = options.account ?? DEFAULT_KEYCHAIN_ACCOUNT;
  const platform = keychainPlatform(options.platform);

  const unavailable = (action: string, err: unknown): DekStoreUnavailableError => {
    const message = err instanceof Error ? err.message : String(err);
    return new DekStoreUnavailableError(
      platform.backend,
      `could not ${action} the entry "${account}" of service "${service}": ${platform.problemFor(message)}`,
      platform.fixFor(message),
      { cause: err },
    );
  };

  // The constructor itself talks to D-Bus on Linux, so it belongs inside the error mapping.
  const withEntry = async <T>(action: string, run: (entry: AsyncEntry) => Promise<T>): Promise<T> => {
    try {
      return await run(new AsyncEntry(service, account, platform.entryOptions));
    } catch (err) {
      throw unavailable(action, err);
    }
  };

  return {
    kind: 'keychain',
    backend: platform.backend,
    async read(): Promise<StoredDek | null> {
      const text = await withEntry('read', (e) => e.getPassword());
      if (text === null) return null;
      const decoded = decodeStoredDek(text);
      if ('problem' in decoded) {
        throw new DekStoreUnavailableError(
          platform.backend,
          `the entry "${account}" of service "${service}" is not a Keypair Satellite DEK: ${decoded.problem}`,
          'restore the DEK from a backup, or remove that entry if no key was ever sealed under it',
        );
      }
      return decoded;
    },
    async write(dek: StoredDek): Promise<void> {
      const text = encodeStoredDek(dek);
      await withEntry('write', (e) => e.setPassword(text));
    },
    async remove(): Promise<void> {
      await withEntry('remove', (e) => e.deleteCredential());
    },
  };
}
