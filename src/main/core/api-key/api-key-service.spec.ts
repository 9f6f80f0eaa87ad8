import { describe, expect, it } from 'vitest';
import type { SecretVault } from '../vault/secret-vault';
import { ApiKeyService } from './api-key-service';

function memoryVault(): SecretVault & { secrets: Map<string, Buffer> } {
  const secrets = new Map<string, Buffer>();
  return {
    secrets,
    read: async (id) => secrets.get(id),
    write: async (id, plaintext) => void secrets.set(id, Buffer.from(plaintext)),
    remove: async (id) => void secrets.delete(id),
  };
}

describe('ApiKeyService', () => {
  it('makes a key once and keeps it in the vault: a restart (a new service on the same vault) has the same key', async () => {
    const vault = memoryVault();
    const key = await new ApiKeyService(vault).current();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await new ApiKeyService(vault).current()).toBe(key);
  });

  it('rotation: the new key works, the old one stops at once', async () => {
    const service = new ApiKeyService(memoryVault());
    const old = await service.current();
    const rotated = await service.rotate();
    expect(rotated).not.toBe(old);
    expect(await service.verify(rotated)).toBe(true);
    expect(await service.verify(old)).toBe(false);
    expect(await service.verify('')).toBe(false);
  });

  it('SATELLITE_API_KEY wins, is never written to the vault, and cannot be rotated from the UI', async () => {
    const vault = memoryVault();
    const service = new ApiKeyService(vault, 'from-the-environment');
    expect(await service.current()).toBe('from-the-environment');
    expect(vault.secrets.size).toBe(0);
    await expect(service.rotate()).rejects.toThrow(/SATELLITE_API_KEY/);
  });

  it('without a usable DEK (no vault) a key lives for this run only', async () => {
    const service = new ApiKeyService(undefined);
    const key = await service.current();
    expect(await service.current()).toBe(key);
    expect(await new ApiKeyService(undefined).current()).not.toBe(key);
  });
});
