import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertificateRequestBody } from '../../src/shared/certificate-request';
import { rpcInputSchemas } from '../../src/shared/client';
import type { CertificateRequestRecord } from '../../src/shared/certificate-request';
import { createSatellite, type Satellite, type SatelliteOptions } from '../../src/main/core/satellite';
import { seedRequestBody } from './seed-request';

// The in-process satellite the integration suites open: a fresh temp data directory, the DEK in
// a passphrase-wrapped file (no keychain needed), closed and removed with one call. Suites that
// need a real child process use satellite-server.ts instead.

export const TEST_DEK_PASSPHRASE = 'a test passphrase 123';

export interface TestSatellite {
  satellite: Satellite;
  /** The data directory (inside `work`). */
  dataDir: string;
  /** A temp folder for the suite's own files; removed by close(). */
  work: string;
  /** A request body for the first-run Default application and template, for this common name. */
  body(commonName: string): CertificateRequestBody;
  /** requestCertificate with that body, parsed as every adapter parses it. */
  request(commonName: string): Promise<CertificateRequestRecord>;
  /** Closes the satellite (a suite may have replaced it with one reopened on dataDir), then removes `work`. */
  close(): Promise<void>;
}

export async function openTestSatellite(name: string, options: Partial<SatelliteOptions> = {}): Promise<TestSatellite> {
  const work = mkdtempSync(join(tmpdir(), `ks-${name}-`));
  const dataDir = options.dataDir ?? join(work, 'data');
  let satellite: Satellite;
  try {
    satellite = await createSatellite({ dekStore: 'file', dekPassphrase: TEST_DEK_PASSPHRASE, ...options, dataDir });
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  const [application] = (await satellite.call('listApplications', {})).filter((a) => a.name === 'Default');
  if (!application) throw new Error(`the satellite in ${dataDir} has no Default application`);
  const body = (commonName: string) => {
    const b = seedRequestBody({ applicationId: application.id, certificateIssuingTemplateId: application.certificateIssuingTemplateAliasIdMap.Default! }, [commonName]);
    b.csrAttributes!.commonName = commonName;
    b.csrAttributes!.keyTypeParameters = { keyType: 'EC', keyCurve: 'P256' };
    return b;
  };
  const test: TestSatellite = {
    satellite,
    dataDir,
    work,
    body,
    // The satellite of the moment: a suite may close it and open another on dataDir.
    request: (commonName) => test.satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body(commonName))),
    async close() {
      await test.satellite.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
  return test;
}
