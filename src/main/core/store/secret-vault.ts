import type { SecretVault } from '../vault/secret-vault';
import type { Sealer } from '../vault/sealer';
import type { InventoryStore } from './inventory-store';

/**
 * The connectors' SecretVault on the inventory: each secret is sealed under the DEK with its own
 * id bound into the blob, so a blob copied to another secret id does not open. Plaintext exists
 * only in memory, in the caller's hands.
 */
export function sqliteSecretVault(store: InventoryStore, sealer: Sealer): SecretVault {
  return {
    async read(secretId) {
      const sealed = store.getSecret(secretId);
      return sealed ? sealer.open(secretId, sealed.blob) : undefined;
    },
    async write(secretId, plaintext) {
      store.putSecret(secretId, sealer.dekHash, sealer.seal(secretId, plaintext));
    },
    async remove(secretId) {
      store.deleteSecret(secretId);
    },
  };
}
