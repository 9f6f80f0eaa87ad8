import { closeSync, fstatSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

// A plain JSON-lines log. Callers pass facts (ids, statuses, fingerprints), never key
// material or passphrases; the secret-scan tests read this file to prove it.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

/**
 * How often an open log file is checked to still be the one at its path. In between, lines go to
 * the open descriptor: every certificate logs three lines, and opening and closing the file for
 * each cost three more system calls a line on the request's thread.
 */
const RECHECK_MS = 1000;
/** An idle log is closed again after this long, so no descriptor outlives the work it logged. */
const IDLE_CLOSE_MS = 2000;

export function fileLogger(path: string, echo = false): Logger {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let writeFailed = false;
  let open: { fd: number; ino: number; checkedAt: number } | undefined;
  let lastWriteAt = 0;
  let idleTimer: NodeJS.Timeout | undefined;

  const close = () => {
    const closing = open;
    open = undefined;
    try {
      if (closing) closeSync(closing.fd);
    } catch {
      // Already unusable (the reason a write failed): nothing more to release.
    }
  };
  /** The descriptor to write to: opened when there is none, reopened when the file at the path was moved away or removed (rotation, a removed directory). */
  const descriptor = (now: number): number => {
    if (open && now - open.checkedAt >= RECHECK_MS) {
      let current: number | undefined;
      try {
        current = statSync(path).ino;
      } catch {
        current = undefined;
      }
      if (current === open.ino) open.checkedAt = now;
      else close();
    }
    if (!open) {
      const fd = openSync(path, 'a', 0o600);
      open = { fd, ino: fstatSync(fd).ino, checkedAt: now };
    }
    return open.fd;
  };
  const closeWhenIdle = () => {
    if (idleTimer) return;
    const check = () => {
      idleTimer = undefined;
      if (Date.now() - lastWriteAt < IDLE_CLOSE_MS) idleTimer = setTimeout(check, IDLE_CLOSE_MS).unref();
      else close();
    };
    idleTimer = setTimeout(check, IDLE_CLOSE_MS).unref();
  };

  return {
    log(level, message, fields) {
      const line = Buffer.from(JSON.stringify({ at: new Date().toISOString(), level, message, ...fields }) + '\n');
      try {
        lastWriteAt = Date.now();
        const fd = descriptor(lastWriteAt);
        // A short write (the disk filling mid-line) is finished or fails on the next try, as appendFileSync did.
        for (let written = 0; written < line.length; ) {
          const n = writeSync(fd, line, written);
          if (n === 0) throw new Error('no byte could be written');
          written += n;
        }
        closeWhenIdle();
      } catch (error) {
        // A full disk or a removed log directory must not fail the request being logged: say so
        // once on stderr and go on. The file is opened again for the next line.
        close();
        if (!writeFailed) console.error(`[log] cannot write ${path} (${(error as Error).message}); further log lines are dropped until it can`);
        writeFailed = true;
        return;
      }
      writeFailed = false;
      if (echo && level !== 'debug') console.log(`[${level}] ${message}`);
    },
  };
}

/** The satellite's log in its data directory (logs/satellite.log), which every front end writes to. */
export function satelliteLogger(dataDir: string): Logger {
  return fileLogger(join(dataDir, 'logs', 'satellite.log'));
}

export const silentLogger: Logger = { log() {} };
