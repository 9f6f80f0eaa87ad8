/** The two kinds of sealed blob the inventory holds: private keys and connector secrets. */
export type SealedBlobKind = 'key' | 'secret';

/** A sealed blob's identity and the DEK it is sealed under, without its bytes. */
export interface SealedBlobRef {
  kind: SealedBlobKind;
  /** The record id bound into the blob (request or certificate id for keys, secret id for secrets). */
  id: string;
  dekHash: string;
}

/**
 * What `replace` found: the blob was swapped; it was deleted meanwhile; or it is no longer under
 * the expected DEK (someone else rewrapped or replaced it), so it was left alone.
 */
export type ReplaceOutcome = 'replaced' | 'gone' | 'changed';

/**
 * What the DEK lifecycle needs from the inventory. Every method is synchronous and each call is
 * its own durable transaction, so a crash between two calls leaves a consistent inventory.
 */
export interface SealedBlobRepository {
  listSealed(): SealedBlobRef[];
  get(kind: SealedBlobKind, id: string): Buffer | undefined;
  /** Compare-and-swap in one transaction: stores `blob` under `newDekHash` only while the row is still under `expectedDekHash`. */
  replace(kind: SealedBlobKind, id: string, expectedDekHash: string, newDekHash: string, blob: Uint8Array): ReplaceOutcome;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  deleteMeta(key: string): void;
}
