#!/usr/bin/env node
// The headless satellite serves the renderer from out/web. Build it when it is missing or older
// than its sources, so `npm install && npm start` works on a fresh checkout without a build step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const built = 'out/web/index.html';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const stale = !existsSync(built) || Math.max(newestMtime('src/renderer'), newestMtime('src/shared')) > statSync(built).mtimeMs;
if (stale) {
  console.log('Building the web UI (vite build)...');
  const r = spawnSync('vite', ['build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error('The web UI did not build; the API still works. Fix the errors above and start again.');
    process.exit(r.status ?? 1);
  }
}
