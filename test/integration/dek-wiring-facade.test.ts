import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CertificateRequestBody } from '../../src/shared/certificate-request';
import { rpcInputSchemas } from '../../src/shared/client';
import { ERROR_CODES } from '../../src/shared/error-codes';
import { SEALED_KEY_IDS } from '../../src/main/core/ca/builtin';
import { createSatellite, type Satellite } from '../../src/main/core/satellite';
import { openInventoryStore } from '../../src/main/core/store';
import { createApiServer } from '../../src/main/api/server';
import { silentLogger } from '../../src/main/core/common/log';
import { SESSION_HEADER } from '../../src/main/api/security/ui-sessions';
import { seedRequestBody } from '../helpers/seed-request';
import { describeWithTools, TOOLS } from '../helpers/tools';

// Issue 8 through the service facade every front end calls: backup, wipe the DEK store, restore,
// and every one of 200+ keys exports again; rotation rewraps everything, the built-in CA's own
// keys included, so the CA still issues afterwards (and after a restart).

const DEK_PASSPHRASE = 'file dek store passphrase 1';
const BACKUP_PASSPHRASE = 'backup passphrase for the test';
const EXPORT_PASSPHRASE = 'export passphrase 123';
const KEY_COUNT = 200;
const CONCURRENCY = 8;

let work: string;
let dataDir: string;
let satellite: Satellite;
let body: (cn: string) => CertificateRequestBody;
const certificateIds: string[] = [];

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const open = async () => {
  satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: DEK_PASSPHRASE });
  await satellite.resumed;
};

async function inBatches<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += CONCURRENCY) await Promise.all(items.slice(i, i + CONCURRENCY).map(work));
}

async function issue(cn: string): Promise<string> {
  const request = await satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body(cn)));
  expect(request.status, request.errorInformation?.message).toBe('ISSUED');
  return request.certificateIds[0]!;
}

/** The built-in CA issues a new certificate, and openssl verifies it against the CA's chain. */
async function expectCaIssues(cn: string): Promise<void> {
  const id = await issue(cn);
  const { pem } = await satellite.call('getCertificateText', rpcInputSchemas.getCertificateText.parse({ id, chainOrder: 'EE_FIRST' }));
  const [leaf, intermediate, root] = (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((part, i) => {
    const path = join(work, `${cn}-${i}.pem`);
    writeFileSync(path, `${part}\n`);
    return path;
  });
  expect(openssl('verify', '-CAfile', root!, '-untrusted', intermediate!, leaf!)).toMatch(/: OK/);
}

/** Every key exports as an encrypted PEM key whose public key is the certificate's (openssl for a sample). */
async function expectEveryKeyExports(): Promise<void> {
  let checked = 0;
  await inBatches(certificateIds, async (id) => {
    const exported = await satellite.exportKeystore({ id, exportFormat: 'PEM', privateKeyPassphrase: EXPORT_PASSPHRASE, certificateLabel: 'dek-wiring' });
    expect(exported.bytes.length).toBeGreaterThan(0);
    checked++;
  });
  expect(checked).toBe(certificateIds.length);
  const sample = certificateIds[certificateIds.length - 1]!;
  const exported = await satellite.exportKeystore({ id: sample, exportFormat: 'PKCS12', privateKeyPassphrase: EXPORT_PASSPHRASE, certificateLabel: 'dek-wiring' });
  const p12 = join(work, 'sample.p12');
  writeFileSync(p12, exported.bytes);
  const keyPem = join(work, 'sample.key');
  writeFileSync(keyPem, openssl('pkcs12', '-in', p12, '-passin', `pass:${EXPORT_PASSPHRASE}`, '-nocerts', '-nodes'));
  const leaf = join(work, 'sample.pem');
  writeFileSync(leaf, (await satellite.call('getCertificate', rpcInputSchemas.getCertificate.parse({ id: sample }))).pem);
  expect(openssl('pkey', '-in', keyPem, '-pubout')).toBe(openssl('x509', '-in', leaf, '-noout', '-pubkey'));
}

/** The DEK every sealed row is under, read from the store itself. */
function sealedUnder(): Set<string> {
  const store = openInventoryStore(join(dataDir, 'inventory.sqlite'));
  try {
    return new Set([...store.listKeyBlobs().map((k) => k.dekHash), ...store.listSecrets().map((s) => s.dekHash)]);
  } finally {
    store.close();
  }
}

async function expectRefused(call: Promise<unknown>, code: number, message: RegExp): Promise<void> {
  await expect(call).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
}

describeWithTools([TOOLS.openssl])('DEK backup, restore and rotation through the service facade', () => {
  let backup: Buffer;
  let originalDekHash: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-dek-wiring-'));
    dataDir = join(work, 'data');
    await open();
    const [application] = (await satellite.call('listApplications', {})).filter((a) => a.name === 'Default');
    body = (cn) => {
      const b = seedRequestBody({ applicationId: application!.id, certificateIssuingTemplateId: application!.certificateIssuingTemplateAliasIdMap.Default! });
      b.csrAttributes!.commonName = cn;
      b.csrAttributes!.subjectAlternativeNamesByType = { dnsNames: [cn] };
      b.csrAttributes!.keyTypeParameters = { keyType: 'EC', keyCurve: 'P256' };
      return b;
    };
    const names = Array.from({ length: KEY_COUNT }, (_, i) => `key-${i}.dek.example`);
    await inBatches(names, async (cn) => void certificateIds.push(await issue(cn)));
    await satellite.apiKey(); // a sealed connector-style secret next to the keys
  }, 120_000);

  afterAll(async () => {
    await satellite?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('backs up the DEK, warning until then and recording the date after', async () => {
    const before = await satellite.call('getServicesStatus', {});
    expect(before.keyGeneration).toMatchObject({ active: true, lastBackupDate: undefined, nextStep: expect.stringMatching(/Back up the DEK/) });
    originalDekHash = before.keyGeneration.dekHash!;
    await expectRefused(satellite.saveDekBackup({ passphrase: 'short' }, async (b) => b), ERROR_CODES.VALIDATION, /at least 12 characters/);

    // A cancelled save (null) records nothing.
    expect(await satellite.saveDekBackup({ passphrase: BACKUP_PASSPHRASE }, async () => null)).toBeNull();
    expect((await satellite.call('getServicesStatus', {})).keyGeneration.lastBackupDate).toBeUndefined();

    const made = (await satellite.saveDekBackup({ passphrase: BACKUP_PASSPHRASE }, async (b) => ({ ...b, bytes: Buffer.from(b.bytes) })))!;
    expect(made.dekHash).toBe(originalDekHash);
    expect(JSON.parse(made.bytes.toString('utf8'))).toMatchObject({ format: 'keypair-satellite-dek-backup', dekHash: originalDekHash, kdf: { name: 'scrypt' } });
    expect(made.bytes.toString('utf8')).not.toContain(BACKUP_PASSPHRASE);
    backup = Buffer.from(made.bytes);
    const after = await satellite.call('getServicesStatus', {});
    expect(after.keyGeneration).toMatchObject({ active: true, lastBackupDate: made.createdAt, nextStep: undefined });
  });

  it('the web UI downloads a backup (POST /ui/download/dek-backup, with a session) as an attachment and records its date', async () => {
    const server = createApiServer(satellite, { host: '127.0.0.1', port: 0, log: silentLogger });
    try {
      const url = await server.listen();
      const login = await fetch(`${url}/ui/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ token: server.loginToken }) });
      expect(login.status).toBe(201);
      const { sessionToken } = (await login.json()) as { sessionToken: string };
      const post = (passphrase: string) =>
        fetch(`${url}/ui/download/dek-backup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SESSION_HEADER]: sessionToken, origin: url },
          body: JSON.stringify({ passphrase }),
        });
      const short = await post('short');
      expect(short.status).toBe(400);
      expect(await short.text()).toMatch(/passphrase must be at least 12 characters/);

      const res = await post(BACKUP_PASSPHRASE);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(res.status, bytes.toString()).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="keypair-satellite-dek-[0-9a-f]{12}-\d{4}-\d{2}-\d{2}\.json"/);
      const file = JSON.parse(bytes.toString('utf8')) as { dekHash: string; createdAt: string };
      expect(file.dekHash).toBe(originalDekHash);
      expect((await satellite.call('getServicesStatus', {})).keyGeneration.lastBackupDate).toBe(file.createdAt);
    } finally {
      await server.close();
    }
  });

  it('with the DEK store wiped: reported as missing (facade and GET /v1/edgeinstances), no new DEK made, refusals change nothing, restore brings every key back', async () => {
    await satellite.close();
    rmSync(join(dataDir, 'dek.json'));
    await open();

    const status = await satellite.call('getServicesStatus', {});
    expect(status.keyGeneration).toMatchObject({ active: false, reason: expect.stringMatching(/^DEK missing: restore it from a backup/), dekHash: originalDekHash });
    expect(existsSync(join(dataDir, 'dek.json'))).toBe(false);
    const server = createApiServer(satellite, { host: '127.0.0.1', port: 0, log: silentLogger });
    try {
      const url = await server.listen();
      const res = await fetch(`${url}/v1/edgeinstances`, { headers: { 'tppl-api-key': await satellite.apiKey() } });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect(text).toContain('DEK missing: restore it from a backup');
      expect(text).toContain('"ERROR"');
    } finally {
      await server.close();
    }
    await expectRefused(satellite.exportKeystore({ id: certificateIds[0]!, exportFormat: 'PEM', privateKeyPassphrase: EXPORT_PASSPHRASE, certificateLabel: 'x' }), ERROR_CODES.DEK_UNAVAILABLE, /DEK missing/);

    const restore = (backupBase64: string, passphrase: string) => satellite.call('restoreDek', rpcInputSchemas.restoreDek.parse({ backupBase64, passphrase }));
    await expectRefused(restore(backup.toString('base64'), 'not the backup passphrase'), ERROR_CODES.VALIDATION, /passphrase does not open this backup.*Nothing was changed/);
    // A backup of another satellite's DEK.
    const other = await createSatellite({ dataDir: join(work, 'other'), dekStore: 'file', dekPassphrase: DEK_PASSPHRASE });
    const foreign = (await other.saveDekBackup({ passphrase: BACKUP_PASSPHRASE }, async (b) => ({ bytes: Buffer.from(b.bytes) })))!;
    await other.close();
    await expectRefused(restore(foreign.bytes.toString('base64'), BACKUP_PASSPHRASE), ERROR_CODES.CONFLICT, new RegExp(`sealed under DEK ${originalDekHash}. Nothing was changed`));
    expect(existsSync(join(dataDir, 'dek.json'))).toBe(false);
    expect((await satellite.call('getServicesStatus', {})).keyGeneration.active).toBe(false);

    const restored = await restore(backup.toString('base64'), BACKUP_PASSPHRASE);
    expect(restored).toMatchObject({ active: true, dekHash: originalDekHash });
    expect((await satellite.edgeInstance()).edgeStatus).toBe('ACTIVE');
    await expectEveryKeyExports();
    await expectCaIssues('after-restore.dek.example');
  }, 120_000);

  it('rotates: a new DEK, every key and secret (the CA keys too) rewrapped, the CA still issues, also after a restart', async () => {
    const rotated = await satellite.call('rotateDek', {});
    expect(rotated.dekHash).not.toBe(originalDekHash);
    expect(rotated.movedBlobs).toBeGreaterThanOrEqual(KEY_COUNT + 1 + Object.keys(SEALED_KEY_IDS).length);
    expect(sealedUnder()).toEqual(new Set([rotated.dekHash]));
    const status = (await satellite.call('getServicesStatus', {})).keyGeneration;
    // The old backup holds the retired DEK: the Services page asks for a new one.
    expect(status).toMatchObject({ active: true, dekHash: rotated.dekHash, lastBackupDate: undefined, nextStep: expect.stringMatching(/Back up the DEK/) });

    await expectCaIssues('after-rotation.dek.example');
    await expectEveryKeyExports();
    await expectRefused(
      satellite.call('restoreDek', rpcInputSchemas.restoreDek.parse({ backupBase64: backup.toString('base64'), passphrase: BACKUP_PASSPHRASE })),
      ERROR_CODES.CONFLICT,
      /Nothing was changed/,
    );

    await satellite.close();
    await open();
    expect((await satellite.call('getServicesStatus', {})).keyGeneration).toMatchObject({ active: true, dekHash: rotated.dekHash });
    await expectCaIssues('after-restart.dek.example');
  }, 120_000);
});
