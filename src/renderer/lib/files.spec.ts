import { describe, expect, it } from 'vitest';
import { bytesToBase64, fileToBase64, hasPemBlock, withoutPrivateKey } from './files';

describe('file helpers', () => {
  it('encodes bytes as base64, larger than one chunk too', async () => {
    expect(bytesToBase64(new Uint8Array([0, 255, 1]))).toBe('AP8B');
    const big = new Uint8Array(100_000).map((_, i) => i % 256);
    expect(await fileToBase64(new Blob([big]))).toBe(Buffer.from(big).toString('base64'));
  });

  it('finds PEM blocks by label', () => {
    expect(hasPemBlock('x\n-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', 'CERTIFICATE')).toBe(true);
    expect(hasPemBlock('-----BEGIN CERTIFICATE REQUEST-----\nAA==\n-----END CERTIFICATE REQUEST-----', 'CERTIFICATE')).toBe(false);
  });

  it('takes private key blocks of every kind out of pasted text and leaves the certificates', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----';
    const pkcs1 = '-----BEGIN RSA PRIVATE KEY-----\nBB==\n-----END RSA PRIVATE KEY-----';
    const encrypted = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nCC==\n-----END ENCRYPTED PRIVATE KEY-----';
    const split = withoutPrivateKey(`${cert}\n${pkcs1}\n${encrypted}\n`);
    expect(split.rest).toBe(cert);
    expect(split.key?.split(/\n+/)).toEqual([...pkcs1.split('\n'), ...encrypted.split('\n')]);
    expect(withoutPrivateKey(cert)).toEqual({ rest: cert });
  });
});
