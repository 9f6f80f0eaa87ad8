import { describe, expect, it } from 'vitest';
import { generateNodeKeyPairFor as generateKeyPair } from './node-key-pair';
import { keyTypeParametersFromSpki, spkiFromPkcs8 } from './key-material';

describe('generateNodeKeyPairFor (the generator every request uses)', () => {
  it('never blocks the event loop: timers and immediates keep running during an RSA-4096 generation', async () => {
    let intervals = 0;
    let immediates = 0;
    let running = true;
    const interval = setInterval(() => intervals++, 1);
    const spin = () => {
      immediates++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    try {
      const pair = await generateKeyPair({ keyType: 'RSA', keyLength: 4096 });
      expect(keyTypeParametersFromSpki(pair.spki)).toEqual({ keyType: 'RSA', keyLength: 4096 });
    } finally {
      running = false;
      clearInterval(interval);
    }
    // A generation that blocked the thread would return before any timer or immediate ran
    // (both counts 0); ticks counted while it ran prove the loop stayed live. No timing is assumed.
    expect(intervals).toBeGreaterThan(0);
    expect(immediates).toBeGreaterThan(10);
  });

  it.each([
    { keyType: 'RSA', keyLength: 2048 },
    { keyType: 'EC', keyCurve: 'P256' },
    { keyType: 'EC', keyCurve: 'P384' },
    { keyType: 'EC', keyCurve: 'P521' },
    { keyType: 'EC', keyCurve: 'ED25519' },
  ] as const)('%o: the exported PKCS#8 and SPKI belong together and have the requested type', async (params) => {
    const pair = await generateKeyPair(params);
    expect(keyTypeParametersFromSpki(pair.spki)).toEqual(params);
    expect(Buffer.from(spkiFromPkcs8(pair.pkcs8)).equals(Buffer.from(pair.spki))).toBe(true);
    expect(pair.privateKey.type).toBe('private');
    expect(pair.privateKey.asymmetricKeyType).toBe(params.keyType === 'RSA' ? 'rsa' : params.keyCurve === 'ED25519' ? 'ed25519' : 'ec');
  });
});
