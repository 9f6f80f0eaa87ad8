import { createHash } from 'node:crypto';
import * as acme from 'acme-client';
import type { SecretVault } from '../connector';

/**
 * The vault id of the ACME account key for one directory: one account per CA, so switching
 * templates between directories never mixes accounts.
 */
export function accountKeySecretId(directoryUrl: string): string {
  const digest = createHash('sha256').update(directoryUrl.trim()).digest('hex').slice(0, 32);
  return `acme-account-key:${digest}`;
}

/** The account key's PEM: made once (ECDSA P-256), then kept sealed in the vault, never on disk in clear. */
export async function loadOrCreateAccountKey(secrets: SecretVault, directoryUrl: string): Promise<Buffer> {
  const id = accountKeySecretId(directoryUrl);
  const existing = await secrets.read(id);
  if (existing && existing.length > 0) return existing;
  const key = await acme.crypto.createPrivateEcdsaKey('P-256');
  await secrets.write(id, key);
  return key;
}
