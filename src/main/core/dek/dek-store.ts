/** The DEK as a store keeps it: 32 random bytes and when they were made. */
export interface StoredDek {
  /** 32 bytes. */
  key: Buffer;
  /** ISO 8601. */
  createdAt: string;
}

/**
 * Where the DEK lives. One implementation per backend (OS keychain, passphrase-wrapped file),
 * like VS Code's platform/encryption: the rest of the core never knows which one it has.
 */
export interface DekStore {
  readonly kind: 'keychain' | 'file';
  /** Human name shown in Settings > Services, e.g. "Secret Service (Linux)". */
  readonly backend: string;
  /** The DEK, or null when the store is usable but holds none. Throws DekStoreUnavailableError otherwise. */
  read(): Promise<StoredDek | null>;
  write(dek: StoredDek): Promise<void>;
  remove(): Promise<void>;
}

export const DEK_LENGTH = 32;

/**
 * The store cannot be used (no keychain service, locked, access denied, wrong passphrase...).
 * The message names the backend and the fix; it never carries key bytes or passphrases.
 */
export class DekStoreUnavailableError extends Error {
  readonly backend: string;
  readonly problem: string;
  readonly fix: string;

  constructor(backend: string, problem: string, fix: string, options?: { cause?: unknown }) {
    super(`The DEK store "${backend}" is not usable: ${problem}. Fix: ${fix}`, options);
    this.name = 'DekStoreUnavailableError';
    this.backend = backend;
    this.problem = problem;
    this.fix = fix;
  }
}
