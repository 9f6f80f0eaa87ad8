import type { KeyGenerationServiceStatus } from '../../../shared/services-status';
import { ERROR_CODES } from '../../../shared/error-codes';
import { DekStoreUnavailableError, openDek, type DataEncryptionKey, type DekStore } from '../dek';
import { SatelliteError } from '../errors';
import type { Sealer } from '../vault/sealer';

/** What the key generation service needs to know about what is already sealed. */
export interface SealedInventory {
  /** dekHash recorded when the first blob was sealed, if any. */
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** True when any key blob or secret is stored. */
  hasSealedData(): boolean;
}

export const DEK_HASH_META = 'dekHash';
export const LAST_BACKUP_META = 'dekLastBackupDate';

/**
 * "Key generation service" on the Services page: active when the DEK is in its store and is the
 * one every stored blob is sealed under. Never makes a fresh DEK over blobs sealed under a lost one.
 */
export class KeyGenerationService {
  private constructor(
    private readonly dek: DataEncryptionKey | undefined,
    readonly status: KeyGenerationServiceStatus,
  ) {}

  static async open(store: DekStore, inventory: SealedInventory): Promise<KeyGenerationService> {
    const recorded = inventory.getMeta(DEK_HASH_META);
    const sealedExists = recorded !== undefined || inventory.hasSealedData();
    const lastBackupDate = inventory.getMeta(LAST_BACKUP_META);
    const base = { dekStoreBackend: store.backend, lastBackupDate };
    let dek: DataEncryptionKey | null;
    try {
      dek = await openDek(store, { create: !sealedExists });
    } catch (error) {
      if (!(error instanceof DekStoreUnavailableError)) throw error;
      return new KeyGenerationService(undefined, { ...base, active: false, reason: error.message, nextStep: error.fix });
    }
    if (!dek) {
      return new KeyGenerationService(undefined, {
        ...base,
        active: false,
        reason: `DEK missing: restore it from a backup. Keys sealed under DEK ${recorded ?? '(unknown)'} are stored, but ${store.backend} holds no DEK`,
        nextStep: 'Restore the DEK from its backup file (Settings > DEK backup > Restore). A new DEK is never made over existing keys.',
        dekHash: recorded,
      });
    }
    if (recorded && recorded !== dek.dekHash) {
      return new KeyGenerationService(undefined, {
        ...base,
        active: false,
        reason: `${store.backend} holds DEK ${dek.dekHash}, but the stored keys are sealed under DEK ${recorded}`,
        nextStep: `Restore DEK ${recorded} from its backup file (Settings > DEK backup > Restore).`,
        dekHash: recorded,
      });
    }
    if (!recorded) inventory.setMeta(DEK_HASH_META, dek.dekHash);
    return new KeyGenerationService(dek, {
      ...base,
      active: true,
      reason: `The DEK is in ${store.backend}; keys are generated on this machine and sealed under it.`,
      nextStep: lastBackupDate ? undefined : 'Back up the DEK (Settings > DEK backup): without it, a lost keychain means every stored key is lost.',
      dekHash: dek.dekHash,
      dekCreationDate: dek.createdAt,
    });
  }

  get active(): boolean {
    return this.dek !== undefined;
  }

  /** The DEK, or a 503 naming why it is unavailable and what to do. */
  requireDek(): DataEncryptionKey {
    if (!this.dek) {
      throw new SatelliteError(
        ERROR_CODES.DEK_UNAVAILABLE,
        `The key generation service is inactive: ${this.status.reason}. ${this.status.nextStep ?? ''}`.trim(),
        503,
      );
    }
    return this.dek;
  }

  sealer(): Sealer {
    return this.requireDek().sealer();
  }
}
