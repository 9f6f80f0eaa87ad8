import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import { createSatellite } from '../../src/main/core/satellite';
import { openInventoryStore } from '../../src/main/core/store';
import { startSatelliteServer } from '../helpers/satellite-server';
import { seedRequestBody } from '../helpers/seed-request';
import { describeWithTools, TOOLS } from '../helpers/tools';

// The headless CLI's DEK commands, run the way an operator runs them: `npm run serve --` is
// `tsx src/main/api/cli.ts`, with the DEK in a passphrase-wrapped file and the backup passphrase
// in SATELLITE_DEK_BACKUP_PASSPHRASE.

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const DEK_PASSPHRASE = 'file dek store passphrase 2';
const BACKUP_PASSPHRASE = 'cli backup passphrase 12345';
const CLI_TIMEOUT_MS = 90_000;

let work: string;
let dataDir: string;
let backupFile: string;
const certificateIds: string[] = [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run serve -- --data-dir DIR --dek-store file ...args`, bounded by CLI_TIMEOUT_MS. */
/** `backupPassphrase` null: SATELLITE_DEK_BACKUP_PASSPHRASE unset. */
function cli(args: string[], backupPassphrase: string | null = BACKUP_PASSPHRASE): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, SATELLITE_DEK_PASSPHRASE: DEK_PASSPHRASE };
  delete env.SATELLITE_DEK_BACKUP_PASSPHRASE;
  if (backupPassphrase !== null) env.SATELLITE_DEK_BACKUP_PASSPHRASE = backupPassphrase;
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/main/api/cli.ts'), '--data-dir', dataDir, '--dek-store', 'file', ...args], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((res) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

function sealedUnder(): Set<string> {
  const store = openInventoryStore(join(dataDir, 'inventory.sqlite'));
  try {
    return new Set([...store.listKeyBlobs().map((k) => k.dekHash), ...store.listSecrets().map((s) => s.dekHash)]);
  } finally {
    store.close();
  }
}

/** Opens the satellite in this process: every key exports as PEM and the built-in CA issues. */
async function expectKeysAndCaWork(): Promise<string> {
  const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: DEK_PASSPHRASE });
  try {
    const { keyGeneration } = await satellite.call('getServicesStatus', {});
    expect(keyGeneration.active, keyGeneration.reason).toBe(true);
    for (const id of certificateIds) {
      const exported = await satellite.exportKeystore({ id, exportFormat: 'PEM', privateKeyPassphrase: 'export passphrase 123', certificateLabel: 'cli' });
      expect(exported.bytes.length).toBeGreaterThan(0);
    }
    const [application] = (await satellite.call('listApplications', {})).filter((a) => a.name === 'Default');
    const body = seedRequestBody({ applicationId: application!.id, certificateIssuingTemplateId: application!.certificateIssuingTemplateAliasIdMap.Default! });
    body.csrAttributes!.keyTypeParameters = { keyType: 'EC', keyCurve: 'P256' };
    const issued = await satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body));
    expect(issued.status, issued.errorInformation?.message).toBe('ISSUED');
    return keyGeneration.dekHash!;
  } finally {
    await satellite.close();
  }
}

describeWithTools([TOOLS.openssl])('headless CLI: --backup-dek, --restore-dek, --rotate-dek and the missing DEK', () => {
  let originalDekHash: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-dek-cli-'));
    dataDir = join(work, 'data');
    backupFile = join(work, 'backup', 'dek-backup.json');
    const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: DEK_PASSPHRASE });
    const [application] = (await satellite.call('listApplications', {})).filter((a) => a.name === 'Default');
    for (let i = 0; i < 5; i++) {
      const body = seedRequestBody({ applicationId: application!.id, certificateIssuingTemplateId: application!.certificateIssuingTemplateAliasIdMap.Default! });
      body.csrAttributes!.keyTypeParameters = { keyType: 'EC', keyCurve: 'P256' };
      const issued = await satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body));
      certificateIds.push(issued.certificateIds[0]!);
    }
    originalDekHash = (await satellite.call('getServicesStatus', {})).keyGeneration.dekHash!;
    await satellite.close();
  }, 60_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('--backup-dek writes a 0600 backup and records it; without the passphrase it exits 1 naming the variable', async () => {
    const refused = await cli(['--backup-dek', backupFile], null);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--backup-dek needs the backup passphrase: set SATELLITE_DEK_BACKUP_PASSPHRASE/);

    const run = await cli(['--backup-dek', backupFile]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`DEK backup written to ${backupFile} (DEK ${originalDekHash}`);
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);
    const file = readFileSync(backupFile, 'utf8');
    expect(JSON.parse(file)).toMatchObject({ format: 'keypair-satellite-dek-backup', dekHash: originalDekHash });
    expect(file).not.toContain(BACKUP_PASSPHRASE);
    expect(`${run.stdout}${run.stderr}`).not.toContain(BACKUP_PASSPHRASE);

    const store = openInventoryStore(join(dataDir, 'inventory.sqlite'));
    expect(store.getMeta('dekLastBackupDate')).toBe(JSON.parse(file).createdAt);
    store.close();
  }, 120_000);

  it('with the DEK file gone: start reports "DEK missing" on stdout and in /v1/edgeinstances, --rotate-dek exits 1, and no DEK is made', async () => {
    rmSync(join(dataDir, 'dek.json'));
    const server = await startSatelliteServer({ dataDir, dekPassphrase: DEK_PASSPHRASE });
    try {
      const reported = /Key generation service inactive: DEK missing: restore it from a backup.*\nWhat to do: restore it with npm run serve -- --restore-dek FILE/s;
      // Waits for both lines: they may arrive in two chunks, and the first alone is not the message.
      for (let i = 0; i < 100 && !reported.test(server.output().stdout); i++) await new Promise((r) => setTimeout(r, 100));
      expect(server.output().stdout).toMatch(reported);
      const res = await fetch(`${server.url}/v1/edgeinstances`, { headers: { 'tppl-api-key': server.apiKey } });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect(text).toContain('DEK missing: restore it from a backup');
    } finally {
      await server.kill();
    }
    expect(existsSync(join(dataDir, 'dek.json'))).toBe(false);

    const rotate = await cli(['--rotate-dek']);
    expect(rotate.code).toBe(1);
    expect(rotate.stderr).toMatch(/--rotate-dek failed: .*DEK missing/);
    expect(existsSync(join(dataDir, 'dek.json'))).toBe(false);
  }, 180_000);

  it('--restore-dek refuses a wrong passphrase (exit 1, nothing changed), then restores: every key opens and the CA issues', async () => {
    const wrong = await cli(['--restore-dek', backupFile], 'not the right passphrase');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/--restore-dek .* failed: The passphrase does not open this backup.*Nothing was changed/);
    expect(existsSync(join(dataDir, 'dek.json'))).toBe(false);

    const run = await cli(['--restore-dek', backupFile]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`DEK restored into`);
    expect(run.stdout).toContain(`DEK ${originalDekHash}`);
    expect(await expectKeysAndCaWork()).toBe(originalDekHash);
  }, 180_000);

  it('--rotate-dek rewraps everything under a new DEK; keys open and the CA issues afterwards', async () => {
    const run = await cli(['--rotate-dek']);
    expect(run.code, run.stderr).toBe(0);
    const newDekHash = /the new DEK is ([0-9a-f]{64})/.exec(run.stdout)?.[1];
    expect(newDekHash, run.stdout).toBeDefined();
    expect(newDekHash).not.toBe(originalDekHash);
    expect(sealedUnder()).toEqual(new Set([newDekHash]));
    expect(await expectKeysAndCaWork()).toBe(newDekHash);
  }, 180_000);
});
