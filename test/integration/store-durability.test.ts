import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openInventoryStore } from '../../src/main/core/store';

// "Acknowledged = durable": a writer process prints ACK only after a transaction (request +
// its key blob) returned; we SIGKILL it at random moments and check that every acknowledged
// write is there and that no transaction is half there. (Power loss is SQLite's WAL +
// synchronous=FULL promise; a process kill is what we can do here.)

const ROOT = resolve(__dirname, '../..');
const TSX_LOADER = join(ROOT, 'node_modules/tsx/dist/esm/index.mjs');
const ROUNDS = 6;

function writerScript(dbPath: string): string {
  return `
import { randomUUID } from 'node:crypto';
import { openInventoryStore } from ${JSON.stringify(join(ROOT, 'src/main/core/store/index.ts'))};
const store = openInventoryStore(${JSON.stringify(dbPath)});
for (let i = 0; i < 100000; i++) {
  const id = randomUUID();
  const now = new Date().toISOString();
  store.transaction(() => {
    store.insertRequest({ id, applicationId: id, certificateIssuingTemplateId: id, validityPeriod: 'P7D', keyGeneration: 'SATELLITE',
      status: 'REQUESTED', certificateIds: [], tags: [], creationDate: now, modificationDate: now, statusHistory: [{ status: 'REQUESTED', at: now }] });
    store.putKeyBlob(id, 'dek', Buffer.alloc(512, i % 256));
  });
  process.stdout.write('ACK ' + id + '\\n');
}
`;
}

describe('InventoryStore durability under SIGKILL', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-store-kill-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`keeps every acknowledged write and no half transaction, over ${ROUNDS} kills`, async () => {
    const dbPath = join(dir, 'inventory.sqlite');
    const script = join(dir, 'writer.mts');
    writeFileSync(script, writerScript(dbPath));
    const acked = new Set<string>();

    for (let round = 0; round < ROUNDS; round++) {
      const child = spawn(process.execPath, ['--import', TSX_LOADER, script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let buffered = '';
      let stderr = '';
      let acksThisRound = 0;
      const killAfter = 5 + Math.floor(Math.random() * 60);
      const exited = new Promise<void>((done) => child.on('exit', () => done()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          if (!line.startsWith('ACK ')) continue;
          acked.add(line.slice(4));
          if (++acksThisRound === killAfter) child.kill('SIGKILL');
        }
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
      expect(acksThisRound, `writer made no progress: ${stderr}`).toBeGreaterThan(0);
    }

    const store = openInventoryStore(dbPath);
    try {
      for (const id of acked) {
        expect(store.getRequest(id)?.id).toBe(id);
        expect(store.getKeyBlob(id)?.blob.length).toBe(512);
      }
      // All or nothing: every request has its blob and every blob its request.
      const requests = store.listRequestsByStatus(['REQUESTED']).map((r) => r.id).sort();
      const blobs = store.listKeyBlobs().map((b) => b.recordId).sort();
      expect(blobs).toEqual(requests);
      expect(requests.length).toBeGreaterThanOrEqual(acked.size);
    } finally {
      store.close();
    }
  });
});
