import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import type { IssuingTemplate } from '../../src/shared/settings';
import type { Satellite } from '../../src/main/core/satellite';
import { openTestSatellite, type TestSatellite } from '../helpers/test-satellite';
import { InventoryStore } from '../../src/main/core/store/inventory-store';
import { seedRequestBody } from '../helpers/seed-request';
import { addUnreachableAcmeTemplate, pointAtBuiltinCa } from '../helpers/unreachable-ca';
import { TOOLS, describeWithTools } from '../helpers/tools';

// Issue 3: a CA failure is FAILED with the CA's reason, the sealed key is kept, and the request can
// be retried. Also: the built-in CA's CRL is exportable by the user, and lists what was revoked.

let dataDir: string;
let satellite: Satellite;
let applicationId: string;
let template: IssuingTemplate;
let test: TestSatellite;

const openssl = (args: string[], input?: string) => execFileSync('openssl', args, { encoding: 'utf8', input });

describeWithTools([TOOLS.openssl])('CA failure, retry, and the exported CRL', () => {
  beforeAll(async () => {
    test = await openTestSatellite('pipeline-ca-failure');
    ({ dataDir, satellite } = test);
    // An ACME directory on a loopback port nothing listens on: the CA is unreachable.
    ({ template, applicationId } = await addUnreachableAcmeTemplate(satellite));
  });

  afterAll(() => test?.close());

  it('fails with the CA reason, keeps the key, and a retry against a working CA issues for the same key', async () => {
    const body = seedRequestBody({ applicationId, certificateIssuingTemplateId: template.id });
    body.csrAttributes!.keyTypeParameters = { keyType: 'EC', keyCurve: 'P256' };
    const groupCommits = vi.spyOn(InventoryStore.prototype, 'groupTransaction');
    const failed = await satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body));
    // The request's row (need not wait), then the key and CSR on disk before the CSR left for a CA outside the satellite.
    expect(groupCommits.mock.calls.map(([, options]) => options)).toEqual([{ durable: false }, { durable: true }]);
    groupCommits.mockRestore();
    expect(failed.status).toBe('FAILED');
    expect(failed.errorInformation?.type).toBe('CA');
    expect(failed.errorInformation?.message).toMatch(/the CA did not issue/);
    expect(failed.certificateSigningRequest).toContain('BEGIN CERTIFICATE REQUEST');
    expect(failed.dekHash).toBeTruthy();

    // The user points the template at the built-in CA and retries: the key made before is used.
    await pointAtBuiltinCa(satellite, template);
    const retried = await satellite.call('retryCertificateRequest', { id: failed.id });
    expect(retried.status).toBe('ISSUED');
    expect(retried.certificateSigningRequest).toBe(failed.certificateSigningRequest);
    expect(retried.statusHistory.map((s) => s.status)).toEqual(['NEW', 'REQUESTED', 'FAILED', 'REQUESTED', 'ISSUED']);

    const detail = await satellite.call('getCertificate', { id: retried.certificateIds[0]! });
    const csrKey = openssl(['req', '-noout', '-pubkey'], failed.certificateSigningRequest);
    const certKey = openssl(['x509', '-noout', '-pubkey'], detail.pem);
    expect(certKey).toBe(csrKey);
    expect(detail.hasPrivateKey).toBe(true);
  });

  it('the built-in CA unable to sign (its issuing certificate expired): FAILED with its reason, the key kept, and a retry once it can sign issues for that key', async () => {
    // The template points at the built-in CA since the test above. Its request makes the key, the
    // CSR and the certificate in one step: a refusal must still leave the key and CSR stored.
    const body = seedRequestBody({ applicationId, certificateIssuingTemplateId: template.id });
    body.csrAttributes!.keyTypeParameters = { keyType: 'EC', keyCurve: 'P256' };
    const ca = await satellite.call('getBuiltinCa', {});
    const intermediateEnd = new Date(openssl(['x509', '-noout', '-enddate'], ca.chainPems[0]).split('=')[1]!.trim());
    vi.useFakeTimers({ toFake: ['Date'], now: intermediateEnd.getTime() + 86_400_000 });
    let failed;
    try {
      failed = await satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body));
    } finally {
      vi.useRealTimers();
    }
    expect(failed.status).toBe('FAILED');
    expect(failed.errorInformation?.type).toBe('CA');
    expect(failed.errorInformation?.message).toMatch(/issuing certificate expired/);
    expect(failed.statusHistory.map((s) => s.status)).toEqual(['NEW', 'REQUESTED', 'FAILED']);
    expect(failed.certificateSigningRequest).toContain('BEGIN CERTIFICATE REQUEST');
    expect(failed.dekHash).toBeTruthy();

    const retried = await satellite.call('retryCertificateRequest', { id: failed.id });
    expect(retried.status).toBe('ISSUED');
    expect(retried.certificateSigningRequest).toBe(failed.certificateSigningRequest);
    const detail = await satellite.call('getCertificate', { id: retried.certificateIds[0]! });
    expect(openssl(['x509', '-noout', '-pubkey'], detail.pem)).toBe(openssl(['req', '-noout', '-pubkey'], failed.certificateSigningRequest));
  });

  it('a FAILED request is the only kind that can be retried', async () => {
    const [issued] = (await satellite.call('searchCertificates', rpcInputSchemas.searchCertificates.parse({}))).certificates.filter((c) => !c.isCA);
    await expect(satellite.call('retryCertificateRequest', { id: issued!.certificateRequestId! })).rejects.toThrow(/only FAILED requests can be retried/);
  });

  it('the CRL the user downloads lists a revoked certificate and verifies against the CA', async () => {
    const [issued] = (await satellite.call('searchCertificates', rpcInputSchemas.searchCertificates.parse({}))).certificates.filter((c) => !c.isCA);
    await satellite.call('revokeCertificate', rpcInputSchemas.revokeCertificate.parse({ id: issued!.id, reason: 'superseded' }));
    const ca = await satellite.call('getBuiltinCa', {});
    const crlFile = join(dataDir, 'ca.crl');
    const chainFile = join(dataDir, 'chain.pem');
    writeFileSync(crlFile, ca.crlPem);
    writeFileSync(chainFile, ca.chainPems.join(''));
    const text = openssl(['crl', '-in', crlFile, '-noout', '-text']);
    expect(text).toContain(`Serial Number: ${issued!.serialNumber}`);
    expect(text).toMatch(/Superseded/);
    const verify = spawnSync('openssl', ['crl', '-in', crlFile, '-noout', '-CAfile', chainFile], { encoding: 'utf8' });
    expect(verify.stderr + verify.stdout).toContain('verify OK');
    const fingerprint = openssl(['x509', '-noout', '-fingerprint', '-sha256'], ca.rootPem).split('=')[1]!.replaceAll(':', '').trim();
    expect(fingerprint).toBe(ca.rootSha256Fingerprint);
  });
});
