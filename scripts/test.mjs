#!/usr/bin/env node
// npm test: lint, types, every vitest suite (unit, integration with real tools, e2e in Chromium).
// The keychain suites need a D-Bus session with an unlocked gnome-keyring, so when we are not
// inside one we re-run ourselves under dbus-run-session and unlock a throwaway keyring there.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ci = process.env.CI === 'true';
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const run = (cmd, args, extraEnv = {}) => {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
};

if (!process.env.KS_TEST_DBUS) {
  if (has('dbus-run-session') && has('gnome-keyring-daemon')) {
    // A private keyring directory so the tests never touch the user's own keychain.
    const home = mkdtempSync(join(tmpdir(), 'ks-test-home-'));
    const r = spawnSync('dbus-run-session', ['--', process.execPath, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, KS_TEST_DBUS: '1', XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: home },
    });
    process.exit(r.status ?? 1);
  }
  const msg = 'dbus-run-session or gnome-keyring-daemon is missing: apt-get install dbus gnome-keyring libsecret-tools';
  if (ci) {
    console.error(msg);
    process.exit(1);
  }
  console.warn(`*** ${msg}; the keychain suites will report it. ***`);
} else {
  // Unlock (and create) the login keyring with a throwaway password; export its control socket.
  const out = execFileSync('sh', ['-c', 'echo -n ks-test-password | gnome-keyring-daemon --unlock --components=secrets'], { encoding: 'utf8' });
  for (const line of out.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] = m[2];
  }
}

const only = process.argv.slice(2);
if (only.length === 0) {
  run('eslint', ['.']);
  run('tsc', ['--noEmit', '-p', 'tsconfig.json']);
  // The desktop bundles (main, preload, renderer) must build even though Electron cannot run here.
  run('electron-vite', ['build', '--logLevel', 'warn']);
  run('vite', ['build', '--config', 'vite.web.config.ts', '--logLevel', 'warn']);
}
const report = join(mkdtempSync(join(tmpdir(), 'ks-vitest-')), 'report.json');
const r = spawnSync('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...only], { stdio: 'inherit' });
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  // The plain closing line CI reads.
  console.log(`\n${j.numPassedTests} passed, ${j.numFailedTests} failed${j.numPendingTests ? `, ${j.numPendingTests} skipped` : ''}`);
}
process.exit(r.status ?? 1);
