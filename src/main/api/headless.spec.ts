import { SERVER_NODE_FLAGS } from '../../../scripts/server-node-flags.mjs';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliOptions } from './cli-options';
import { exposureWarning, runHeadless, type Headless } from './headless';
import { FakeSatelliteService } from './testing/fake-service';

describe('runHeadless', () => {
  let dir: string | undefined;
  let headless: Headless | undefined;
  afterEach(async () => {
    await headless?.shutdown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the URL and the one-time sign-in link, writes the API key 0600, and closes the service last', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ks-headless-'));
    const service = new FakeSatelliteService();
    service.call = (async (method: string) => (method === 'getApiKey' ? { apiKey: service.apiKey } : method === 'getServicesStatus' ? { keyGeneration: { active: true } } : {})) as typeof service.call;
    const out: string[] = [];
    const err: string[] = [];
    const options = parseCliOptions(['--data-dir', dir, '--port', '0', '--api-key-file', join(dir, 'api-key'), '--listen', '127.0.0.1', '--no-tls', '--pki-listen', '127.0.0.1:0'], {});
    headless = await runHeadless(options, async () => service, { out: (l) => out.push(l), err: (l) => err.push(l) }, '1.2.3');
    expect(out[0]).toMatch(/^PKI \(the built-in CA's CRL, CA certificates and OCSP, public\): http:\/\/127\.0\.0\.1:\d+\/pki\//);
    expect(out[1]).toMatch(/^Keypair Satellite listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(out[2]).toBe(`Web UI sign-in (one-time link): ${headless.url}/ui/login?token=${headless.server.loginToken}`);
    expect(err).toEqual([]);
    expect(readFileSync(join(dir, 'api-key'), 'utf8').trim()).toBe(service.apiKey);
    expect(statSync(join(dir, 'api-key')).mode & 0o777).toBe(0o600);
    await headless.shutdown();
    expect(service.closed).toBe(true);
    headless = undefined;
  });

  it('starts without the DEK, saying the playbook is read at the next start, and never asks for it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ks-headless-'));
    const service = new FakeSatelliteService();
    const calls: string[] = [];
    service.call = (async (method: string) => {
      calls.push(method);
      return method === 'getServicesStatus' ? { keyGeneration: { active: false, reason: 'the keychain is locked' } } : {};
    }) as typeof service.call;
    const err: string[] = [];
    const options = parseCliOptions(['--data-dir', dir, '--port', '0', '--no-tls', '--no-pki', '--playbook', join(dir, 'playbook.yaml')], {});
    headless = await runHeadless(options, async () => service, { out: () => undefined, err: (l) => err.push(l) }, '1.2.3');
    expect(err).toEqual([`WARNING: --playbook ${join(dir, 'playbook.yaml')} not read now: the key generation service is inactive (the keychain is locked). Automations already set up wait for it too; the playbook is read at the next start.`]);
    expect(calls).not.toContain('importPlaybook');
  });

  it('warns when --listen exposes the API beyond loopback, and only then', () => {
    expect(exposureWarning({ host: '0.0.0.0', listenExplicit: true })).toMatch(/^WARNING: --listen 0\.0\.0\.0 exposes/);
    expect(exposureWarning({ host: '192.168.1.5', listenExplicit: true })).toMatch(/192\.168\.1\.5/);
    expect(exposureWarning({ host: '127.0.0.1', listenExplicit: true })).toBeUndefined();
    expect(exposureWarning({ host: '::1', listenExplicit: true })).toBeUndefined();
    expect(exposureWarning({ host: '127.0.0.1', listenExplicit: false })).toBeUndefined();
  });
});

describe('npm run serve', () => {
  it('starts the server with every V8 flag the tests and the bench run it with', () => {
    const serve = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts.serve!;
    expect(SERVER_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of SERVER_NODE_FLAGS) expect(serve).toContain(`node ${flag}`);
  });
});
