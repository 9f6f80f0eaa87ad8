import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

// A plain JSON-lines log. Callers pass facts (ids, statuses, fingerprints), never key
// material or passphrases; the secret-scan tests read this file to prove it.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export function fileLogger(path: string, echo = false): Logger {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let writeFailed = false;
  return {
    log(level, message, fields) {
      const line = JSON.stringify({ at: new Date().toISOString(), level, message, ...fields });
      try {
        appendFileSync(path, line + '\n', { mode: 0o600 });
      } catch (error) {
        // A full disk or a removed log directory must not fail the request being logged: say so
        // once on stderr and go on.
        if (!writeFailed) console.error(`[log] cannot write ${path} (${(error as Error).message}); further log lines are dropped until it can`);
        writeFailed = true;
        return;
      }
      writeFailed = false;
      if (echo && level !== 'debug') console.log(`[${level}] ${message}`);
    },
  };
}

export const silentLogger: Logger = { log() {} };
