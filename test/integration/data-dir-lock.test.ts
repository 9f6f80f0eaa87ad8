import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createSatellite } from '../../src/main/core/satellite';
import { silentLogger } from '../../src/main/core/common/log';
import { startSatelliteServer } from '../helpers/satellite-server';
import { describeWithTools } from '../helpers/tools';

// Issue 14, attack 3: two satellites on one data directory lost keys (one rotated the DEK, the
// other kept sealing under the old one). Now the second refuses to start, saying who holds the
// directory, and starts once the first has stopped, or was killed.

const PASSPHRASE = 'data dir lock test passphrase';
const work = mkdtempSync(join(tmpdir(), 'ks-data-dir-lock-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describeWithTools([])('one satellite per data directory', () => {
  it('a second headless satellite refuses while one runs; starts after it stopped, and after it was killed', async () => {
    const dataDir = join(work, 'headless');
    const first = await startSatelliteServer({ dataDir, dekPassphrase: PASSPHRASE });
    const refused = await startSatelliteServer({ dataDir, dekPassphrase: PASSPHRASE, startTimeoutMs: 60_000 }).then(
      async (s) => {
        await s.kill();
        return undefined;
      },
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/exited \(code 1/);
    expect(refused).toMatch(new RegExp(`Keypair Satellite could not start: The data directory ${dataDir} is in use by another Keypair Satellite: the headless satellite \\(pid ${first.child.pid} `));
    expect(refused).toMatch(/Stop that one first, or start this one with another data directory \(--data-dir DIR\)/);
    // The refused one changed nothing: the first still answers.
    expect((await fetch(`${first.url}/v1/useraccounts`, { headers: { 'tppl-api-key': first.apiKey } })).status).toBe(200);

    expect((await first.kill('SIGTERM')).code).toBe(0);
    expect(existsSync(join(dataDir, 'satellite.lock'))).toBe(false);
    const second = await startSatelliteServer({ dataDir, dekPassphrase: PASSPHRASE });
    expect((await second.kill('SIGKILL')).signal).toBe('SIGKILL');
    expect(existsSync(join(dataDir, 'satellite.lock')), 'a kill leaves the lock behind').toBe(true);
    const third = await startSatelliteServer({ dataDir, dekPassphrase: PASSPHRASE });
    expect((await fetch(`${third.url}/v1/useraccounts`, { headers: { 'tppl-api-key': third.apiKey } })).status).toBe(200);
    await third.kill();
  });

  it('the desktop app and the headless satellite refuse each other, each naming the other', async () => {
    const dataDir = join(work, 'shared');
    // The desktop app's satellite is createSatellite in the Electron main process, as here.
    const desktop = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: PASSPHRASE, log: silentLogger, holder: 'the desktop app' });
    const headless = await startSatelliteServer({ dataDir, dekPassphrase: PASSPHRASE, startTimeoutMs: 60_000 }).then(
      async (s) => {
        await s.kill();
        return undefined;
      },
      (error: Error) => error.message,
    );
    expect(headless).toMatch(new RegExp(`is in use by another Keypair Satellite: the desktop app \\(pid ${process.pid} `));
    await desktop.close();

    const server = await startSatelliteServer({ dataDir, dekPassphrase: PASSPHRASE });
    await expect(createSatellite({ dataDir, dekStore: 'file', dekPassphrase: PASSPHRASE, log: silentLogger, holder: 'the desktop app' })).rejects.toThrow(
      new RegExp(`is in use by another Keypair Satellite: the headless satellite \\(pid ${server.child.pid} `),
    );
    await server.kill();
    const again = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: PASSPHRASE, log: silentLogger, holder: 'the desktop app' });
    await again.close();
  });
});
