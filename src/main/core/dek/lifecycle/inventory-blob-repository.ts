import type { InventoryStore } from '../../store/inventory-store';
import { readBlobDekHash } from '../../vault/blob-format';
import type { ReplaceOutcome, SealedBlobKind, SealedBlobRef, SealedBlobRepository } from './sealed-blob-repository';

/**
 * The SQLite inventory as a SealedBlobRepository (and the key generation service's
 * SealedInventory). `replace` is a compare-and-swap inside one transaction; for a key it also
 * moves the `dekHash` of the request and certificates that own it, so searches by dekHash and
 * the records shown in the UI name the DEK the key is really under.
 */
export function inventoryBlobRepository(store: InventoryStore): SealedBlobRepository & { hasSealedData(): boolean } {
  const currentRow = (kind: SealedBlobKind, id: string) => (kind === 'key' ? store.getKeyBlob(id) : store.getSecret(id));

  return {
    listSealed(): SealedBlobRef[] {
      return [
        ...store.listKeyBlobs().map((k) => ({ kind: 'key' as const, id: k.recordId, dekHash: k.dekHash })),
        ...store.listSecrets().map((s) => ({ kind: 'secret' as const, id: s.secretId, dekHash: s.dekHash })),
      ];
    },
    get(kind, id) {
      return currentRow(kind, id)?.blob;
    },
    replace(kind, id, expectedDekHash, newDekHash, blob): ReplaceOutcome {
      // The row's dek_hash column and the blob's own header must agree, or a resume would be misled.
      const headerDekHash = readBlobDekHash(blob);
      if (headerDekHash !== newDekHash) {
        throw new Error(`replace(${kind} ${id}): the new blob is sealed under DEK ${headerDekHash}, not the stated ${newDekHash}.`);
      }
      return store.transaction(() => {
        const row = currentRow(kind, id);
        if (!row) return 'gone';
        if (row.dekHash !== expectedDekHash) return 'changed';
        if (kind === 'secret') {
          store.putSecret(id, newDekHash, blob);
          return 'replaced';
        }
        store.putKeyBlob(id, newDekHash, blob);
        moveOwnerDekHash(store, id, expectedDekHash, newDekHash);
        return 'replaced';
      });
    },
    getMeta: (key) => store.getMeta(key),
    // A damaged inventory takes no writes; the DEK's record waits for a sound one.
    setMeta: (key, value) => {
      if (!store.damaged) store.setMeta(key, value);
    },
    deleteMeta: (key) => {
      store.deleteMeta(key);
    },
    hasSealedData() {
      // What a damaged inventory holds cannot be known: never make a fresh DEK over it.
      if (store.damaged) return true;
      const counts = store.counts();
      return counts.keyBlobs > 0 || counts.secrets > 0;
    },
  };
}

// A key blob is keyed by its request id (keys the satellite made) or certificate id (imported keys).
function moveOwnerDekHash(store: InventoryStore, recordId: string, from: string, to: string): void {
  if (store.getRequest(recordId)?.dekHash === from) store.updateRequest(recordId, { dekHash: to });
  const owners = [...store.listCertificatesByRequest(recordId), store.getCertificate(recordId)];
  for (const cert of owners) {
    if (cert?.dekHash === from) store.updateCertificate(cert.id, { dekHash: to });
  }
}
