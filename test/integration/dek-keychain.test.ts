import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DataEncryptionKey, openDek } from '../../src/main/core/dek/data-encryption-key';
import { DekStoreUnavailableError } from '../../src/main/core/dek/dek-store';
import { DEFAULT_KEYCHAIN_ACCOUNT, keychainDekStore } from '../../src/main/core/dek/keychain';
import { TOOLS, describeWithTools } from '../helpers/tools';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dekModule = join(root, 'src/main/core/dek/index.ts');
const tsx = join(root, 'node_modules/.bin/tsx');
const services: string[] = [];
let dir: string;

/** A keychain service name no one else uses, removed after the suite. */
function uniqueService(): string {
  const service = `Keypair Satellite test ${randomUUID()}`;
  services.push(service);
  return service;
}

/** secret-tool's answer: exit status, stdout, and both streams (search prints attributes on stderr). */
function secretTool(...args: string[]): { status: number | null; stdout: string; output: string } {
  const r = spawnSync('secret-tool', args, { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, output: r.stdout + r.stderr };
}

/**
 * Runs openDek({create: true}) in a child process with `env` and reports what happened as JSON.
 * 'no-keyring': inside a fresh dbus-run-session. 'locked': there too, after storing KS_ENTRY in a
 * new login keyring and locking it (secret-tool lock crashes on exit, status 139, after locking).
 */
function openDekInChild(service: string, env: NodeJS.ProcessEnv, session: 'none' | 'no-keyring' | 'locked' = 'none') {
  const script = join(dir, `probe-${randomUUID()}.mts`);
  writeFileSync(
    script,
    `import { keychainDekStore, openDek } from ${JSON.stringify(dekModule)};
try {
  const dek = await openDek(keychainDekStore({ service: ${JSON.stringify(service)} }), { create: true });
  console.log(JSON.stringify({ outcome: 'opened', dekHash: dek?.dekHash }));
} catch (err) {
  const e = err as Error & { backend?: string; fix?: string };
  console.log(JSON.stringify({ outcome: 'error', name: e.name, message: e.message, backend: e.backend, fix: e.fix }));
}
`,
  );
  const lockThenRun = [
    `eval "$(printf ks-test-password | gnome-keyring-daemon --unlock --components=secrets | sed 's/^/export /')"`,
    `printf '%s' "$KS_ENTRY" | secret-tool store --label=ks-test service "$KS_SERVICE" username ${DEFAULT_KEYCHAIN_ACCOUNT}`,
    'secret-tool lock --collection=login 2>/dev/null',
    `exec ${JSON.stringify(tsx)} ${JSON.stringify(script)}`,
  ].join('\n');
  const [cmd, args] =
    session === 'none' ? [tsx, [script]]
    : session === 'no-keyring' ? ['dbus-run-session', ['--', tsx, script]]
    : ['dbus-run-session', ['--', 'sh', '-c', lockThenRun]];
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, env, cwd: env.KS_DATA_DIR });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`The child printed no result (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(line) as { outcome: string; name?: string; message?: string; backend?: string; fix?: string };
}

/**
 * A child's sandbox: its own HOME and XDG dirs (where dbus-run-session and gnome-keyring keep
 * their files), no way to reach the test's D-Bus session or a display, and a separate,
 * empty data dir as its working directory, which must stay empty.
 */
function sandbox(bus: string | undefined): { env: NodeJS.ProcessEnv; dataDir: string } {
  const base = join(dir, `child-${randomUUID()}`);
  const home = join(base, 'home');
  const dataDir = join(base, 'data');
  mkdirSync(home, { recursive: true });
  mkdirSync(dataDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}`,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    // libdbus also looks for $XDG_RUNTIME_DIR/bus.
    XDG_RUNTIME_DIR: home,
    KS_DATA_DIR: dataDir,
  };
  for (const v of ['DBUS_SESSION_BUS_ADDRESS', 'GNOME_KEYRING_CONTROL', 'SSH_AUTH_SOCK', 'DISPLAY', 'WAYLAND_DISPLAY']) delete env[v];
  if (bus) env.DBUS_SESSION_BUS_ADDRESS = bus;
  return { env, dataDir };
}

function filesUnder(path: string): string[] {
  return readdirSync(path, { recursive: true, encoding: 'utf8' });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ks-dek-keychain-'));
});
afterAll(() => {
  for (const service of services) secretTool('clear', 'service', service);
  rmSync(dir, { recursive: true, force: true });
});

describeWithTools([TOOLS.secretTool, TOOLS.gnomeKeyring, TOOLS.dbusRunSession])('DEK in the Secret Service', () => {
  beforeAll(() => {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
      throw new Error('No D-Bus session: run this suite through `npm test -- test/integration/dek-keychain.test.ts`, which starts one with an unlocked gnome-keyring.');
    }
  });

  it('round-trips the DEK, and secret-tool finds the entry by the attributes @napi-rs/keyring writes', async () => {
    const service = uniqueService();
    const store = keychainDekStore({ service });
    expect(store.kind).toBe('keychain');
    expect(store.backend).toBe('Secret Service (Linux)');
    expect(await openDek(store, { create: false })).toBeNull();
    expect(secretTool('search', '--all', 'service', service).output).toBe('');

    const dek = (await openDek(store, { create: true }))!;
    expect(dek.backend).toBe('Secret Service (Linux)');

    // @napi-rs/keyring stores attributes "service" and "username", labelled "keyring:<user>@<service>".
    const found = secretTool('search', '--all', 'service', service).output;
    expect(found).toContain(`attribute.service = ${service}`);
    expect(found).toContain(`attribute.username = ${DEFAULT_KEYCHAIN_ACCOUNT}`);
    expect(found).toContain(`label = keyring:${DEFAULT_KEYCHAIN_ACCOUNT}@${service}`);

    const lookup = secretTool('lookup', 'service', service, 'username', DEFAULT_KEYCHAIN_ACCOUNT);
    expect(lookup.status).toBe(0);
    const entry = JSON.parse(lookup.stdout) as { v: number; key: string; createdAt: string };
    expect(entry.v).toBe(1);
    expect(entry.createdAt).toBe(dek.createdAt);
    const fromKeychain = new DataEncryptionKey({ key: Buffer.from(entry.key, 'base64'), createdAt: entry.createdAt }, 'secret-tool');
    expect(fromKeychain.dekHash).toBe(dek.dekHash);

    // A new process (here: a new store object) gets the same DEK back, and the same vault.
    const reopened = (await openDek(keychainDekStore({ service }), { create: true }))!;
    expect(reopened.dekHash).toBe(dek.dekHash);
    expect(reopened.sealer().open('r1', dek.sealer().seal('r1', Buffer.from('pkcs8'))).toString()).toBe('pkcs8');

    await store.remove();
    expect(secretTool('lookup', 'service', service, 'username', DEFAULT_KEYCHAIN_ACCOUNT)).toMatchObject({ status: 1, stdout: '' });
    expect(await store.read()).toBeNull();
  });

  it('an entry that is not a DEK is reported, and openDek never replaces it with a fresh DEK', async () => {
    const service = uniqueService();
    execFileSync('secret-tool', ['store', '--label=not a DEK', 'service', service, 'username', DEFAULT_KEYCHAIN_ACCOUNT], { input: 'hello' });
    const err = await openDek(keychainDekStore({ service }), { create: true }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(DekStoreUnavailableError);
    expect(err!.message).toMatch(/is not a Keypair Satellite DEK: the entry is not JSON.*restore the DEK from a backup/);
    expect(err!.message).not.toContain('hello');
    expect(secretTool('lookup', 'service', service, 'username', DEFAULT_KEYCHAIN_ACCOUNT).stdout).toBe('hello');
  });

  for (const [name, bus] of [
    ['DBUS_SESSION_BUS_ADDRESS unset', undefined],
    ['DBUS_SESSION_BUS_ADDRESS pointing to a socket that does not exist', 'unix:path=/nonexistent/ks-test-bus'],
  ] as const) {
    it(`without a D-Bus session (${name}): the clear error, no DEK created, nothing written`, () => {
      const service = uniqueService();
      const { env, dataDir } = sandbox(bus);
      const result = openDekInChild(service, env);
      expect(result).toMatchObject({ outcome: 'error', name: 'DekStoreUnavailableError', backend: 'Secret Service (Linux)' });
      expect(result.message).toMatch(/^The DEK store "Secret Service \(Linux\)" is not usable: could not read the entry .* no D-Bus session bus/);
      expect(result.fix).toMatch(/dbus-run-session with gnome-keyring-daemon running; or run headless with --dek-store file/);
      expect(result.message).toContain(result.fix);
      // Nothing in the data dir, nothing in the keychain (no fallback to another store).
      expect(filesUnder(dataDir)).toEqual([]);
      expect(secretTool('search', '--all', 'service', service).output).toBe('');
    });
  }

  it('in a session with no keyring at all: the create-a-keyring fix, nothing written', () => {
    const service = uniqueService();
    const { env, dataDir } = sandbox(undefined);
    // A fresh dbus-run-session: gnome-keyring starts on demand but no keyring was ever created or unlocked.
    const result = openDekInChild(service, env, 'no-keyring');
    expect(result).toMatchObject({ outcome: 'error', name: 'DekStoreUnavailableError', backend: 'Secret Service (Linux)' });
    expect(result.message).toMatch(/could not write the entry .*(no default keyring|the keyring is locked)/);
    expect(result.fix).toMatch(/^(create a login keyring and unlock it|unlock your login keyring)/);
    expect(filesUnder(dataDir)).toEqual([]);
    expect(secretTool('search', '--all', 'service', service).output).toBe('');
  });

  it('with a locked keyring holding the DEK: the unlock fix, and no fresh DEK is made', () => {
    const service = uniqueService();
    const { env, dataDir } = sandbox(undefined);
    const entry = JSON.stringify({ v: 1, key: randomBytes(32).toString('base64'), createdAt: new Date().toISOString() });
    const result = openDekInChild(service, { ...env, KS_SERVICE: service, KS_ENTRY: entry }, 'locked');
    expect(result).toMatchObject({ outcome: 'error', name: 'DekStoreUnavailableError', backend: 'Secret Service (Linux)' });
    expect(result.message).toMatch(/could not read the entry "data-encryption-key" of service ".*": the keyring is locked/);
    expect(result.fix).toMatch(/^unlock your login keyring/);
    expect(result.message).not.toContain(JSON.parse(entry).key);
    expect(filesUnder(dataDir)).toEqual([]);
  });
});
