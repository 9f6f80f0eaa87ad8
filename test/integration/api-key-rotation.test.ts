import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { describeWithTools } from '../helpers/tools';

// Issue 14: "the API-key file follows a key rotation". Scripts read --api-key-file; after the key
// is rotated from the web UI, the file holds the key that works, still mode 0600.

describeWithTools([])('API key rotation from the web UI', () => {
  let sat: SatelliteServer;
  const dir = mkdtempSync(join(tmpdir(), 'ks-api-key-'));
  const keyFile = join(dir, 'api-key.txt');
  beforeAll(async () => {
    // No SATELLITE_API_KEY: the satellite's own key, which can be rotated.
    sat = await startSatelliteServer({ extraArgs: ['--api-key-file', keyFile], env: { SATELLITE_API_KEY: '' } });
  });
  afterAll(async () => {
    await sat?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const rest = (key: string) => fetch(`${sat.url}/v1/useraccounts`, { headers: { 'tppl-api-key': key } });

  it('rewrites the key file with the new key; the old key stops working at once', async () => {
    // Printed right after the sign-in link, which is what the helper waits for.
    await expect.poll(() => sat.output().stdout).toContain(`API key written to ${keyFile}`);
    const oldKey = readFileSync(keyFile, 'utf8').trim();
    expect((await rest(oldKey)).status).toBe(200);

    const signIn = await fetch(`${sat.url}/ui/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey: oldKey }) });
    expect(signIn.status).toBe(201);
    const { sessionToken } = (await signIn.json()) as { sessionToken: string };
    const rotated = await fetch(`${sat.url}/ui/rpc/rotateApiKey`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-satellite-session': sessionToken }, body: '{}' });
    expect(rotated.status).toBe(200);
    const { apiKey: newKey } = (await rotated.json()) as { apiKey: string };
    expect(newKey).not.toBe(oldKey);

    expect(readFileSync(keyFile, 'utf8')).toBe(`${newKey}\n`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect((await rest(oldKey)).status).toBe(401);
    expect((await rest(newKey)).status).toBe(200);
  });
});
