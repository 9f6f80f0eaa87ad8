import { Worker } from 'node:worker_threads';
import { ERROR_CODES } from '../../../shared/error-codes';
import { SatelliteError } from '../common/errors';

// Whether the inventory file can be trusted. SQLite's own check (PRAGMA quick_check) reads the
// whole file, seconds for a large inventory, so at start it runs on a worker thread with its own
// read-only connection while the satellite serves; any statement that meets a damaged page
// (SQLITE_CORRUPT, SQLITE_NOTADB) says so at once too.

/** SQLite's result codes for a file that is not (or no longer) a sound database. */
const DAMAGE_ERRCODES = new Set([11 /* SQLITE_CORRUPT */, 26 /* SQLITE_NOTADB */]);

export function isDamageError(error: unknown): boolean {
  const e = error as { errcode?: number; message?: string };
  return (typeof e?.errcode === 'number' && DAMAGE_ERRCODES.has(e.errcode & 0xff)) || /database disk image is malformed|file is not a database/i.test(e?.message ?? '');
}

/** The inventory is damaged: writes are refused so nothing more is lost; the message names the file and the way out. */
export class StoreDamagedError extends SatelliteError {
  override name = 'StoreDamagedError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(
      ERROR_CODES.INVENTORY_DAMAGED,
      `the inventory ${file} is damaged (${problem}): writes are refused so nothing more is lost. ` +
        `Stop the satellite and put back a copy of ${file} (keys stay sealed under the DEK), or move it aside to start with an empty inventory.`,
      503,
      { file },
    );
  }
}

/**
 * Runs PRAGMA quick_check on `file` with a read-only connection on a worker thread: "ok" or the
 * problems it lists. A check that could not run (the file busy, say) is not damage: it rejects,
 * unless what stopped it is itself a sign of damage (SQLITE_CORRUPT, SQLITE_NOTADB).
 */
export function quickCheck(file: string): Promise<string[]> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { DatabaseSync } = require('node:sqlite');
    let db;
    try {
      db = new DatabaseSync(workerData, { readOnly: true });
      const rows = db.prepare('PRAGMA quick_check(20)').all();
      parentPort.postMessage({ problems: rows.map((r) => String(Object.values(r)[0])) });
    } catch (error) {
      parentPort.postMessage({ error: { message: String((error && error.message) || error), errcode: error && error.errcode } });
    } finally {
      try { db && db.close(); } catch {}
    }`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: file });
    worker.once('message', (answer: { problems?: string[]; error?: { message: string; errcode?: number } }) => {
      if (answer.problems) return resolve(answer.problems);
      const error = Object.assign(new Error(answer.error?.message ?? 'the check did not run'), { errcode: answer.error?.errcode });
      // A file that is not a database, or a damaged page met while opening: that is the answer.
      if (isDamageError(error)) resolve([error.message]);
      else reject(error);
    });
    worker.once('error', reject);
    // Not unref'd: `--check` has nothing else keeping the process alive until the answer comes.
  });
}
