import { ERROR_CODES } from '../../../shared/error-codes';
import type { KeyGenerationServiceStatus } from '../../../shared/services-status';
import type { ExportResult } from '../exports/types';
import { SatelliteError } from '../common/errors';
import type { Logger } from '../common/log';
import type { Sealer } from '../vault/sealer';
import type { DataEncryptionKey } from './data-encryption-key';
import { DekHolder, type SealedInventory } from './dek-holder';
import { DekStoreUnavailableError, type DekStore } from './dek-store';
import {
  DekBackupFormatError,
  DekBackupMismatchError,
  DekBackupPassphraseError,
  DekBackupPassphraseTooShortError,
  DekLifecycle,
  DekLifecycleError,
  DekMissingError,
  DekRestoreConflictError,
  type SealedBlobRepository,
} from './lifecycle';

export interface DekServiceOptions {
  /** The DEK store the satellite uses (keychain or file). */
  current: DekStore;
  /** Where a rotation keeps the new DEK meanwhile (pendingKeychainDekStore / pendingFileDekStore). */
  pending: DekStore;
  /** Every sealed blob, for rotation and restore checks, and the meta rows that name the DEK. */
  repository: SealedBlobRepository & SealedInventory;
  log: Logger;
  /** Told after the DEK may have changed (restore, rotation, recheck), so what holds the old one reopens. */
  onDekChanged(): void;
}

/** The cloud's edgeencryptionkeys entry: the X25519 public key clients seal passphrases to. */
export interface EdgeEncryptionKey {
  id: string;
  /** base64 of the 32-byte X25519 public key. */
  key: string;
  keyAlgorithm: 'X25519';
  lastBackupDate?: string;
}

/** A DEK backup file's bytes; `createdAt` is what to record once the file is saved. */
export interface DekBackupExport extends ExportResult {
  dekHash: string;
  createdAt: string;
}

const ROTATION_UNDER_WAY = 'A DEK rotation is under way: keys cannot be made or opened until it ends (a few seconds). Retry then.';

/** How long work that needs the DEK waits for a rotation to end before it is refused (503, retry). */
export const ROTATION_WAIT_MS = 60_000;


/**
 * The DEK, everything done with it and to it: the DEK held for sealing (and its status, the
 * Services page's key generation service), the edge key clients seal passphrases to, and backup,
 * restore and rotation as every front end calls them: one at a time, refusals as SatelliteErrors
 * that say what to do, the held DEK following every change.
 */
export class DekService {
  private queue: Promise<unknown> = Promise.resolve();
  /** Work under way that seals or opens with the DEK (withDek); a rotation starts once it is 0. */
  private leases = 0;
  private onLeasesDrained: (() => void)[] = [];
  /** Set while a rotation runs: withDek waits on it instead of failing. */
  private rotation: Promise<void> | undefined;

  private constructor(
    private readonly lifecycle: DekLifecycle,
    private readonly holder: DekHolder,
    private readonly onDekChanged: () => void,
  ) {}

  /** Finishes a rotation a crash interrupted, then opens the DEK store. */
  static async open(options: DekServiceOptions): Promise<DekService> {
    const { current, pending, repository, log } = options;
    const lifecycle = new DekLifecycle({
      current,
      pending,
      repository,
      onRotationProgress: (event) => event.phase !== 'blob-moved' && log.log('info', 'DEK rotation', { ...event }),
    });
    await lifecycle.resumeIfInterrupted().catch((error) => log.log('error', 'could not finish an interrupted DEK rotation', { message: (error as Error).message }));
    const holder = await DekHolder.open(current, repository);
    log.log(holder.active ? 'info' : 'warn', 'key generation service', { active: holder.active, reason: holder.status.reason });
    return new DekService(lifecycle, holder, options.onDekChanged);
  }

  /** The key generation service as the Services page shows it. */
  get status(): KeyGenerationServiceStatus {
    return this.holder.status;
  }

  /** Keys can be made and opened now. */
  get active(): boolean {
    return this.holder.active;
  }

  /** The DEK, or a 503 naming why it is unavailable and what to do. */
  requireDek(): DataEncryptionKey {
    return this.holder.requireDek();
  }

  /** Seals and opens under the DEK of the moment of each call (see DekHolder.sealer). */
  sealer(): Sealer {
    return this.holder.sealer();
  }

  /**
   * Runs `work`, which makes or opens keys with the DEK, so that a rotation never runs beside it:
   * if a rotation is under way it waits for it (up to waitMs, then work runs and is refused by
   * the held DEK with a 503 that says to retry), and a rotation that starts meanwhile waits for
   * it to end. A burst of requests during a rotation is delayed, not failed.
   */
  async withDek<T>(work: () => Promise<T>, waitMs = ROTATION_WAIT_MS): Promise<T> {
    const deadline = Date.now() + waitMs;
    while (this.rotation && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.rotation, new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now())))]);
      clearTimeout(timer);
    }
    this.leases++;
    try {
      return await work();
    } finally {
      if (--this.leases === 0) for (const drained of this.onLeasesDrained.splice(0)) drained();
    }
  }

  /** The cloud's edgeencryptionkeys entry for `dekHash`: undefined unless it is the DEK held now. */
  edgeEncryptionKey(dekHash: string): EdgeEncryptionKey | undefined {
    if (!this.holder.active) return undefined;
    const dek = this.holder.requireDek();
    if (dek.dekHash !== dekHash) return undefined;
    return { id: dek.edgeKeyId, key: dek.edgePublicKeyBase64, keyAlgorithm: 'X25519', lastBackupDate: this.holder.status.lastBackupDate };
  }

  /** A passphrase a client sealed to the edge key, in clear; 400 when it does not open. */
  openSealedPassphrase(sealedBase64: string): string {
    const dek = this.holder.requireDek();
    try {
      return dek.openSealedBox(sealedBase64).toString('utf8');
    } catch (error) {
      throw new SatelliteError(ERROR_CODES.VALIDATION, (error as Error).message, 400);
    }
  }

  /** The bytes of a backup of the current DEK under `passphrase`. */
  backup(passphrase: string): Promise<{ bytes: Buffer; dekHash: string; createdAt: string }> {
    return this.exclusive(() => this.lifecycle.backupBytes(passphrase));
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

  /**
   * Makes a backup, hands it to `save` (a save dialog, a file, an HTTP answer), and records it as
   * the last backup only when `save` says it was saved (anything but null): a cancelled dialog
   * leaves the Services page warning that there is none. Every front end saves backups this way.
   */
  async saveBackup<T>(passphrase: string, save: (backup: DekBackupExport) => Promise<T | null>): Promise<T | null> {
    const backup = await this.backupExport(passphrase);
    const saved = await save(backup);
    if (saved !== null) await this.recordBackup(backup.createdAt);
    return saved;
  }

  /** Records a saved backup; the Services page stops warning. */
  recordBackup(createdAt: string): Promise<void> {
    return this.exclusive(async () => {
      this.lifecycle.recordBackup(createdAt);
      await this.holder.refresh();
    });
  }

  /** Puts the DEK from a backup into the DEK store; refused, with nothing changed, for a wrong passphrase or another DEK. */
  restore(backup: Uint8Array, passphrase: string): Promise<KeyGenerationServiceStatus> {
    return this.exclusive(async () => {
      await this.lifecycle.restoreBytes(backup, passphrase);
      const status = await this.holder.refresh();
      this.onDekChanged();
      return status;
    });
  }

  /**
   * Reads the DEK store again: a DEK deleted from the keychain (or restored there) while the
   * satellite runs is reported as it is now, not as it was at start.
   */
  recheck(): Promise<KeyGenerationServiceStatus> {
    return this.exclusive(async () => {
      const before = this.holder.status;
      const after = await this.holder.refresh();
      if (before.active !== after.active || before.dekHash !== after.dekHash) this.onDekChanged();
      return after;
    });
  }

  /** A new DEK with every sealed blob rewrapped; the DEK is held from every other use meanwhile. */
  rotate(): Promise<{ dekHash: string; movedBlobs: number }> {
    return this.exclusive(async () => {
      const { holder } = this;
      holder.requireDek();
      let ended!: () => void;
      this.rotation = new Promise<void>((resolve) => (ended = resolve));
      try {
        // New work waits from here on; what already runs finishes under the old DEK first.
        if (this.leases > 0) await new Promise<void>((resolve) => this.onLeasesDrained.push(resolve));
        holder.hold(ROTATION_UNDER_WAY);
        try {
          const result = await this.lifecycle.rotate();
          return { dekHash: result.newDekHash, movedBlobs: result.moved };
        } finally {
          await holder.refresh();
          this.onDekChanged();
        }
      } finally {
        this.rotation = undefined;
        ended();
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
