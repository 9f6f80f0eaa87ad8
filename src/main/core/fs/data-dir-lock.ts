import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * One satellite per data directory. Two on one directory lose keys for good: after one rotates
 * the DEK, the other seals new keys under the old DEK, which nothing holds any more. So the first
 * to start writes `satellite.lock` (created exclusively) and every other refuses to start while
 * that process lives. A lock left by a killed process is stale: its pid is gone, or (Linux) the
 * pid now belongs to a process that started later.
 */
export const LOCK_FILE = 'satellite.lock';

export interface LockOwner {
  pid: number;
  /** Linux: the process's start time in clock ticks since boot (/proc/PID/stat field 22), to tell a reused pid. */
  processStart?: string;
  hostname: string;
  /** What holds it, in the user's words: "the desktop app", "the headless satellite". */
  holder: string;
  since: string;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Keypair Satellite: ${owner.holder} (pid ${owner.pid} on ${owner.hostname}, since ${owner.since}). ` +
        `Two satellites on one data directory lose keys. Stop that one first, or start this one with another data directory (--data-dir DIR).`,
    );
    this.name = 'DataDirInUseError';
  }
}

function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true; // another machine's process: we cannot tell, so it holds
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStartOf(owner.pid);
  return owner.processStart === undefined || start === undefined || start === owner.processStart;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' ? (owner as LockOwner) : undefined;
  } catch {
    // Unreadable or half-written (a kill between create and write): nobody holds it.
    return undefined;
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** Takes the data directory for this process, or throws DataDirInUseError naming who has it. */
export function lockDataDir(dataDir: string, holder: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, processStart: processStartOf(process.pid), hostname: hostname(), holder, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create the lock file ${path}: ${(error as Error).message}`, { cause: error });
      const owner = readOwner(path);
      if (owner && isAlive(owner)) throw new DataDirInUseError(dataDir, owner);
      // Empty and new: another satellite is between creating it and writing its pid.
      if (!owner && Date.now() - mtimeOf(path) < 2000) throw new DataDirInUseError(dataDir, { pid: 0, hostname: hostname(), holder: 'a satellite that is starting', since: new Date().toISOString() });
      // Stale: move it aside atomically, so of two starters that both saw it stale only one removes it.
      const aside = `${path}.stale-${process.pid}`;
      try {
        renameSync(path, aside);
        rmSync(aside, { force: true });
      } catch {
        // the other starter moved it first; try again
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
    };
    // A normal exit removes it; a kill leaves it stale, which the next start recognises.
    process.on('exit', release);
    return { path, release };
  }
  throw new Error(`cannot take the lock file ${path}: another satellite keeps replacing it; stop the other satellite and retry`);
}
