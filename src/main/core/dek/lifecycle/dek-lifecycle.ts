import { readFile } from 'node:fs/promises';
import type { DekStore } from '../dek-store';
import { DEK_HASH_META, LAST_BACKUP_META } from './meta-keys';
import { backupDek, readDekBackupHeader, writeDekBackup, type DekBackupOptions, type DekBackupSummary } from './dek-backup';
import { readDek } from './dek-material';
import { restoreDek, type RestoreOptions, type RestoreResult } from './dek-restore';
import { resumeRotation, rotateDek, type RotationOptions, type RotationResult } from './dek-rotation';
import { DekLifecycleError, DekMissingError } from './errors';
import type { SealedBlobRepository } from './sealed-blob-repository';

export interface DekLifecycleDeps {
  /** The DEK store the satellite uses (keychain or file). */
  current: DekStore;
  /** Where a rotation keeps the new DEK meanwhile: pendingKeychainDekStore / pendingFileDekStore. */
  pending: DekStore;
  repository: SealedBlobRepository;
  /** Backup scrypt cost; tests pass 2^14. */
  backupScryptN?: number;
  now?: () => Date;
  onRotationProgress?: RotationOptions['onProgress'];
}

/**
 * Backup, restore and rotation of the DEK, as the service layer (Settings, CLI, API) calls them.
 * Call `resumeIfInterrupted` at start, before the key generation service opens the DEK. After a
 * `restore` or `rotate`, reopen the key generation service: the DEK it holds may have changed.
 */
export class DekLifecycle {
  constructor(private readonly deps: DekLifecycleDeps) {}

  /** Writes a passphrase-wrapped backup of the current DEK to `path` (0600) and records the date. */
  async backup(path: string, passphrase: string): Promise<DekBackupSummary> {
    await this.assertBackupable();
    const options: DekBackupOptions = { scryptN: this.deps.backupScryptN, now: this.deps.now };
    return writeDekBackup(path, this.deps.current, passphrase, this.deps.repository, options);
  }

  /**
   * The bytes of a backup of the current DEK, for a front end that saves them itself (a save
   * dialog, an HTTP download). Records nothing: call `recordBackup` once the file is saved.
   */
  async backupBytes(passphrase: string): Promise<{ bytes: Buffer; dekHash: string; createdAt: string }> {
    await this.assertBackupable();
    const bytes = await backupDek(this.deps.current, passphrase, { scryptN: this.deps.backupScryptN, now: this.deps.now });
    const header = readDekBackupHeader(bytes);
    return { bytes, dekHash: header.dekHash, createdAt: header.createdAt };
  }

  /** Records `createdAt` (a backup's own date) as the last backup, shown on the Services page. */
  recordBackup(createdAt: string): void {
    this.deps.repository.setMeta(LAST_BACKUP_META, createdAt);
  }

  /** Restores the DEK from the bytes of a backup file (see restoreDek). */
  async restoreBytes(backup: Uint8Array, passphrase: string, options: RestoreOptions = {}): Promise<RestoreResult> {
    return restoreDek(backup, passphrase, this.deps.current, this.deps.repository, options);
  }

  private async assertBackupable(): Promise<void> {
    const { current, pending, repository } = this.deps;
    if (await pending.read()) {
      throw new DekLifecycleError('A DEK rotation is not finished yet; a backup now would hold a DEK about to be retired.', 'restart the satellite to finish the rotation, then back up.');
    }
    const dek = await readDek(current);
    const recorded = repository.getMeta(DEK_HASH_META);
    if (!dek) throw new DekMissingError(current.backend, recorded);
    if (recorded && recorded !== dek.dekHash) {
      throw new DekLifecycleError(
        `${current.backend} holds DEK ${dek.dekHash}, but the stored keys are sealed under DEK ${recorded}; a backup of it would not protect them.`,
        `restore DEK ${recorded} from its backup first.`,
      );
    }
  }

  /** Restores the DEK from the backup file at `path` into the current store (see restoreDek). */
  async restore(path: string, passphrase: string, options: RestoreOptions = {}): Promise<RestoreResult> {
    return restoreDek(await readFile(path), passphrase, this.deps.current, this.deps.repository, options);
  }

  /** A new DEK with every blob rewrapped under it; crash-safe (see dek-rotation.ts). */
  async rotate(): Promise<RotationResult> {
    return rotateDek(this.deps.current, this.deps.pending, this.deps.repository, this.rotationOptions());
  }

  /** Finishes a rotation a crash interrupted; null when there was none. */
  async resumeIfInterrupted(): Promise<RotationResult | null> {
    return resumeRotation(this.deps.current, this.deps.pending, this.deps.repository, this.rotationOptions());
  }

  private rotationOptions(): RotationOptions {
    return { onProgress: this.deps.onRotationProgress, now: this.deps.now };
  }
}
