import { basename, dirname, join, resolve } from 'node:path';
import type { DekStore } from '../dek-store';
import { fileDekStore, type FileDekStoreOptions } from '../file/file-dek-store';
import { DEFAULT_KEYCHAIN_ACCOUNT, keychainDekStore, type KeychainDekStoreOptions } from '../keychain';

/** The rotation's new DEK waits here until every blob is under it (see dek-rotation.ts). */
export const PENDING_KEYCHAIN_SUFFIX = '.next';
export const PENDING_DEK_FILE_NAME = 'dek.next.json';

/** The keychain entry beside the current one: account "data-encryption-key.next". */
export function pendingKeychainDekStore(options: KeychainDekStoreOptions = {}): DekStore {
  return keychainDekStore({ ...options, account: `${options.account ?? DEFAULT_KEYCHAIN_ACCOUNT}${PENDING_KEYCHAIN_SUFFIX}` });
}

/** "dek.next.json" in the directory of the file store at `currentPath`, under the same passphrase. */
export function pendingFileDekStore(currentPath: string, passphrase: string, options: FileDekStoreOptions = {}): DekStore {
  if (basename(resolve(currentPath)) === PENDING_DEK_FILE_NAME) {
    throw new Error(`The DEK file may not be named ${PENDING_DEK_FILE_NAME} (${currentPath}): that name is kept for the DEK a rotation makes. Rename it, e.g. dek.json.`);
  }
  return fileDekStore(join(dirname(resolve(currentPath)), PENDING_DEK_FILE_NAME), passphrase, options);
}
