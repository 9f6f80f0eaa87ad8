import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDek } from '../data-encryption-key';
import { fileDekStore } from '../file/file-dek-store';
import { LAST_BACKUP_META } from './meta-keys';
import { backupDek, openDekBackup, readDekBackupHeader, writeDekBackup } from './dek-backup';
import { DekBackupFormatError, DekBackupPassphraseError, DekBackupPassphraseTooShortError, DekMissingError } from './errors';

const PASS = 'the store passphrase 1';
const BACKUP_PASS = 'a different backup passphrase';
const FAST = { scryptN: 2 ** 14 };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ks-dek-backup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function storeWithDek(name: string) {
  const store = fileDekStore(join(dir, name, 'dek.json'), PASS, FAST);
  const dek = (await openDek(store, { create: true }))!;
  return { store, dek };
}

describe('DEK backup', () => {
  it('holds the DEK under the passphrase: scrypt parameters, nonce and dekHash in the file, never the key', async () => {
    const { store, dek } = await storeWithDek('a');
    const bytes = await backupDek(store, BACKUP_PASS, { ...FAST, now: () => new Date('2026-03-01T10:00:00Z') });
    const doc = JSON.parse(bytes.toString('utf8'));
    expect(doc).toMatchObject({
      format: 'keypair-satellite-dek-backup',
      version: 1,
      dekHash: dek.dekHash,
      dekCreatedAt: dek.createdAt,
      createdAt: '2026-03-01T10:00:00.000Z',
      kdf: { name: 'scrypt', N: 2 ** 14, r: 8, p: 1 },
      cipher: { name: 'aes-256-gcm' },
    });
    expect(Buffer.from(doc.kdf.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(doc.cipher.nonce, 'base64')).toHaveLength(12);
    expect(Buffer.from(doc.ciphertext, 'base64')).toHaveLength(48);
    const raw = (await store.read())!.key;
    for (const form of [raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')]) expect(bytes.toString('utf8')).not.toContain(form);

    const opened = await openDekBackup(bytes, BACKUP_PASS);
    expect(opened.key.equals(raw)).toBe(true);
    expect(opened).toMatchObject({ dekHash: dek.dekHash, createdAt: dek.createdAt });
    expect(readDekBackupHeader(bytes).dekHash).toBe(dek.dekHash);
  });

  it('a wrong passphrase, or any altered header field, gives "the passphrase does not open this backup"', async () => {
    const { store } = await storeWithDek('b');
    const bytes = await backupDek(store, BACKUP_PASS, FAST);
    await expect(openDekBackup(bytes, 'not the right passphrase')).rejects.toThrow(DekBackupPassphraseError);
    await expect(openDekBackup(bytes, 'not the right passphrase')).rejects.toThrow(/passphrase does not open this backup/i);
    const doc = JSON.parse(bytes.toString('utf8'));
    for (const change of [{ createdAt: '2020-01-01T00:00:00.000Z' }, { dekCreatedAt: '2020-01-01T00:00:00.000Z' }, { dekHash: 'ab'.repeat(32) }]) {
      await expect(openDekBackup(Buffer.from(JSON.stringify({ ...doc, ...change })), BACKUP_PASS)).rejects.toThrow(DekBackupPassphraseError);
    }
  });

  it('refuses files that are not backups or would weaken the KDF, naming the field', async () => {
    const { store } = await storeWithDek('c');
    const doc = JSON.parse((await backupDek(store, BACKUP_PASS, FAST)).toString('utf8'));
    const cases: [unknown, RegExp][] = [
      ['not json', /not JSON/],
      [{ ...doc, format: 'x' }, /"format" is "x"/],
      [{ ...doc, version: 2 }, /"version" is 2/],
      [{ ...doc, kdf: { ...doc.kdf, N: 1024 } }, /"kdf": scrypt N=1024 must be a power of two between/],
      [{ ...doc, kdf: { ...doc.kdf, N: 2 ** 30 } }, /"kdf": scrypt N=1073741824/],
      [{ ...doc, kdf: { ...doc.kdf, name: 'pbkdf2' } }, /"kdf.name" is "pbkdf2"/],
      [{ ...doc, ciphertext: 'AAAA' }, /"ciphertext" is 3 bytes, expected 48/],
    ];
    for (const [content, message] of cases) {
      const bytes = Buffer.from(typeof content === 'string' ? content : JSON.stringify(content));
      await expect(openDekBackup(bytes, BACKUP_PASS)).rejects.toThrow(DekBackupFormatError);
      await expect(openDekBackup(bytes, BACKUP_PASS)).rejects.toThrow(message);
    }
  });

  it('refuses a passphrase under 12 characters and an empty store', async () => {
    const { store } = await storeWithDek('d');
    await expect(backupDek(store, 'short pass', FAST)).rejects.toThrow(DekBackupPassphraseTooShortError);
    await expect(backupDek(store, 'short pass', FAST)).rejects.toThrow(/only 10 characters; it must have at least 12/);
    const empty = fileDekStore(join(dir, 'd-empty', 'dek.json'), PASS, FAST);
    await expect(backupDek(empty, BACKUP_PASS, FAST)).rejects.toThrow(DekMissingError);
  });

  it('writeDekBackup writes a 0600 file that opens, and records the date as the last backup', async () => {
    const { store, dek } = await storeWithDek('e');
    const meta = new Map<string, string>();
    const path = join(dir, 'e', 'backups', 'dek-backup.json');
    const summary = await writeDekBackup(path, store, BACKUP_PASS, { setMeta: (k, v) => meta.set(k, v) }, FAST);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(summary).toEqual({ path, dekHash: dek.dekHash, createdAt: meta.get(LAST_BACKUP_META) });
    expect(Date.parse(summary.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await openDekBackup(readFileSync(path), BACKUP_PASS)).dekHash).toBe(dek.dekHash);
  });
});
