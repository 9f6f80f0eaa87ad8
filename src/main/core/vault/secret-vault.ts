/**
 * Secrets kept sealed under the DEK (ACME account key, EAB HMAC key, cloud API key, the API key):
 * whoever holds one sees plaintext only in memory. The store implements it (store/secret-vault.ts).
 */
export interface SecretVault {
  read(secretId: string): Promise<Buffer | undefined>;
  write(secretId: string, plaintext: Uint8Array): Promise<void>;
  remove(secretId: string): Promise<void>;
}
