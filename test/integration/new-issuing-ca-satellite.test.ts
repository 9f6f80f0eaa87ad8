import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSatellite } from '../../src/main/core/satellite';
import { openTestSatellite, TEST_DEK_PASSPHRASE, type TestSatellite } from '../helpers/test-satellite';

// The satellite's newIssuingCa as the UI and the CLI call it, when calls overlap: two at once (two
// tabs) make two issuing CAs one after the other, never one generation twice with one's key and
// the other's certificate; one during a DEK rotation waits for it, so its key is sealed under the
// DEK that stays. Reopened, the CA opens with every key, and issues from the last one.

describe('a new issuing CA while other changes run', () => {
  let test: TestSatellite;
  beforeAll(async () => {
    test = await openTestSatellite('new-issuing-ca-satellite');
  });
  afterAll(() => test?.close());

  it('two at once become generations 2 and 3; one during a DEK rotation becomes 4, sealed under the new DEK; all open again after a restart', async () => {
    const [a, b] = await Promise.all([
      test.satellite.call('newIssuingCa', { nameConstraints: { dns: ['a.example.test'], ip: [] } }),
      test.satellite.call('newIssuingCa', { nameConstraints: { dns: ['b.example.test'], ip: [] } }),
    ]);
    expect(a.issuingCas.map((i) => i.generation)).toEqual([1, 2]);
    expect(b.issuingCas.map((i) => i.generation)).toEqual([1, 2, 3]);
    expect(b.nameConstraints).toEqual({ dns: ['b.example.test'], ip: [] });

    const [rotated, c] = await Promise.all([test.satellite.call('rotateDek', {}), test.satellite.call('newIssuingCa', {})]);
    expect(c.issuingCas.find((i) => i.issues)?.generation).toBe(4);
    // The rotation moved the root's key and those of issuing CAs 1-3 (and 4, had it been first).
    expect(rotated.movedBlobs).toBeGreaterThanOrEqual(4);
    expect(c.nameConstraints).toBeUndefined();

    await test.satellite.close();
    test.satellite = await createSatellite({ dataDir: test.dataDir, dekStore: 'file', dekPassphrase: TEST_DEK_PASSPHRASE });
    const reopened = await test.satellite.call('getBuiltinCa', {});
    expect(reopened.issuingCas.map((i) => [i.generation, i.issues])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    const record = await test.request('www.example.org');
    expect(record.status, record.errorInformation?.message).toBe('ISSUED');
  });
});
