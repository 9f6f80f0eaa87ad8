// The DEK: its stores (keychain, file), the DEK held for sealing, and its lifecycle (backup,
// restore, rotation), all behind DekService.
export { DekService, toSatelliteError, type DekServiceOptions } from './dek-service';
export { DekHolder, type SealedInventory } from './dek-holder';
export { DekStoreUnavailableError, DEK_LENGTH, type DekStore, type StoredDek } from './dek-store';
export { keychainDekStore, keychainPlatform, DEFAULT_KEYCHAIN_ACCOUNT, DEFAULT_KEYCHAIN_SERVICE, type KeychainDekStoreOptions } from './keychain';
export { fileDekStore, passphraseFromEnv, DekFilePassphraseError, DEK_PASSPHRASE_ENV, MIN_PASSPHRASE_LENGTH, type FileDekStoreOptions } from './file/file-dek-store';
export { openDek, DataEncryptionKey, SealedBoxOpenError } from './data-encryption-key';
export * from './lifecycle';
