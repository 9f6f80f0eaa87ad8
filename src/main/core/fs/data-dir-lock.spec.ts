import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from './data-dir-lock';

describe('lockDataDir', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder while the first lives, naming it; free again once released', () => {
    const first = lockDataDir(dir, 'the desktop app');
    const owner = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; holder: string };
    expect(owner).toMatchObject({ pid: process.pid, holder: 'the desktop app', hostname: hostname() });
    let refused: unknown;
    try {
      lockDataDir(dir, 'the headless satellite');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toMatch(new RegExp(`^The data directory ${dir} is in use by another Keypair Satellite: the desktop app \\(pid ${process.pid} .*Stop that one first, or start this one with another data directory \\(--data-dir DIR\\)`));
    first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir, 'the headless satellite').release();
  });

  it('takes over a lock whose process is gone (killed) or whose pid now belongs to a later process', () => {
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout.trim());
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, hostname: hostname(), holder: 'x', since: 'then' }));
    lockDataDir(dir, 'after a kill').release();
    // Our own pid, but a start time that is not ours: the pid was reused.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, processStart: '1', hostname: hostname(), holder: 'x', since: 'then' }));
    lockDataDir(dir, 'after pid reuse').release();
  });

  it('a garbled old lock is stale; a just-created empty one is a satellite starting', () => {
    writeFileSync(join(dir, LOCK_FILE), '{"pi');
    expect(() => lockDataDir(dir, 'y')).toThrow(/a satellite that is starting/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    lockDataDir(dir, 'y').release();
  });
});
