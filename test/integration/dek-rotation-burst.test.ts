import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import type { CertificateRequestRecord } from '../../src/shared/certificate-request';
import type { Satellite } from '../../src/main/core/satellite';
import { openTestSatellite, type TestSatellite } from '../helpers/test-satellite';
import { describeWithTools, TOOLS } from '../helpers/tools';

// Issue 14: requests that arrive while the DEK rotates wait for it (bounded) instead of failing.
// A burst is started, the DEK rotated in the middle of it, and more requests sent while the
// rotation runs: every one is ISSUED, every key ends up sealed under the new DEK, and the keys
// made on either side of the rotation still open (openssl reads a PKCS#12 of each).

const BURST = 48;
const DURING = 24;
const EXPORT_PASSPHRASE = 'export passphrase 123';

let test: TestSatellite;
let satellite: Satellite;
let work: string;
let request: (cn: string) => Promise<CertificateRequestRecord>;

describeWithTools([TOOLS.openssl])('a burst of requests during a DEK rotation', () => {
  beforeAll(async () => {
    test = await openTestSatellite('rotation-burst');
    ({ satellite, work, request } = test);
    // Keys already sealed, so the rotation has blobs to move and takes a while.
    for (let i = 0; i < 40; i++) expect((await request(`before-${i}.example.com`)).status).toBe('ISSUED');
  }, 120_000);

  afterAll(() => test?.close());

  it('issues every request, sealing each key under the new DEK', async () => {
    const before = (await satellite.call('getServicesStatus', {})).keyGeneration.dekHash!;
    const burst = Array.from({ length: BURST }, (_, i) => request(`burst-${i}.example.com`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const rotation = satellite.call('rotateDek', {});
    const during = Array.from({ length: DURING }, (_, i) => request(`during-${i}.example.com`));
    const [rotated, ...records] = await Promise.all([rotation, ...burst, ...during]);

    const notIssued = records.filter((r) => r.status !== 'ISSUED').map((r) => `${r.csrAttributes?.commonName}: ${r.status} ${r.errorInformation?.message ?? ''}`);
    expect(notIssued).toEqual([]);
    const after = (await satellite.call('getServicesStatus', {})).keyGeneration;
    expect(after).toMatchObject({ active: true, dekHash: (rotated as { dekHash: string }).dekHash });
    expect(after.dekHash).not.toBe(before);
    // Every request's key is recorded under the DEK in use now: none was sealed under the old one after its blobs moved.
    const current = await Promise.all(records.map((r) => satellite.call('getCertificateRequest', rpcInputSchemas.getCertificateRequest.parse({ id: r.id }))));
    expect(new Set(current.map((r) => r.dekHash))).toEqual(new Set([after.dekHash]));

    // A key from the burst and one from during the rotation open and match their certificates.
    for (const record of [records[0]!, records[records.length - 1]!]) {
      const id = record.certificateIds[0]!;
      const p12 = join(work, `${id}.p12`);
      writeFileSync(p12, (await satellite.exportKeystore({ id, exportFormat: 'PKCS12', privateKeyPassphrase: EXPORT_PASSPHRASE, certificateLabel: 'burst' })).bytes);
      const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });
      const key = openssl('pkcs12', '-in', p12, '-passin', `pass:${EXPORT_PASSPHRASE}`, '-nocerts', '-nodes');
      const cert = openssl('pkcs12', '-in', p12, '-passin', `pass:${EXPORT_PASSPHRASE}`, '-clcerts', '-nokeys');
      writeFileSync(join(work, 'k.pem'), key);
      writeFileSync(join(work, 'c.pem'), cert);
      expect(openssl('pkey', '-in', join(work, 'k.pem'), '-pubout')).toBe(openssl('x509', '-in', join(work, 'c.pem'), '-noout', '-pubkey'));
    }
  }, 180_000);
});
