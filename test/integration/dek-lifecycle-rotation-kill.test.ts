import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDek } from '../../src/main/core/dek/data-encryption-key';
import { fileDekStore } from '../../src/main/core/dek/file/file-dek-store';
import { inventoryBlobRepository, pendingFileDekStore, PENDING_DEK_FILE_NAME, resumeRotation } from '../../src/main/core/dek';
import { readDek } from '../../src/main/core/dek/lifecycle/dek-material';
import { sealInventory } from '../../src/main/core/dek/lifecycle/lifecycle.testkit';
import { DEK_HASH_META } from '../../src/main/core/dek';
import { openInventoryStore } from '../../src/main/core/store/inventory-store';
import { readBlobDekHash } from '../../src/main/core/vault/blob-format';

// A real process rotating a real inventory (file DEK store, SQLite) is SIGKILLed at random
// moments; after each kill no blob may be under a DEK that is in neither store, and the next
// start must converge: every blob under one new DEK, all opening to their original bytes.

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const worker = join(root, 'test/helpers/rotation-worker.ts');
const PASSPHRASE = 'rotation kill test passphrase';
const FAST = { scryptN: 2 ** 14 };
const KEYS = 200;
const SECRETS = 3;
const KILLS = 30;
/** Attempts are bounded: a worker that finishes before its timer counts as an attempt, not a kill. */
const MAX_ATTEMPTS = 70;

let dataDir: string;
let plain: Map<string, Buffer>;
const dekPath = () => join(dataDir, 'dek.json');
const stores = () => ({ current: fileDekStore(dekPath(), PASSPHRASE, FAST), pending: pendingFileDekStore(dekPath(), PASSPHRASE, FAST) });

interface WorkerRun {
  phases: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  killed: boolean;
  stderr: string;
  /** From the 'started' line to the end. */
  ms: number;
}

/** When to kill: `delayMs` after the worker reports `phase` for the `nth` time. */
interface KillPlan {
  phase: string;
  nth: number;
  delayMs: number;
}

/**
 * A random kill point. Each step is aimed at in turn; the delay after it is random, so a kill
 * lands anywhere from inside scrypt (DEK file reads and writes) to between two blob swaps.
 */
function randomKillPlan(attempt: number): KillPlan {
  const phase = ['started', 'resumed', 'pending-written', 'blob-moved', 'all-moved', 'current-replaced', 'blob-moved'][attempt % 7]!;
  const random = (n: number) => Math.floor(Math.random() * n);
  if (phase === 'blob-moved') return { phase, nth: 1 + random(KEYS + SECRETS), delayMs: random(3) };
  // Right after the later steps (a few ms): with longer delays a loaded machine lets the worker run
  // on past them, and the kills bunch up in fewer steps than the test means to cover.
  return { phase, nth: 1, delayMs: random(phase === 'started' || phase === 'resumed' ? 400 : 5) };
}

/** Runs the worker and, when `kill` says so, SIGKILLs its node process. */
function runWorker(kill?: KillPlan): Promise<WorkerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [worker, dataDir], {
      env: { ...process.env, SATELLITE_DEK_PASSPHRASE: PASSPHRASE, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: WorkerRun = { phases: [], exitCode: null, signal: null, killed: false, stderr: '', ms: 0 };
    let startedAt = 0;
    let workerPid: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      if (workerPid) process.kill(workerPid, 'SIGKILL');
      reject(new Error(`the rotation worker did not finish within 60 s; phases: ${run.phases.join(', ')}; stderr: ${run.stderr}`));
    }, 60_000);
    const seen: Record<string, number> = {};
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const event = JSON.parse(buffered.slice(0, nl)) as { phase: string; pid?: number };
        buffered = buffered.slice(nl + 1);
        run.phases.push(event.phase);
        if (event.phase === 'started') {
          startedAt = Date.now();
          // tsx runs the script in a child node process: that process (whose pid the script reports) is the one to kill.
          workerPid = event.pid;
        }
        seen[event.phase] = (seen[event.phase] ?? 0) + 1;
        if (kill && event.phase === kill.phase && seen[event.phase] === kill.nth) {
          timer = setTimeout(() => {
            try {
              process.kill(workerPid!, 'SIGKILL');
              run.killed = true;
            } catch {
              // It had already exited.
            }
          }, kill.delayMs);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      clearTimeout(timer);
      run.exitCode = code;
      run.signal = signal;
      run.ms = startedAt ? Date.now() - startedAt : 0;
      resolve(run);
    });
  });
}

/** The dekHashes the two DEK files hold right now. */
async function presentDekHashes(): Promise<{ current?: string; pending?: string }> {
  const { current, pending } = stores();
  return { current: (await readDek(current))?.dekHash, pending: (await readDek(pending))?.dekHash };
}

/** After a kill: every blob's DEK (by its row and by its own header) is in one of the two stores. */
async function expectNoBlobStranded(context: string): Promise<void> {
  const present = await presentDekHashes();
  const held = new Set([present.current, present.pending].filter((h): h is string => h !== undefined));
  const inventory = openInventoryStore(join(dataDir, 'inventory.db'));
  try {
    const repo = inventoryBlobRepository(inventory);
    const refs = repo.listSealed();
    expect(refs, context).toHaveLength(KEYS + SECRETS);
    const stranded = refs.filter((r) => !held.has(r.dekHash) || readBlobDekHash(repo.get(r.kind, r.id)!) !== r.dekHash);
    expect(stranded, `${context}: blobs under a DEK in neither store`).toEqual([]);
  } finally {
    inventory.close();
  }
}

/** Converged: no pending DEK, one current DEK, every blob under it and opening to its original bytes. */
async function expectConverged(context: string): Promise<string> {
  expect(existsSync(join(dataDir, PENDING_DEK_FILE_NAME)), `${context}: ${PENDING_DEK_FILE_NAME} is gone`).toBe(false);
  const dek = (await readDek(stores().current))!;
  const inventory = openInventoryStore(join(dataDir, 'inventory.db'));
  try {
    expect(inventory.getMeta(DEK_HASH_META), context).toBe(dek.dekHash);
    const repo = inventoryBlobRepository(inventory);
    const sealer = dek.sealer();
    let opened = 0;
    for (const ref of repo.listSealed()) {
      expect(ref.dekHash, `${context}: ${ref.kind} ${ref.id}`).toBe(dek.dekHash);
      expect(sealer.open(ref.id, repo.get(ref.kind, ref.id)!).equals(plain.get(`${ref.kind}:${ref.id}`)!), `${context}: ${ref.id} decrypts`).toBe(true);
      opened++;
    }
    expect(opened).toBe(KEYS + SECRETS);
  } finally {
    inventory.close();
  }
  return dek.dekHash;
}

describe('DEK rotation under SIGKILL (file DEK store, SQLite inventory, a real child process)', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ks-rotation-kill-'));
    const dek = (await openDek(stores().current, { create: true }))!;
    const inventory = openInventoryStore(join(dataDir, 'inventory.db'));
    try {
      plain = sealInventory(inventory, dek, KEYS, SECRETS);
    } finally {
      inventory.close();
    }
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(`converges after SIGKILL at ${KILLS} random points, never stranding a blob`, async () => {
    // An undisturbed run first: it proves a rotation completes and times one, to spread the kills over it.
    const before = await expectConverged('initial');
    const clean = await runWorker();
    expect(clean.exitCode, clean.stderr).toBe(0);
    expect(clean.phases.filter((p) => p === 'blob-moved')).toHaveLength(KEYS + SECRETS);
    expect(await expectConverged('after the undisturbed rotation')).not.toBe(before);

    const killedAfter: Record<string, number> = {};
    let kills = 0;
    for (let attempt = 0; kills < KILLS && attempt < MAX_ATTEMPTS; attempt++) {
      const dekBefore = (await presentDekHashes()).current!;
      const run = await runWorker(randomKillPlan(attempt));
      if (!run.killed) {
        expect(run.exitCode, run.stderr).toBe(0);
        continue;
      }
      kills++;
      const last = run.phases.at(-1)!;
      killedAfter[last] = (killedAfter[last] ?? 0) + 1;
      const context = `kill ${kills} after "${last}" (${run.phases.filter((p) => p === 'blob-moved').length} blobs moved)`;
      await expectNoBlobStranded(context);

      // Every third kill is left for the next worker's own start to resume (which may be killed in turn).
      if (kills % 3 === 0 && kills < KILLS) continue;
      const { current, pending } = stores();
      const inventory = openInventoryStore(join(dataDir, 'inventory.db'));
      try {
        await resumeRotation(current, pending, inventoryBlobRepository(inventory));
      } finally {
        inventory.close();
      }
      const after = await expectConverged(context);
      // Once the new DEK was written, the restart finishes the rotation rather than abandoning it.
      if (run.phases.includes('pending-written')) expect(after, context).not.toBe(dekBefore);
    }
    console.log(`DEK rotation SIGKILL test: ${kills} kills in ${clean.ms} ms runs; the last step each killed worker reported:`, killedAfter);
    expect(kills).toBeGreaterThanOrEqual(30);
    // The kills landed all along a rotation: before the new DEK, between swaps, around the promotion.
    expect(killedAfter['blob-moved'] ?? 0).toBeGreaterThanOrEqual(5);
    expect(Object.keys(killedAfter).length).toBeGreaterThanOrEqual(4);

    // And a final undisturbed start resumes nothing and rotates cleanly.
    const last = await runWorker();
    expect(last.exitCode, last.stderr).toBe(0);
    await expectConverged('final');
  });
});
