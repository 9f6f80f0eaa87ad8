import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDek, type DataEncryptionKey } from '../../src/main/core/dek/data-encryption-key';
import { fileDekStore } from '../../src/main/core/dek/file/file-dek-store';
import { readBlobDekHash } from '../../src/main/core/vault/blob-format';
import { VaultBlobTamperedError, VaultError, VaultWrongDekError, VaultWrongRecordError } from '../../src/main/core/vault/vault-errors';
import { TOOLS, describeWithTools } from '../helpers/tools';

// A real private key sealed under a real DEK, written to disk as the store would, then moved,
// altered and opened under another DEK. openssl confirms what comes out is the key that went in.
const PASS = 'vault integration passphrase';
let dir: string;
let dekA: DataEncryptionKey;
let dekB: DataEncryptionKey;
let pkcs8: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ks-vault-'));
  dekA = (await openDek(fileDekStore(join(dir, 'a', 'dek.json'), PASS, { scryptN: 2 ** 14 }), { create: true }))!;
  dekB = (await openDek(fileDekStore(join(dir, 'b', 'dek.json'), PASS, { scryptN: 2 ** 14 }), { create: true }))!;
  const { privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', privateKey));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sealToDisk(dek: DataEncryptionKey, recordId: string): string {
  const path = join(dir, 'blobs', `${recordId}.key`);
  mkdirSync(join(dir, 'blobs'), { recursive: true });
  writeFileSync(path, dek.sealer().seal(recordId, pkcs8), { mode: 0o600 });
  return path;
}

function openError(dek: DataEncryptionKey, recordId: string, blob: Buffer): Error {
  try {
    dek.sealer().open(recordId, blob);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the vault to refuse the blob');
}

describeWithTools([TOOLS.openssl])('vault blobs on disk', () => {
  it('opens a sealed PKCS#8 that openssl accepts, and the blob holds no trace of the key', () => {
    const path = sealToDisk(dekA, 'req-1');
    const opened = dekA.sealer().open('req-1', readFileSync(path));
    const der = join(dir, 'opened.der');
    writeFileSync(der, opened, { mode: 0o600 });
    const text = execFileSync('openssl', ['pkey', '-inform', 'DER', '-in', der, '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toMatch(/Private-Key: \(256 bit/);
    rmSync(der);
    const raw = readFileSync(path);
    expect(raw.includes(pkcs8)).toBe(false);
    expect(raw.toString('latin1')).not.toContain(pkcs8.toString('base64').slice(0, 40));
    expect(readBlobDekHash(raw)).toBe(dekA.dekHash);
  });

  it('a tampered blob, a blob under the wrong record and a wrong DEK each fail with their own class and message', () => {
    const blob = readFileSync(sealToDisk(dekA, 'req-2'));
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 20]! ^= 0x80;

    const errors = {
      tampered: openError(dekA, 'req-2', tampered),
      wrongRecord: openError(dekA, 'req-3', blob),
      wrongDek: openError(dekB, 'req-2', blob),
    };
    expect(errors.tampered).toBeInstanceOf(VaultBlobTamperedError);
    expect(errors.wrongRecord).toBeInstanceOf(VaultWrongRecordError);
    expect(errors.wrongDek).toBeInstanceOf(VaultWrongDekError);
    for (const e of Object.values(errors)) expect(e).toBeInstanceOf(VaultError);
    expect(new Set(Object.values(errors).map((e) => e.constructor)).size).toBe(3);
    expect(errors.tampered).not.toBeInstanceOf(VaultWrongRecordError);
    expect(errors.wrongRecord).not.toBeInstanceOf(VaultBlobTamperedError);

    expect(errors.tampered.message).toBe(
      'The sealed key of record req-2 was altered or is corrupt (AES-GCM authentication failed); restore the data directory from a backup.',
    );
    expect(errors.wrongRecord.message).toBe('The sealed key asked for record req-3 belongs to record req-2; a blob cannot be moved between records.');
    expect(errors.wrongDek.message).toBe(
      `The key of record req-2 was sealed under DEK ${dekA.dekHash}, but the current DEK is ${dekB.dekHash}: restore DEK ${dekA.dekHash} from a backup.`,
    );
    expect(new Set(Object.values(errors).map((e) => e.message)).size).toBe(3);
  });

  it('no file in the data directory (DEK files, blobs) carries the PKCS#8 as DER, base64 or hex', () => {
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));
    const all = Buffer.concat(files.filter((f) => statSync(f).isFile()).map((f) => readFileSync(f)));
    expect(files.some((f) => f.endsWith('.key'))).toBe(true);
    for (const form of [pkcs8, Buffer.from(pkcs8.toString('base64')), Buffer.from(pkcs8.toString('hex'))]) expect(all.includes(form)).toBe(false);
  });
});
