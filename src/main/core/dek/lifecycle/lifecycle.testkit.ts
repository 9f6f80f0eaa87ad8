import { randomBytes } from 'node:crypto';
import type { DataEncryptionKey } from '../data-encryption-key';
import type { DekStore, StoredDek } from '../dek-store';
import { DEK_HASH_META } from './meta-keys';
import type { InventoryStore } from '../../store/inventory-store';
import type { SealedBlobRepository } from './sealed-blob-repository';

// FOR TESTS ONLY: an inventory of sealed blobs, and a DekStore that "crashes" on cue.

/** Seals `keys` random key blobs and `secrets` random secrets under `dek`; returns every plaintext by "kind:id". */
export function sealInventory(store: InventoryStore, dek: DataEncryptionKey, keys: number, secrets = 0): Map<string, Buffer> {
  const sealer = dek.sealer();
  const plain = new Map<string, Buffer>();
  store.transaction(() => {
    for (let i = 0; i < keys; i++) {
      const id = `req-${String(i).padStart(4, '0')}`;
      const pkcs8 = randomBytes(48 + (i % 17));
      store.putKeyBlob(id, sealer.dekHash, sealer.seal(id, pkcs8));
      plain.set(`key:${id}`, pkcs8);
    }
    for (let i = 0; i < secrets; i++) {
      const id = `secret-${i}`;
      const value = randomBytes(24);
      store.putSecret(id, sealer.dekHash, sealer.seal(id, value));
      plain.set(`secret:${id}`, value);
    }
    store.setMeta(DEK_HASH_META, dek.dekHash);
  });
  return plain;
}

/** Thrown by the crash wrappers: stands for the process dying at that point. */
export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash ${where}`);
    this.name = 'SimulatedCrash';
  }
}

/** A DekStore in memory (copies in and out, like a real store). */
export function memoryDekStore(backend: string): DekStore & { peek(): StoredDek | undefined } {
  let held: StoredDek | undefined;
  return {
    kind: 'file',
    backend,
    async read() {
      return held ? { key: Buffer.from(held.key), createdAt: held.createdAt } : null;
    },
    async write(dek) {
      held = { key: Buffer.from(dek.key), createdAt: dek.createdAt };
    },
    async remove() {
      held = undefined;
    },
    peek: () => held,
  };
}

/**
 * Counts every durable change (DEK store writes and removals, blob swaps, meta writes) and dies at
 * the n-th one, just before or just after it lands: a crash at each point a real one can happen.
 */
export class CrashPlan {
  private changes = 0;
  constructor(
    private readonly crashAt: number,
    private readonly when: 'before' | 'after',
  ) {}

  private step<T>(what: string, change: () => T): T {
    this.changes++;
    const now = this.changes === this.crashAt;
    if (now && this.when === 'before') throw new SimulatedCrash(`before change ${this.changes} (${what})`);
    const result = change();
    if (now && this.when === 'after') throw new SimulatedCrash(`after change ${this.changes} (${what})`);
    return result;
  }

  private async stepAsync(what: string, change: () => Promise<void>): Promise<void> {
    this.changes++;
    const now = this.changes === this.crashAt;
    if (now && this.when === 'before') throw new SimulatedCrash(`before change ${this.changes} (${what})`);
    await change();
    if (now && this.when === 'after') throw new SimulatedCrash(`after change ${this.changes} (${what})`);
  }

  store(inner: DekStore): DekStore {
    return {
      kind: inner.kind,
      backend: inner.backend,
      read: () => inner.read(),
      write: (dek) => this.stepAsync(`write ${inner.backend}`, () => inner.write(dek)),
      remove: () => this.stepAsync(`remove ${inner.backend}`, () => inner.remove()),
    };
  }

  repository(inner: SealedBlobRepository): SealedBlobRepository {
    return {
      listSealed: () => inner.listSealed(),
      get: (kind, id) => inner.get(kind, id),
      replace: (kind, id, expected, next, blob) => this.step(`replace ${kind} ${id}`, () => inner.replace(kind, id, expected, next, blob)),
      getMeta: (key) => inner.getMeta(key),
      setMeta: (key, value) => this.step(`setMeta ${key}`, () => inner.setMeta(key, value)),
      deleteMeta: (key) => this.step(`deleteMeta ${key}`, () => inner.deleteMeta(key)),
    };
  }
}
