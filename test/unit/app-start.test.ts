import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` picks the desktop app or the headless satellite. Electron's binary is not installed
// on this machine, so these run the real script and stand in for npm with a small recorder.

const startScript = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ks-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Records how it was called, then exits 7 or, with WAIT_FOR_SIGNAL, waits for a signal.
const fakeNpm = join(work, 'fake-npm.cjs');
writeFileSync(
  fakeNpm,
  `console.log('FAKE_NPM ' + JSON.stringify(process.argv.slice(2)));
if (process.env.WAIT_FOR_SIGNAL) {
  process.on('SIGTERM', () => { console.log('FAKE_NPM got SIGTERM'); process.exit(0); });
  console.log('FAKE_NPM ready');
  setTimeout(() => process.exit(9), 30000);
} else process.exit(7);
`,
);

function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_execpath: fakeNpm, ...extra };
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'ELECTRON_OVERRIDE_DIST_PATH']) if (!(name in extra)) delete env[name];
  return env;
}

describe('scripts/start.mjs', () => {
  it('without an Electron runtime or a display, says why and runs `npm run serve -- <args>`', () => {
    const run = spawnSync(process.execPath, [startScript, '--port', '0'], { encoding: 'utf8', env: environment(), timeout: 60_000 });
    expect(run.stdout).toMatch(/Not starting the desktop app: Electron runtime not (installed|found)[^\n]*; no display \(DISPLAY\/WAYLAND_DISPLAY unset\)\./);
    expect(run.stdout).toContain('Starting the headless satellite instead');
    expect(run.stdout).toContain(`FAKE_NPM ${JSON.stringify(['run', 'serve', '--', '--port', '0'])}`);
    expect(run.status).toBe(7);
  });

  it('with a runtime but no display, names only the display', () => {
    const dist = mkdtempSync(join(work, 'electron-dist-'));
    writeFileSync(join(dist, process.platform === 'win32' ? 'electron.exe' : 'electron'), '');
    const run = spawnSync(process.execPath, [startScript], { encoding: 'utf8', env: environment({ ELECTRON_OVERRIDE_DIST_PATH: dist }), timeout: 60_000 });
    if (process.platform === 'linux') expect(run.stdout).toContain('Not starting the desktop app: no display (DISPLAY/WAYLAND_DISPLAY unset).');
    expect(run.stdout).not.toContain('Electron runtime');
  });

  it('passes SIGTERM on to the headless satellite and exits as it does', async () => {
    const child = spawn(process.execPath, [startScript], { env: environment({ WAIT_FOR_SIGNAL: '1' }) });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!output.includes('FAKE_NPM ready') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(output).toContain('FAKE_NPM ready');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('FAKE_NPM got SIGTERM');
  });
});
