import { execFileSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DataEncryptionKey } from '../../src/main/core/dek/data-encryption-key';
import { AesGcmSealer } from '../../src/main/core/vault/aes-gcm-sealer';
import { TOOLS, describeWithTools } from '../helpers/tools';

// The derivations decide whether every sealed key stays readable, so they are checked
// against an independent implementation: OpenSSL's HKDF and X25519.
function opensslHkdf(dek: Buffer, info: string): Buffer {
  const out = execFileSync(
    'openssl',
    ['kdf', '-keylen', '32', '-kdfopt', 'digest:SHA256', '-kdfopt', `hexkey:${dek.toString('hex')}`, '-kdfopt', `info:${info}`, 'HKDF'],
    { encoding: 'utf8' },
  );
  return Buffer.from(out.trim().replaceAll(':', ''), 'hex');
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ks-dek-derive-'));
  await sodium.ready;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithTools([TOOLS.openssl])('DEK derivations agree with openssl', () => {
  const dekBytes = randomBytes(32);
  const dek = () => new DataEncryptionKey({ key: dekBytes, createdAt: new Date().toISOString() }, 'test');

  it('dekHash is hex SHA-256 of HKDF-SHA256(DEK, info "keypair-satellite/dek-hash/v1")', () => {
    const material = opensslHkdf(dekBytes, 'keypair-satellite/dek-hash/v1');
    expect(dek().dekHash).toBe(createHash('sha256').update(material).digest('hex'));
  });

  it('the edge public key is X25519 of HKDF-SHA256(DEK, info "keypair-satellite/edge-x25519/v1")', () => {
    const priv = opensslHkdf(dekBytes, 'keypair-satellite/edge-x25519/v1');
    // PKCS#8 wrapper for a raw X25519 private key (RFC 8410).
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), priv]);
    const keyFile = join(dir, 'x25519.der');
    writeFileSync(keyFile, pkcs8, { mode: 0o600 });
    const spki = execFileSync('openssl', ['pkey', '-inform', 'DER', '-in', keyFile, '-pubout', '-outform', 'DER']);
    expect(Buffer.from(dek().edgePublicKey).toString('hex')).toBe(spki.subarray(spki.length - 32).toString('hex'));
  });

  it('the vault key is HKDF-SHA256(DEK, info "keypair-satellite/vault-aes256gcm/v1")', () => {
    const vaultKey = opensslHkdf(dekBytes, 'keypair-satellite/vault-aes256gcm/v1');
    const d = dek();
    const blob = d.sealer().seal('rec-1', Buffer.from('pkcs8 bytes'));
    expect(new AesGcmSealer(vaultKey, d.dekHash).open('rec-1', blob).toString()).toBe('pkcs8 bytes');
    // Sanity: HKDF with an empty salt, computed by hand (RFC 5869), gives the same key.
    const prk = createHmac('sha256', Buffer.alloc(32)).update(dekBytes).digest();
    const okm = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('keypair-satellite/vault-aes256gcm/v1'), Buffer.of(1)])).digest();
    expect(okm.equals(vaultKey)).toBe(true);
  });
});
