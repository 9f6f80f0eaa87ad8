import type { KeyGenerationServiceStatus } from '../../../shared/services-status';
import { ERROR_CODES } from '../../../shared/error-codes';
import { openDek, type DataEncryptionKey } from './data-encryption-key';
import { DekStoreUnavailableError, type DekStore } from './dek-store';
import { SatelliteError } from '../common/errors';
import { DEK_HASH_META, LAST_BACKUP_META } from './lifecycle/meta-keys';
import type { Sealer } from '../vault/sealer';

/** What the key generation service needs to know about what is already sealed. */
export interface SealedInventory {
  /** dekHash recorded when the first blob was sealed, if any. */
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** True when any key blob or secret is stored. */
  hasSealedData(): boolean;
}

/** Decides, from the DEK store and the inventory, whether keys can be made, and with which DEK. */
async function evaluate(store: DekStore, inventory: SealedInventory): Promise<{ dek?: DataEncryptionKey; status: KeyGenerationServiceStatus }> {
  const recorded = inventory.getMeta(DEK_HASH_META);
  const sealedExists = recorded !== undefined || inventory.hasSealedData();
  const lastBackupDate = inventory.getMeta(LAST_BACKUP_META);
  const base = { dekStoreBackend: store.backend, lastBackupDate };
  let dek: DataEncryptionKey | null;
  try {
    dek = await openDek(store, { create: !sealedExists });
  } catch (error) {
    if (!(error instanceof DekStoreUnavailableError)) throw error;
    return { status: { ...base, active: false, reason: `The DEK store "${error.backend}" is not usable: ${error.problem}`, nextStep: error.fix } };
  }
  if (!dek) {
    return {
      status: {
        ...base,
        active: false,
        reason: `DEK missing: restore it from a backup. Keys sealed under DEK ${recorded ?? '(unknown)'} are stored, but ${store.backend} holds no DEK`,
        nextStep: 'Restore the DEK from its backup file (Settings > DEK backup > Restore). A new DEK is never made over existing keys.',
        dekHash: recorded,
      },
    };
  }
  if (recorded && recorded !== dek.dekHash) {
    return {
      status: {
        ...base,
        active: false,
        reason: `${store.backend} holds DEK ${dek.dekHash}, but the stored keys are sealed under DEK ${recorded}`,
        nextStep: `Restore DEK ${recorded} from its backup file (Settings > DEK backup > Restore).`,
        dekHash: recorded,
      },
    };
  }
  if (!recorded) inventory.setMeta(DEK_HASH_META, dek.dekHash);
  return {
    dek,
    status: {
      ...base,
      active: true,
      reason: `The DEK is in ${store.backend}; keys are generated on this machine and sealed under it.`,
      nextStep: lastBackupDate ? undefined : 'Back up the DEK (Settings > DEK backup): without it, a lost keychain means every stored key is lost.',
      dekHash: dek.dekHash,
      dekCreationDate: dek.createdAt,
    },
  };
}

/**
 * Holds the DEK the satellite seals under; its status is the "key generation service" of the
 * Services page: active when the DEK is in its store and is the
 * one every stored blob is sealed under. Never makes a fresh DEK over blobs sealed under a lost one.
 * After a DEK restore or rotation, `refresh` makes it hold the new DEK without a restart.
 */
export class DekHolder {
  private dek: DataEncryptionKey | undefined;
  private dekSealer: Sealer | undefined;
  private current!: KeyGenerationServiceStatus;
  private heldBecause: string | undefined;

  private constructor(
    private readonly store: DekStore,
    private readonly inventory: SealedInventory,
  ) {}

  static async open(store: DekStore, inventory: SealedInventory): Promise<DekHolder> {
    const holder = new DekHolder(store, inventory);
    await holder.refresh();
    return holder;
  }

  /** Opens the DEK store again, in place (after a restore or rotation); ends any hold. */
  async refresh(): Promise<KeyGenerationServiceStatus> {
    const { dek, status } = await evaluate(this.store, this.inventory);
    this.dek = dek;
    this.dekSealer = dek?.sealer();
    this.current = status;
    this.heldBecause = undefined;
    return status;
  }

  /**
   * Refuses every use of the DEK until `refresh`: while a rotation moves blobs, a key sealed or
   * opened with the old DEK could be stranded or fail halfway.
   */
  hold(reason: string): void {
    this.heldBecause = reason;
  }

  get status(): KeyGenerationServiceStatus {
    return this.current;
  }

  get active(): boolean {
    return this.dek !== undefined;
  }

  /** The DEK, or a 503 naming why it is unavailable and what to do. */
  requireDek(): DataEncryptionKey {
    if (this.heldBecause) throw new SatelliteError(ERROR_CODES.DEK_UNAVAILABLE, this.heldBecause, 503);
    if (!this.dek) {
      throw new SatelliteError(
        ERROR_CODES.DEK_UNAVAILABLE,
        `The key generation service is inactive: ${this.current.reason}. ${this.current.nextStep ?? ''}`.trim(),
        503,
      );
    }
    return this.dek;
  }

  /**
   * A sealer that always uses the DEK held at the moment of each call, so a caller that keeps it
   * across an await (key generation) seals under the DEK of the moment, never a retired one.
   */
  sealer(): Sealer {
    this.requireDek();
    const current = (): Sealer => (this.requireDek(), this.dekSealer!);
    return {
      get dekHash() {
        return current().dekHash;
      },
      seal: (recordId, plaintext) => current().seal(recordId, plaintext),
      open: (recordId, blob) => current().open(recordId, blob),
    };
  }
}
