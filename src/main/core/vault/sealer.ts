/**
 * What the rest of the core needs from the vault: seal bytes for one record, open them again.
 * The implementation binds the record id and the dekHash into each blob (issue 2, item 5).
 */
export interface Sealer {
  /** Fingerprint of the DEK that seals new blobs. */
  readonly dekHash: string;
  /** AES-256-GCM ciphertext of `plaintext`, bound to `recordId` and the current DEK. */
  seal(recordId: string, plaintext: Uint8Array): Buffer;
  /** The plaintext; throws a distinct error for a tampered blob, a blob of another record, or another DEK. */
  open(recordId: string, blob: Uint8Array): Buffer;
}
