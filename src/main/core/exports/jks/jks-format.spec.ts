import { describe, expect, it } from 'vitest';
import { jksAlias, modifiedUtf8, readJks, writeJks } from './jks-format';
import { protectKey, recoverKey } from './key-protector';

describe('JKS format', () => {
  it('encodes strings as Java modified UTF-8 (NUL as two bytes, no 4-byte sequences)', () => {
    expect(modifiedUtf8('ab')).toEqual(Buffer.from([0, 2, 0x61, 0x62]));
    expect(modifiedUtf8('\u0000')).toEqual(Buffer.from([0, 2, 0xc0, 0x80]));
    expect(modifiedUtf8('é')).toEqual(Buffer.from([0, 2, 0xc3, 0xa9]));
    // U+1F600 is a surrogate pair in UTF-16: two 3-byte sequences, as Java writes it.
    expect(modifiedUtf8('😀').length).toBe(2 + 6);
  });

  it('lower-cases aliases as Java does', () => expect(jksAlias('My Server')).toBe('my server'));

  it('round-trips an entry; a wrong store or key password is refused; a flipped byte fails the seal', () => {
    const key = Buffer.from('not really a key, but any bytes do for the protector', 'utf8');
    const bytes = writeJks({ alias: 'Web', date: new Date(1_700_000_000_000), protectedKey: protectKey(key, 'key password'), chain: [Buffer.from([1, 2, 3])] }, 'store password');
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    const read = readJks(bytes, 'store password');
    expect(read.privateKeys).toHaveLength(1);
    const entry = read.privateKeys[0]!;
    expect(entry.alias).toBe('web');
    expect(entry.date.getTime()).toBe(1_700_000_000_000);
    expect(entry.chain).toEqual([Buffer.from([1, 2, 3])]);
    expect(recoverKey(entry.protectedKey, 'key password')).toEqual(key);
    expect(() => recoverKey(entry.protectedKey, 'store password')).toThrow(/passphrase is wrong/);
    expect(() => readJks(bytes, 'key password')).toThrow(/passphrase is wrong/);
    const tampered = Buffer.from(bytes);
    tampered[40] = tampered[40]! ^ 1;
    expect(() => readJks(tampered, 'store password')).toThrow(/passphrase is wrong or the data is corrupted/);
  });
});
