import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DekStoreUnavailableError } from '../../src/main/core/dek/dek-store';
import { openDek } from '../../src/main/core/dek/data-encryption-key';
import { DekFilePassphraseError, fileDekStore, passphraseFromEnv } from '../../src/main/core/dek/file/file-dek-store';

const PASS = 'a long enough test passphrase';
const FAST = { scryptN: 2 ** 14 };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ks-dek-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every way the key's bytes could be spelled in a file. */
function encodings(key: Buffer): string[] {
  return [key.toString('hex'), key.toString('hex').toUpperCase(), key.toString('base64'), key.toString('base64url'), key.toString('base64').slice(0, 40)];
}

describe('passphrase-wrapped DEK file', () => {
  it('round-trips a DEK; the file is 0600 JSON with scrypt parameters and no DEK bytes', async () => {
    const path = join(dir, 'rt', 'dek.json');
    const store = fileDekStore(path, PASS, FAST);
    expect(store.kind).toBe('file');
    expect(store.backend).toBe(`Passphrase-wrapped file ${path}`);
    const key = randomBytes(32);
    await store.write({ key, createdAt: '2026-05-01T10:00:00.000Z' });

    const back = await fileDekStore(path, PASS).read(); // default options: reads use the file's parameters
    expect(back!.key.equals(key)).toBe(true);
    expect(back!.createdAt).toBe('2026-05-01T10:00:00.000Z');

    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'rt'))).toEqual(['dek.json']); // no temp file left behind
    const raw = readFileSync(path);
    const doc = JSON.parse(raw.toString('utf8'));
    expect(doc.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 14, r: 8, p: 1 });
    expect(Buffer.from(doc.kdf.salt, 'base64')).toHaveLength(16);
    expect(doc.cipher).toMatchObject({ name: 'aes-256-gcm' });
    expect(raw.includes(key)).toBe(false);
    for (const spelled of encodings(key)) expect(raw.toString('utf8')).not.toContain(spelled);
  });

  it('a wrong passphrase fails with an error naming the file, never the key or passphrase', async () => {
    const path = join(dir, 'wrong', 'dek.json');
    const dek = await openDek(fileDekStore(path, PASS, FAST), { create: true });
    const key = (await fileDekStore(path, PASS).read())!.key;
    const wrong = 'not the right passphrase';
    const err = await fileDekStore(path, wrong).read().then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(DekFilePassphraseError);
    expect(err).toBeInstanceOf(DekStoreUnavailableError);
    expect(err!.message).toContain(path);
    expect(err!.message).toMatch(/wrong passphrase/);
    expect(err!.message).toMatch(/SATELLITE_DEK_PASSPHRASE/);
    for (const s of [...encodings(key), wrong, PASS, dek!.dekHash]) expect(String(err) + err!.stack).not.toContain(s);
    // And openDek does not make a new DEK over it.
    await expect(openDek(fileDekStore(path, wrong), { create: true })).rejects.toThrow(DekFilePassphraseError);
    expect((await fileDekStore(path, PASS).read())!.key.equals(key)).toBe(true);
  });

  it('an edited parameter or date fails like a wrong passphrase (bound as associated data)', async () => {
    const path = join(dir, 'edited', 'dek.json');
    await openDek(fileDekStore(path, PASS, FAST), { create: true });
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    doc.createdAt = '2020-01-01T00:00:00.000Z';
    writeFileSync(path, JSON.stringify(doc));
    await expect(fileDekStore(path, PASS).read()).rejects.toThrow(DekFilePassphraseError);
  });

  it('refuses weak scrypt parameters in a file, and a file that is not a DEK file', async () => {
    const path = join(dir, 'weak', 'dek.json');
    await openDek(fileDekStore(path, PASS, FAST), { create: true });
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...doc, kdf: { ...doc.kdf, N: 1024 } }));
    await expect(fileDekStore(path, PASS).read()).rejects.toThrow(/scrypt N=1024 must be a power of two/);
    writeFileSync(path, 'hello');
    await expect(fileDekStore(path, PASS).read()).rejects.toThrow(/is not a valid DEK file: not JSON.*restore the file from a backup/);
  });

  it('refuses an empty or short passphrase before touching the disk', () => {
    const path = join(dir, 'short', 'dek.json');
    expect(() => fileDekStore(path, '')).toThrow(/passphrase is empty.*at least 12 characters/);
    expect(() => fileDekStore(path, 'short')).toThrow(/only 5 characters/);
    expect(() => fileDekStore(path, 'short')).toThrow(DekStoreUnavailableError);
    expect(() => readdirSync(join(dir, 'short'))).toThrow(/ENOENT/);
  });

  it('remove deletes the file; a missing file reads as null', async () => {
    const path = join(dir, 'rm', 'dek.json');
    const store = fileDekStore(path, PASS, FAST);
    await openDek(store, { create: true });
    await store.remove();
    await store.remove(); // idempotent
    expect(await store.read()).toBeNull();
  });

  it('passphraseFromEnv reads the variable and says how to set it when unset', () => {
    expect(passphraseFromEnv('SATELLITE_DEK_PASSPHRASE', { SATELLITE_DEK_PASSPHRASE: PASS })).toBe(PASS);
    expect(() => passphraseFromEnv('SATELLITE_DEK_PASSPHRASE', {})).toThrow(
      /SATELLITE_DEK_PASSPHRASE is not set.*export SATELLITE_DEK_PASSPHRASE=/,
    );
    expect(() => passphraseFromEnv('MY_VAR', { MY_VAR: '' })).toThrow(/MY_VAR is empty/);
  });
});
