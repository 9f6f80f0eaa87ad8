import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import sodium from 'libsodium-wrappers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEncryptionKey, SealedBoxOpenError, openDek } from './data-encryption-key';
import { fileDekStore } from './file/file-dek-store';
import { VaultWrongDekError } from '../vault/vault-errors';

const PASS = 'correct horse battery staple';
const FAST = { scryptN: 2 ** 14 };
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ks-dek-spec-'));
  await sodium.ready;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openDek', () => {
  it('without create, an empty store gives null and nothing is written', async () => {
    const sub = join(dir, 'empty');
    expect(await openDek(fileDekStore(join(sub, 'dek.json'), PASS, FAST), { create: false })).toBeNull();
    expect(() => readdirSync(sub)).toThrow(/ENOENT/);
  });

  it('with create, makes a DEK once; reopening gives the same dekHash and derived keys', async () => {
    const store = fileDekStore(join(dir, 'a', 'dek.json'), PASS, FAST);
    const made = await openDek(store, { create: true });
    const again = await openDek(store, { create: true });
    expect(made).not.toBeNull();
    expect(again!.dekHash).toBe(made!.dekHash);
    expect(made!.dekHash).toMatch(/^[0-9a-f]{64}$/);
    expect(again!.edgePublicKey).toEqual(made!.edgePublicKey);
    expect(made!.edgePublicKey).toHaveLength(32);
    expect(made!.edgeKeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(made!.backend).toBe(store.backend);
    expect(Date.parse(made!.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    const blob = made!.sealer().seal('rec', Buffer.from('pkcs8'));
    expect(again!.sealer().open('rec', blob).toString()).toBe('pkcs8');
  });

  it('different DEKs give different dekHashes, edge keys and vault keys', () => {
    const key = Buffer.alloc(32, 7);
    const a = new DataEncryptionKey({ key, createdAt: '2026-01-01T00:00:00.000Z' }, 'test');
    const b = new DataEncryptionKey({ key: Buffer.alloc(32, 8), createdAt: '2026-01-01T00:00:00.000Z' }, 'test');
    expect(a.dekHash).not.toBe(b.dekHash);
    expect(a.edgePublicKeyBase64).not.toBe(b.edgePublicKeyBase64);
    expect(() => a.sealer().open('r', b.sealer().seal('r', Buffer.from('x')))).toThrow(VaultWrongDekError);
    // The dekHash is not the key, nor a plain hash of it.
    expect(a.dekHash).not.toContain(key.toString('hex'));
  });

  it('openSealedBox opens what crypto_box_seal sealed to edgePublicKey', async () => {
    const dek = (await openDek(fileDekStore(join(dir, 'b', 'dek.json'), PASS, FAST), { create: true }))!;
    const sealed = sodium.crypto_box_seal(sodium.from_string('keystore passphrase ✓'), dek.edgePublicKey);
    expect(dek.openSealedBox(sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL)).toString('utf8')).toBe('keystore passphrase ✓');
  });

  it('openSealedBox refuses a box sealed to another key, altered, or not base64', async () => {
    const dek = (await openDek(fileDekStore(join(dir, 'c', 'dek.json'), PASS, FAST), { create: true }))!;
    const stranger = sodium.crypto_box_keypair();
    const toStranger = Buffer.from(sodium.crypto_box_seal(sodium.from_string('pw'), stranger.publicKey)).toString('base64');
    expect(() => dek.openSealedBox(toStranger)).toThrow(SealedBoxOpenError);
    const sealed = Buffer.from(sodium.crypto_box_seal(sodium.from_string('pw'), dek.edgePublicKey));
    sealed[sealed.length - 1]! ^= 1;
    expect(() => dek.openSealedBox(sealed.toString('base64'))).toThrow(/sealed to another key or altered/);
    expect(() => dek.openSealedBox('not base64!')).toThrow(/not base64/);
  });

  it('never shows the DEK: JSON, inspect, toString, errors', async () => {
    const path = join(dir, 'd', 'dek.json');
    const store = fileDekStore(path, PASS, FAST);
    const dek = (await openDek(store, { create: true }))!;
    const raw = (await store.read())!.key;
    const forms = [raw.toString('hex'), raw.toString('base64'), raw.toString('base64url'), raw.toString('latin1')];
    const errors: string[] = [];
    for (const bad of ['%%%', Buffer.alloc(80).toString('base64')]) {
      try {
        dek.openSealedBox(bad);
      } catch (err) {
        errors.push(String(err), (err as Error).stack ?? '');
      }
    }
    const shown = [
      JSON.stringify(dek),
      JSON.stringify({ dek }),
      inspect(dek, { showHidden: true, depth: 10 }),
      inspect({ dek }, { showHidden: true, depth: 10 }),
      String(dek),
      `${dek}`,
      JSON.stringify(dek.sealer()),
      inspect(dek.sealer(), { showHidden: true }),
      Object.keys(dek).join(','),
      ...errors,
    ].join('\n');
    for (const form of forms) expect(shown).not.toContain(form);
    expect(errors).toHaveLength(4);
    expect(JSON.parse(JSON.stringify(dek))).toEqual({
      dekHash: dek.dekHash,
      createdAt: dek.createdAt,
      backend: store.backend,
      edgeKeyId: dek.edgeKeyId,
      edgePublicKey: dek.edgePublicKeyBase64,
    });
  });
});
