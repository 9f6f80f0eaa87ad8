import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AesGcmSealer } from './aes-gcm-sealer';
import { parseBlobHeader, readBlobDekHash } from './blob-format';
import { VaultBlobTamperedError, VaultError, VaultWrongDekError, VaultWrongRecordError } from './vault-errors';

const hashA = 'a'.repeat(64);
const hashB = 'b'.repeat(64);
const keyA = randomBytes(32);
const sealer = new AesGcmSealer(keyA, hashA);
const secret = Buffer.from('a private key in PKCS#8, pretend');

describe('AesGcmSealer', () => {
  it('opens what it sealed, and the blob hides the plaintext', () => {
    const blob = sealer.seal('rec-1', secret);
    expect(sealer.open('rec-1', blob)).toEqual(secret);
    expect(blob.includes(secret)).toBe(false);
    expect(sealer.seal('rec-1', secret).equals(blob)).toBe(false); // fresh nonce each time
  });

  it('opens into a buffer of its own, not a slice of the shared Buffer pool the caller could not wipe around', () => {
    const opened = sealer.open('rec-1', sealer.seal('rec-1', secret));
    expect(opened.byteOffset).toBe(0);
    expect(opened.buffer.byteLength).toBe(secret.length);
  });

  it('writes a header with the record id and dekHash readable without the key', () => {
    const blob = sealer.seal('rec-2', secret);
    expect(readBlobDekHash(blob)).toBe(hashA);
    const header = parseBlobHeader(blob);
    expect(header).toMatchObject({ version: 1, recordId: 'rec-2' });
    expect(blob.subarray(0, 4).toString('ascii')).toBe('KSVB');
  });

  it('a flipped ciphertext, tag or nonce byte is VaultBlobTamperedError', () => {
    const blob = sealer.seal('rec-3', secret);
    const headerLength = parseBlobHeader(blob).bytes.length;
    for (const at of [headerLength - 1 /* nonce */, headerLength + 2 /* ciphertext */, blob.length - 1 /* tag */]) {
      const bad = Buffer.from(blob);
      bad[at]! ^= 0x01;
      const err = catchError(() => sealer.open('rec-3', bad));
      expect(err).toBeInstanceOf(VaultBlobTamperedError);
      expect(err.message).toMatch(/record rec-3 was altered or is corrupt/);
    }
  });

  it('a truncated blob or foreign bytes are VaultBlobTamperedError too', () => {
    const blob = sealer.seal('rec-4', secret);
    expect(catchError(() => sealer.open('rec-4', blob.subarray(0, 20)))).toBeInstanceOf(VaultBlobTamperedError);
    expect(catchError(() => sealer.open('rec-4', Buffer.from('-----BEGIN PRIVATE KEY-----')))).toBeInstanceOf(VaultBlobTamperedError);
  });

  it('a blob of another record is VaultWrongRecordError naming both records', () => {
    const err = catchError(() => sealer.open('rec-Y', sealer.seal('rec-X', secret)));
    expect(err).toBeInstanceOf(VaultWrongRecordError);
    expect(err).not.toBeInstanceOf(VaultBlobTamperedError);
    expect(err.message).toBe('The sealed key asked for record rec-Y belongs to record rec-X; a blob cannot be moved between records.');
  });

  it('rewriting the record id in the header does not move a blob: authentication fails', () => {
    const blob = sealer.seal('rec-X', secret);
    const moved = Buffer.from(blob.toString('latin1').replace('rec-X', 'rec-Z'), 'latin1');
    expect(catchError(() => sealer.open('rec-Z', moved))).toBeInstanceOf(VaultBlobTamperedError);
  });

  it('a blob under another DEK is VaultWrongDekError naming both dekHashes', () => {
    const other = new AesGcmSealer(randomBytes(32), hashB);
    const err = catchError(() => sealer.open('rec-5', other.seal('rec-5', secret)));
    expect(err).toBeInstanceOf(VaultWrongDekError);
    expect(err).toBeInstanceOf(VaultError);
    expect(err.message).toBe(`The key of record rec-5 was sealed under DEK ${hashB}, but the current DEK is ${hashA}: restore DEK ${hashB} from a backup.`);
  });

  it('never shows its key', () => {
    const shown = [JSON.stringify(sealer), inspect(sealer, { showHidden: true, depth: 5 }), String(sealer)].join('\n');
    expect(shown).not.toContain(keyA.toString('hex'));
    expect(shown).not.toContain(keyA.toString('base64'));
    expect(JSON.parse(JSON.stringify(sealer))).toEqual({ dekHash: hashA });
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}
