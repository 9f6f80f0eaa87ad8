import { describe, expect, it } from 'vitest';
import { bmpPassword, KDF_PURPOSE, pkcs12Kdf } from './pkcs12-kdf';

describe('RFC 7292 appendix B KDF', () => {
  it('encodes the password as BMPString with a NUL terminator', () => {
    expect(bmpPassword('ab')).toEqual(Buffer.from([0, 0x61, 0, 0x62, 0, 0]));
  });

  // Vector from the widely used PKCS#12 test set (BouncyCastle PKCS12Test / pyca):
  // password "smeg", salt 0A58CF64530D823F, 1 iteration, SHA-1, ID 1, 24 bytes.
  it('matches the published SHA-1 vector', () => {
    const key = pkcs12Kdf('sha1', 'smeg', Buffer.from('0A58CF64530D823F', 'hex'), 1, KDF_PURPOSE.key, 24);
    expect(key.toString('hex').toUpperCase()).toBe('8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3');
  });

  it('derives different material per purpose and iteration count', () => {
    const salt = Buffer.alloc(8, 7);
    const a = pkcs12Kdf('sha256', 'pw', salt, 10, KDF_PURPOSE.mac, 32);
    expect(a).toHaveLength(32);
    expect(a.equals(pkcs12Kdf('sha256', 'pw', salt, 10, KDF_PURPOSE.key, 32))).toBe(false);
    expect(a.equals(pkcs12Kdf('sha256', 'pw', salt, 11, KDF_PURPOSE.mac, 32))).toBe(false);
  });
});
