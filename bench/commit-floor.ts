import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { summarize, type Timing } from './stats';

/**
 * One durable SQLite commit on this disk, as the inventory makes them (WAL, synchronous=FULL:
 * an fsync per commit), with a row about the size of a request record. The pipeline makes one
 * per certificate with the built-in CA (two with a CA elsewhere), on the event loop.
 */
export function benchDurableCommit(commits: number): Timing {
  const dir = mkdtempSync(join(tmpdir(), 'ks-bench-commit-'));
  const db = new DatabaseSync(join(dir, 'commit.sqlite'));
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, record TEXT NOT NULL) STRICT');
    const insert = db.prepare('INSERT INTO t (record) VALUES (?)');
    const record = 'x'.repeat(2_000);
    const samples: number[] = [];
    for (let i = 0; i < commits; i++) {
      const started = performance.now();
      insert.run(record);
      samples.push(performance.now() - started);
    }
    return summarize(samples);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
