import { execFileSync } from 'node:child_process';
import { describe } from 'vitest';

/** A system tool a suite needs, and how to install it on Debian. */
export interface Tool {
  command: string;
  install: string;
}

export const TOOLS = {
  openssl: { command: 'openssl', install: 'apt-get install openssl' },
  keytool: { command: 'keytool', install: 'apt-get install default-jdk-headless' },
  secretTool: { command: 'secret-tool', install: 'apt-get install libsecret-tools' },
  gnomeKeyring: { command: 'gnome-keyring-daemon', install: 'apt-get install gnome-keyring' },
  dbusRunSession: { command: 'dbus-run-session', install: 'apt-get install dbus' },
  pebble: { command: 'pebble', install: 'apt-get install pebble' },
  challtestsrv: { command: 'pebble-challtestsrv', install: 'apt-get install pebble' },
  chromium: { command: 'chromium', install: 'apt-get install chromium' },
} satisfies Record<string, Tool>;

function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The tools from this list that are not installed. */
export function missingTools(tools: Tool[]): Tool[] {
  return tools.filter((t) => !onPath(t.command));
}

/**
 * `describe` for a suite that needs real tools. A missing tool fails the run under CI=true
 * and is announced loudly elsewhere; it never skips quietly.
 */
export function describeWithTools(tools: Tool[]): typeof describe | ReturnType<typeof describe.skipIf> {
  const missing = missingTools(tools);
  if (missing.length === 0) return describe;
  const what = missing.map((t) => `${t.command} (${t.install})`).join(', ');
  if (process.env.CI === 'true') throw new Error(`This suite needs ${what}; CI must install it in .ci/run.`);
  console.warn(`\n*** SKIPPING a suite: it needs ${what}. Install it to run these tests. ***\n`);
  return describe.skipIf(true);
}
