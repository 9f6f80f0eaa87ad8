export { InventoryStore, openInventoryStore, StoreNotFoundError } from './inventory-store';
export type { CertificatePatch, InventoryCounts, KeyBlob, RequestPatch, SealedSecret, SearchResult } from './inventory-store';
export { SearchQueryError, normalizeHex } from './search-sql';
export { sqliteSecretVault } from './secret-vault';
export { SCHEMA_VERSION } from './schema';
export { changedRequest } from './request-rows';
export { quickCheck, StoreDamagedError } from './inventory-health';

/** The inventory's file name inside a data directory. */
export const INVENTORY_FILE = 'inventory.sqlite';
