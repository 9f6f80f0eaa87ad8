import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import type { CertificateRequestRecord } from '../../src/shared/certificate-request';
import { createSatellite, type Satellite } from '../../src/main/core/satellite';
import { seedRequestBody } from '../helpers/seed-request';
import { addUnreachableAcmeTemplate, pointAtBuiltinCa } from '../helpers/unreachable-ca';
import { TOOLS, describeWithTools } from '../helpers/tools';

// A CA failure that may pass (here: an ACME directory on a loopback port nothing listens on, so
// the connection is refused) is retried by the satellite itself, on a schedule that survives a
// restart, and stops after the last attempt with a message saying to retry by hand.

const PASSPHRASE = 'a test passphrase 123';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(dataDir: string, autoRetryDelaysMs: number[]): Promise<Satellite> {
  const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: PASSPHRASE, autoRetryDelaysMs });
  cleanups.push(() => satellite.close());
  return satellite;
}

async function request(satellite: Satellite, applicationId: string, templateId: string, commonName: string): Promise<CertificateRequestRecord> {
  const body = seedRequestBody({ applicationId, certificateIssuingTemplateId: templateId });
  body.csrAttributes = { commonName, subjectAlternativeNamesByType: { dnsNames: [commonName] }, keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } };
  return satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body));
}

const failures = (r: CertificateRequestRecord) => r.statusHistory.filter((s) => s.status === 'FAILED').length;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ks-auto-retry-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describeWithTools([TOOLS.openssl])('automatic retries of retryable CA failures', () => {
  it('tries again on schedule, then stops after the last attempt and says to retry by hand', async () => {
    const satellite = await open(tempDir(), [200, 200]);
    const { template, applicationId } = await addUnreachableAcmeTemplate(satellite);
    const failed = await request(satellite, applicationId, template.id, 'auto-retry.example.test');
    expect(failed.status).toBe('FAILED');
    expect(failed.errorInformation?.message).toMatch(/Could not reach the ACME server/);
    expect(Date.parse(failed.nextAutoRetryAt!)).toBeGreaterThan(Date.now() - 1000);

    let current = failed;
    for (let i = 0; i < 100 && (failures(current) < 3 || current.status !== 'FAILED'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      current = await satellite.call('getCertificateRequest', { id: failed.id });
    }
    expect(current.statusHistory.map((s) => s.status)).toEqual(['NEW', 'REQUESTED', 'FAILED', 'REQUESTED', 'FAILED', 'REQUESTED', 'FAILED']);
    expect(current.nextAutoRetryAt).toBeNull();
    expect(current.errorInformation?.message).toMatch(/stopped retrying after 2 attempts: retry it from Requests once the CA is back/);
    // Same key and CSR all along: only the CA step repeated.
    expect(current.certificateSigningRequest).toBe(failed.certificateSigningRequest);
  });

  it('keeps the schedule across a restart, and the retry issues once the CA answers', async () => {
    const dataDir = tempDir();
    const first = await open(dataDir, [2000]);
    const { template, applicationId } = await addUnreachableAcmeTemplate(first);
    const failed = await request(first, applicationId, template.id, 'after-restart.example.test');
    expect(failed.status).toBe('FAILED');
    // The administrator fixes the template, and the satellite is restarted before the retry is due.
    await pointAtBuiltinCa(first, template);
    await first.close();
    cleanups.pop();

    const second = await open(dataDir, [2000]);
    let current = await second.call('getCertificateRequest', { id: failed.id });
    expect(current.status).toBe('FAILED');
    for (let i = 0; i < 100 && current.status !== 'ISSUED'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      current = await second.call('getCertificateRequest', { id: failed.id });
    }
    expect(current.statusHistory.map((s) => s.status)).toEqual(['NEW', 'REQUESTED', 'FAILED', 'REQUESTED', 'ISSUED']);
    expect(current.certificateSigningRequest).toBe(failed.certificateSigningRequest);
  });
});
