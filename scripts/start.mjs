#!/usr/bin/env node
// npm start: the desktop app when this machine can show it, otherwise the headless satellite.
// The Electron binary is checked on disk rather than with require('electron'): that require
// downloads the binary when it is missing, and `npm start` must never reach the network.
//   npm start -- [args]   args go to Electron, or to `npm run serve` (src/main/api/cli.ts)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** The Electron executable the `electron` package would run, and whether it is on disk. */
export function electronBinary(env = process.env) {
  let packageDir;
  try {
    packageDir = dirname(createRequire(join(projectDir, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { path: undefined, problem: 'Electron runtime not installed (the electron package is missing: run npm install)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(path) ? { path } : { path: undefined, problem: `Electron runtime not found at ${path} (ELECTRON_OVERRIDE_DIST_PATH)` };
  }
  if (!relative) return { path: undefined, problem: 'Electron runtime not installed (node_modules/electron/path.txt missing: npm install never downloads its binary; fetch it once with `npx install-electron`, then npm start again)' };
  const path = join(packageDir, 'dist', relative);
  return existsSync(path) ? { path } : { path: undefined, problem: `Electron runtime not installed (node_modules/electron/dist missing ${relative})` };
}

/** Why the desktop app cannot run here, or an empty list when it can. */
export function desktopBlockers(env = process.env, platform = process.platform) {
  const blockers = [];
  const electron = electronBinary(env);
  if (electron.problem) blockers.push(electron.problem);
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) blockers.push('no display (DISPLAY/WAYLAND_DISPLAY unset)');
  return { electron: electron.path, blockers };
}

/** Runs a child with our stdio, passes SIGINT/SIGTERM/SIGHUP on to it, and exits as it exits. */
function runForwardingSignals(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: projectDir, ...options });
  const forward = (signal) => () => child.kill(signal);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'].filter((s) => process.platform !== 'win32' || s !== 'SIGHUP');
  for (const signal of signals) process.on(signal, forward(signal));
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signalNumber(signal) ?? 1) : 1)));
}

const signalNumber = (signal) => ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[signal];

function startDesktop(electron, args) {
  const electronVite = join(dirname(createRequire(join(projectDir, 'package.json')).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  console.log('Building the app (electron-vite build)...');
  const build = spawnSync(process.execPath, [electronVite, 'build'], { stdio: 'inherit', cwd: projectDir });
  if (build.status !== 0) {
    console.error(`electron-vite build failed (exit ${build.status ?? build.signal}); fix the build errors above and run npm start again.`);
    process.exit(build.status ?? 1);
  }
  runForwardingSignals(electron, ['.', ...args]);
}

function startHeadless(blockers, args) {
  console.log(`Not starting the desktop app: ${blockers.join('; ')}.`);
  console.log('Starting the headless satellite instead (npm run serve); its web UI and API are on the address it prints.');
  const npmCli = process.env.npm_execpath;
  const serve = ['run', 'serve', '--', ...args];
  if (npmCli && /\.(c|m)?js$/.test(npmCli)) runForwardingSignals(process.execPath, [npmCli, ...serve]);
  else runForwardingSignals(process.platform === 'win32' ? 'npm.cmd' : 'npm', serve, { shell: process.platform === 'win32' });
}

function main() {
  const args = process.argv.slice(2);
  const { electron, blockers } = desktopBlockers();
  if (electron && blockers.length === 0) startDesktop(electron, args);
  else startHeadless(blockers, args);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
