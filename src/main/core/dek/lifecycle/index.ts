export { DekLifecycle, type DekLifecycleDeps } from './dek-lifecycle';
export {
  backupDek,
  openDekBackup,
  readDekBackupHeader,
  writeDekBackup,
  DEK_BACKUP_FORMAT,
  DEK_BACKUP_VERSION,
  type DekBackupHeader,
  type DekBackupOptions,
  type DekBackupSummary,
} from './dek-backup';
export { restoreDek, requiredDekHash, type RestoreOptions, type RestoreResult } from './dek-restore';
export { rotateDek, resumeRotation, type RotationEvent, type RotationOptions, type RotationResult } from './dek-rotation';
export { pendingFileDekStore, pendingKeychainDekStore, PENDING_DEK_FILE_NAME, PENDING_KEYCHAIN_SUFFIX } from './pending-dek-store';
export { inventoryBlobRepository } from './inventory-blob-repository';
export type { ReplaceOutcome, SealedBlobKind, SealedBlobRef, SealedBlobRepository } from './sealed-blob-repository';
export {
  DekLifecycleError,
  DekBackupPassphraseError,
  DekBackupFormatError,
  DekBackupMismatchError,
  DekBackupPassphraseTooShortError,
  DekRestoreConflictError,
  DekMissingError,
} from './errors';
export { DEK_HASH_META, LAST_BACKUP_META } from './meta-keys';
