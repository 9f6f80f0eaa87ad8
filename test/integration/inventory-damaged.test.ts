import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import { ERROR_CODES } from '../../src/shared/error-codes';
import { createSatellite, type Satellite } from '../../src/main/core/satellite';
import { mapError } from '../../src/main/api/error-mapping';
import { seedRequestBody } from '../helpers/seed-request';

// Issue 14: a damaged inventory. SQLite's quick_check at start (off the event loop) or any
// statement that meets a damaged page stops every write; Services says "damaged", names the file
// and the way out; a request is refused with the same words (503), and nothing is written, so a
// copy put back is not overwritten. A file that is not a database at all still lets the satellite
// start, to say so.

const PASSPHRASE = 'file dek store passphrase 1';
const REPO = join(__dirname, '../..');

/** `npm run serve -- --check` as a user runs it (no DEK passphrase needed). */
function checkCommand(dataDir: string): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.SATELLITE_DEK_PASSPHRASE;
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src/main/api/cli.ts'), '--data-dir', dataDir, '--dek-store', 'file', '--check'], { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
let work: string;

async function freshSatelliteWithCertificates(dataDir: string): Promise<void> {
  const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: PASSPHRASE });
  const [application] = (await satellite.call('listApplications', {})).filter((a) => a.name === 'Default');
  for (let i = 0; i < 60; i++) {
    const body = seedRequestBody({ applicationId: application!.id, certificateIssuingTemplateId: application!.certificateIssuingTemplateAliasIdMap.Default! }, [`host-${i}.example.com`]);
    body.csrAttributes!.commonName = `host-${i}.example.com`;
    expect((await satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body))).status).toBe('ISSUED');
  }
  await satellite.close();
}

async function expectRefusesWrites(satellite: Satellite, file: string): Promise<void> {
  const status = await satellite.call('getServicesStatus', {});
  expect(status.inventory).toMatchObject({ state: 'damaged', file });
  expect(status.inventory.message).toMatch(/^Inventory damaged: /);
  expect(status.inventory.nextStep).toContain(file);
  const [application] = await satellite.call('listApplications', {});
  const body = seedRequestBody({ applicationId: application!.id, certificateIssuingTemplateId: Object.values(application!.certificateIssuingTemplateAliasIdMap)[0]! }, ['after.example.com']);
  body.csrAttributes!.commonName = 'after.example.com';
  const refused = await satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body)).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(refused, 'a write went through on a damaged inventory').toBeDefined();
  const mapped = mapError(refused);
  expect(mapped.status).toBe(503);
  expect(mapped.body.errors[0]).toMatchObject({ code: ERROR_CODES.INVENTORY_DAMAGED, message: expect.stringContaining(`the inventory ${file} is damaged`) });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ks-inventory-damaged-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a damaged inventory', () => {
  it('damaged pages: quick_check at start finds them, Services says so naming the file, writes are refused, the file is left as it was', async () => {
    const dataDir = join(work, 'pages');
    await freshSatelliteWithCertificates(dataDir);
    const file = join(dataDir, 'inventory.sqlite');
    expect(checkCommand(dataDir)).toMatchObject({ status: 0, stdout: expect.stringContaining(`The inventory ${file} is sound`) });
    // Overwrite pages in the middle of the file (not the header): a disk or a copy gone wrong.
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, randomBytes(Math.floor(size / 4)), 0, Math.floor(size / 4), Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const damaged = readFileSync(file);
    const checked = checkCommand(dataDir);
    expect(checked.status, checked.stderr).toBe(1);
    expect(checked.stderr).toContain(`The inventory ${file} is damaged:`);
    expect(checked.stderr).toMatch(/put back a copy of/);

    const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: PASSPHRASE });
    try {
      const problems = await satellite.inventoryChecked;
      expect(problems.length).toBeGreaterThan(0);
      await expectRefusesWrites(satellite, file);
    } finally {
      await satellite.close();
    }
    expect(readFileSync(file).equals(damaged), 'the damaged file was written to').toBe(true);
  });

  it('a file that is not a database: the satellite starts to say so, and refuses writes', async () => {
    const dataDir = join(work, 'garbage');
    await freshSatelliteWithCertificates(dataDir);
    const file = join(dataDir, 'inventory.sqlite');
    writeFileSync(file, randomBytes(64 * 1024));
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: PASSPHRASE });
    try {
      await expectRefusesWrites(satellite, file);
      // The DEK is still there and still the one the keys were sealed under: no fresh DEK is made over a damaged inventory.
      expect((await satellite.call('getServicesStatus', {})).keyGeneration.active).toBe(true);
    } finally {
      await satellite.close();
    }
  });
});
