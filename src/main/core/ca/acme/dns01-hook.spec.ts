import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaError } from '../connector';
import { dns01RecordName, runDnsHook } from './dns01-hook';

describe('dns-01 hook', () => {
  it('names the record after the base domain, also for a wildcard', () => {
    expect(dns01RecordName('example.test')).toBe('_acme-challenge.example.test');
    expect(dns01RecordName('*.example.test')).toBe('_acme-challenge.example.test');
  });

  it('passes name and value as arguments and the action in the environment', async () => {
    // The hook fails on purpose so its stderr, which echoes what it got, lands in the message.
    const error = await runDnsHook('echo "$ACME_DNS_ACTION $1 $2" >&2; exit 1; :', 'present', '_acme-challenge.example.test', 'abc-DEF_123').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).message).toContain('exited with 1: present _acme-challenge.example.test abc-DEF_123');
    await expect(runDnsHook('true', 'cleanup', '_acme-challenge.example.test', 'abc')).resolves.toBeUndefined();
  });

  it('runs with a minimal environment: PATH and the ACME_* variables, never SATELLITE_* secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-dns-hook-'));
    process.env.SATELLITE_DEK_PASSPHRASE = 'the passphrase that opens every key';
    process.env.SATELLITE_API_KEY = 'ks_the_api_key';
    process.env.SOME_OTHER_SECRET = 'x';
    try {
      await runDnsHook(`env > '${join(dir, 'env.txt')}'; :`, 'present', '_acme-challenge.example.test', 'abc');
      const env = readFileSync(join(dir, 'env.txt'), 'utf8');
      expect(env).toMatch(/^ACME_DNS_ACTION=present$/m);
      expect(env).toMatch(/^PATH=/m);
      expect(env).not.toMatch(/SATELLITE_/);
      expect(env).not.toMatch(/SOME_OTHER_SECRET/);
    } finally {
      delete process.env.SATELLITE_DEK_PASSPHRASE;
      delete process.env.SATELLITE_API_KEY;
      delete process.env.SOME_OTHER_SECRET;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses shell metacharacters in what it would pass', async () => {
    await expect(runDnsHook('true', 'present', '_acme-challenge.example.test;rm', 'x')).rejects.toThrow(CaError);
  });
});
