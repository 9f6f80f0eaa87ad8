import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import { keychainDekStore } from '../../src/main/core/dek';
import { createSatellite, type Satellite, type SatelliteOptions } from '../../src/main/core/satellite';
import { SERVER_TYPES } from '../../src/main/core/settings';
import { InventoryStore } from '../../src/main/core/store/inventory-store';
import { seedRequestBody, SEED_COMMON_NAME } from '../helpers/seed-request';
import { TOOLS, describeWithTools } from '../helpers/tools';

// Issue 3, first "Done when": the seed's example request under the default application and
// template is ISSUED by the built-in CA, and openssl agrees about the chain and the contents.

const PASSPHRASE = 'a test passphrase 123';
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function open(options: Omit<SatelliteOptions, 'dataDir'>): Promise<Satellite> {
  const satellite = await createSatellite({ dataDir: tempDir('ks-pipeline-issue-'), ...options });
  cleanups.push(() => satellite.close());
  return satellite;
}

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The Default application and the template its "Default" alias names, as a new user finds them. */
async function defaults(satellite: Satellite): Promise<{ applicationId: string; certificateIssuingTemplateId: string }> {
  const applications = await satellite.call('listApplications', rpcInputSchemas.listApplications.parse({}));
  const application = applications.find((a) => a.name === 'Default');
  expect(application, 'first run seeds a "Default" application').toBeDefined();
  const templateId = application!.certificateIssuingTemplateAliasIdMap.Default;
  const templates = await satellite.call('listIssuingTemplates', rpcInputSchemas.listIssuingTemplates.parse({}));
  expect(templates.find((t) => t.id === templateId)?.certificateAuthority).toBe('BUILTIN');
  return { applicationId: application!.id, certificateIssuingTemplateId: templateId! };
}

/** Requests the seed's example, checks it is ISSUED, and has openssl check everything about it. */
async function issueSeedExampleAndVerify(satellite: Satellite): Promise<void> {
  const ids = await defaults(satellite);
  const apache = SERVER_TYPES.find((s) => s.platformName === 'Apache')!.id;
  const body = rpcInputSchemas.requestCertificate.parse(seedRequestBody({ ...ids, applicationServerTypeId: apache }));
  const request = await satellite.call('requestCertificate', body);
  expect(request.errorInformation).toBeUndefined();
  expect(request.status).toBe('ISSUED');
  expect(request.statusHistory.map((s) => s.status)).toEqual(['NEW', 'REQUESTED', 'ISSUED']);
  expect(request.validityPeriod).toBe('P7D');
  const [certificateId] = request.certificateIds;
  expect(request.certificateIds).toHaveLength(3);

  const dir = tempDir('ks-pipeline-openssl-');
  const { bytes } = await satellite.exportCertificate({ id: certificateId!, format: 'PEM', chainOrder: 'ROOT_FIRST' });
  const blocks = bytes.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)!;
  expect(blocks).toHaveLength(3);
  const [rootPem, intermediatePem, certPem] = blocks as [string, string, string];
  // The root the export gives is the one the built-in CA keeps on disk for users to trust.
  expect(rootPem.trim()).toBe(readFileSync(join(satellite.dataDir, 'builtin-ca', 'root.pem'), 'utf8').trim());
  writeFileSync(join(dir, 'root.pem'), rootPem);
  writeFileSync(join(dir, 'intermediate.pem'), intermediatePem);
  writeFileSync(join(dir, 'cert.pem'), certPem);

  const verify = openssl('verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'intermediate.pem'), join(dir, 'cert.pem'));
  expect(verify.trim()).toBe(`${join(dir, 'cert.pem')}: OK`);

  const text = openssl('x509', '-in', join(dir, 'cert.pem'), '-noout', '-text');
  const subject = /^\s*Subject: (.*)$/m.exec(text)![1]!;
  for (const part of ['CN = ask.venafi.example', 'O = "Venafi, Inc."', 'OU = Quality Assurance', 'L = Salt Lake City', 'ST = Utah', 'C = US']) {
    expect(subject).toContain(part);
  }
  expect(subject.split(', ').filter((p) => / = /.test(p))).toHaveLength(6);
  const sans = /X509v3 Subject Alternative Name:.*\n\s*(.*)\n/.exec(text)![1]!.trim();
  expect(sans).toBe(`DNS:${SEED_COMMON_NAME}`);
  expect(text).toMatch(/Public Key Algorithm: rsaEncryption/);
  expect(text).toMatch(/Public-Key: \(2048 bit\)/);
  expect(text).toMatch(/CA:FALSE/);

  const dates = openssl('x509', '-in', join(dir, 'cert.pem'), '-noout', '-startdate', '-enddate');
  const notBefore = Date.parse(/notBefore=(.*)/.exec(dates)![1]!);
  const notAfter = Date.parse(/notAfter=(.*)/.exec(dates)![1]!);
  const sevenDaysAndBackdate = 7 * 86_400_000 + 5 * 60_000;
  expect(Math.abs(notAfter - notBefore - sevenDaysAndBackdate)).toBeLessThanOrEqual(2_000);
  expect(Math.abs(notBefore + 5 * 60_000 - Date.now())).toBeLessThan(5 * 60_000);

  // The inventory's record says what openssl says.
  const detail = await satellite.call('getCertificate', rpcInputSchemas.getCertificate.parse({ id: certificateId }));
  expect(detail.certificate.subjectCN).toEqual([SEED_COMMON_NAME]);
  expect(detail.certificate.subjectAlternativeNamesByType.dNSName).toEqual([SEED_COMMON_NAME]);
  expect(detail.certificate.keyType).toBe('RSA');
  expect(detail.certificate.keyStrength).toBe(2048);
  expect(detail.certificate.certificateRequestId).toBe(request.id);
  expect(detail.hasPrivateKey).toBe(true);
  const serial = openssl('x509', '-in', join(dir, 'cert.pem'), '-noout', '-serial').trim().replace('serial=', '');
  expect(detail.certificate.serialNumber).toBe(serial.toUpperCase());
}

describeWithTools([TOOLS.openssl])('the seed example request under the default template (file DEK store)', () => {
  it('is ISSUED by the built-in CA; openssl verifies the chain and shows the subject, SANs, RSA 2048 and 7 days', async () => {
    const satellite = await open({ dekStore: 'file', dekPassphrase: PASSPHRASE });
    await satellite.resumed;
    await issueSeedExampleAndVerify(satellite);
  });

  it('waits for the disk once per certificate: the built-in CA tells no one about the key before the certificate is stored', async () => {
    const satellite = await open({ dekStore: 'file', dekPassphrase: PASSPHRASE });
    await satellite.resumed;
    const body = rpcInputSchemas.requestCertificate.parse(seedRequestBody(await defaults(satellite)));
    const groupCommits = vi.spyOn(InventoryStore.prototype, 'groupTransaction');
    try {
      expect((await satellite.call('requestCertificate', body)).status).toBe('ISSUED');
      // The request's row (need not wait), then the key, the CSR and the certificate in one commit (durable by default).
      expect(groupCommits.mock.calls.map(([, options]) => options)).toEqual([{ durable: false }, undefined]);
    } finally {
      groupCommits.mockRestore();
    }
  });
});

describeWithTools([TOOLS.openssl, TOOLS.dbusRunSession, TOOLS.gnomeKeyring, TOOLS.secretTool])('the seed example request with the DEK in the OS keychain', () => {
  it('is ISSUED and verifies the same way, with the DEK in the Secret Service', async () => {
    const keychain = { service: `Keypair Satellite pipeline test ${randomUUID()}`, account: 'data-encryption-key' };
    cleanups.push(async () => {
      await keychainDekStore(keychain).remove();
      spawnSync('secret-tool', ['clear', 'service', keychain.service], { timeout: 30_000 });
    });
    const satellite = await open({ dekStore: 'keychain', keychain });
    await satellite.resumed;
    const status = await satellite.call('getServicesStatus', rpcInputSchemas.getServicesStatus.parse({}));
    expect(status.keyGeneration.active, status.keyGeneration.reason).toBe(true);
    // secret-tool finds the entry the satellite made (what the user's keychain shows).
    const lookup = spawnSync('secret-tool', ['lookup', 'service', keychain.service, 'username', keychain.account], { encoding: 'utf8', timeout: 30_000 });
    expect(lookup.status).toBe(0);
    expect(lookup.stdout.length).toBeGreaterThan(0);
    await issueSeedExampleAndVerify(satellite);
  });
});
