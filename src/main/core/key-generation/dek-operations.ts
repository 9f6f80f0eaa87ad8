import { ERROR_CODES } from '../../../shared/error-codes';
import type { KeyGenerationServiceStatus } from '../../../shared/services-status';
import { DekStoreUnavailableError } from '../dek';
import type { DekBackupExport } from '../service';
import {
  DekBackupFormatError,
  DekBackupMismatchError,
  DekBackupPassphraseError,
  DekBackupPassphraseTooShortError,
  DekLifecycleError,
  DekMissingError,
  DekRestoreConflictError,
  type DekLifecycle,
} from '../dek-lifecycle';
import { SatelliteError } from '../common/errors';
import type { KeyGenerationService } from './key-generation-service';

export interface DekOperationsDeps {
  lifecycle: DekLifecycle;
  keyGeneration: KeyGenerationService;
  /** Told after the DEK may have changed (restore, rotation), so what holds the old one reopens. */
  onDekChanged(): void;
}

const ROTATION_UNDER_WAY = 'A DEK rotation is under way: keys cannot be made or opened until it ends (a few seconds). Retry then.';

/**
 * DEK backup, restore and rotation as every front end calls them: one at a time, refusals as
 * SatelliteErrors that say what to do, and the key generation service following the DEK.
 */
export class DekOperations {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: DekOperationsDeps) {}

  /** The bytes of a backup of the current DEK under `passphrase`. */
  backup(passphrase: string): Promise<{ bytes: Buffer; dekHash: string; createdAt: string }> {
    return this.exclusive(() => this.deps.lifecycle.backupBytes(passphrase));
  }

  /** A backup as the file the user saves: its bytes, name and what protects it. */
  async backupExport(passphrase: string): Promise<DekBackupExport> {
    const { bytes, dekHash, createdAt } = await this.backup(passphrase);
    const summary = {
      fileName: `keypair-satellite-dek-${dekHash.slice(0, 12)}-${createdAt.slice(0, 10)}.json`,
      mediaType: 'application/json',
      scheme: `DEK ${dekHash.slice(0, 12)}… wrapped with scrypt + AES-256-GCM`,
      sizeBytes: bytes.length,
    };
    return { bytes, summary, dekHash, createdAt };
  }

  /** Records a saved backup; the Services page stops warning. */
  recordBackup(createdAt: string): Promise<void> {
    return this.exclusive(async () => {
      this.deps.lifecycle.recordBackup(createdAt);
      await this.deps.keyGeneration.refresh();
    });
  }

  /** Puts the DEK from a backup into the DEK store; refused, with nothing changed, for a wrong passphrase or another DEK. */
  restore(backup: Uint8Array, passphrase: string): Promise<KeyGenerationServiceStatus> {
    return this.exclusive(async () => {
      await this.deps.lifecycle.restoreBytes(backup, passphrase);
      const status = await this.deps.keyGeneration.refresh();
      this.deps.onDekChanged();
      return status;
    });
  }

  /**
   * Reads the DEK store again: a DEK deleted from the keychain (or restored there) while the
   * satellite runs is reported as it is now, not as it was at start.
   */
  recheck(): Promise<KeyGenerationServiceStatus> {
    return this.exclusive(async () => {
      const before = this.deps.keyGeneration.status;
      const after = await this.deps.keyGeneration.refresh();
      if (before.active !== after.active || before.dekHash !== after.dekHash) this.deps.onDekChanged();
      return after;
    });
  }

  /** A new DEK with every sealed blob rewrapped; the DEK is held from every other use meanwhile. */
  rotate(): Promise<{ dekHash: string; movedBlobs: number }> {
    return this.exclusive(async () => {
      const { keyGeneration } = this.deps;
      keyGeneration.requireDek();
      keyGeneration.hold(ROTATION_UNDER_WAY);
      try {
        const result = await this.deps.lifecycle.rotate();
        return { dekHash: result.newDekHash, movedBlobs: result.moved };
      } finally {
        await keyGeneration.refresh();
        this.deps.onDekChanged();
      }
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work).catch((error: unknown) => {
      throw toSatelliteError(error);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The lifecycle's refusals as the errors front ends show: the field at fault, the status that fits. */
export function toSatelliteError(error: unknown): unknown {
  if (error instanceof SatelliteError || !(error instanceof Error)) return error;
  const refuse = (code: number, status: SatelliteError['httpStatus'], field?: string) =>
    new SatelliteError(code, error.message, status, field ? { field } : undefined);
  if (error instanceof DekBackupPassphraseError || error instanceof DekBackupPassphraseTooShortError) return refuse(ERROR_CODES.VALIDATION, 400, 'passphrase');
  if (error instanceof DekBackupFormatError) return refuse(ERROR_CODES.VALIDATION, 400, 'backupBase64');
  if (error instanceof DekBackupMismatchError) return refuse(ERROR_CODES.CONFLICT, 409, 'backupBase64');
  if (error instanceof DekMissingError) return refuse(ERROR_CODES.DEK_UNAVAILABLE, 503);
  if (error instanceof DekRestoreConflictError || error instanceof DekLifecycleError) return refuse(ERROR_CODES.CONFLICT, 409);
  if (error instanceof DekStoreUnavailableError) return refuse(ERROR_CODES.DEK_UNAVAILABLE, 503);
  return error;
}
