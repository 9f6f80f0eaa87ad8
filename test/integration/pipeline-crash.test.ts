import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import { REQUEST_STATUSES } from '../../src/shared/statuses';
import { fileDekStore, openDek } from '../../src/main/core/dek';
import { spkiFromPkcs8 } from '../../src/main/core/keys';
import { createSatellite } from '../../src/main/core/satellite';
import { openInventoryStore } from '../../src/main/core/store';
import { TOOLS, describeWithTools } from '../helpers/tools';

// Issue 3, "Crash safety": a real satellite process (test/helpers/crash-worker.ts) submitting a
// stream of requests is SIGKILLed at >= 50 random moments and restarted each time. At the end:
// every request acknowledged as ISSUED is there with a key that decrypts and matches its
// certificate, no key blob is orphaned, and every interrupted request is resumed or FAILED with a reason.
// About 150 s on an idle 2-core machine (each restart is a tsx start plus scrypt); more under load.

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const worker = join(root, 'test/helpers/crash-worker.ts');
const PASSPHRASE = 'a test passphrase 123';
const KILLS = 50;
/** A worker that dies on its own (it should not) still counts as an attempt, so the loop is bounded. */
const MAX_ATTEMPTS = 60;

interface WorkerRun {
  acks: { id: string; status: string }[];
  killed: boolean;
  exitCode: number | null;
  stderr: string;
}

let dataDir: string;

/** Runs the worker; once it says READY, SIGKILLs its node process after `killAfterMs`. */
function runWorker(killAfterMs: number): Promise<WorkerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [worker, dataDir], {
      env: { ...process.env, SATELLITE_DEK_PASSPHRASE: PASSPHRASE, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: WorkerRun = { acks: [], killed: false, exitCode: null, stderr: '' };
    let workerPid: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const killWorker = () => {
      try {
        if (workerPid) process.kill(workerPid, 'SIGKILL');
        run.killed = true;
      } catch {
        // It had already exited.
      }
    };
    const guard = setTimeout(() => {
      killWorker();
      child.kill('SIGKILL');
      reject(new Error(`the crash worker did not get READY and killed within 60 s; stderr: ${run.stderr}`));
    }, 60_000);
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      // Only whole lines count: a line cut by the kill was never acknowledged.
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const [word, a, b] = buffered.slice(0, nl).split(' ');
        buffered = buffered.slice(nl + 1);
        if (word === 'READY') {
          workerPid = Number(a);
          timer = setTimeout(killWorker, killAfterMs);
        } else if (word === 'ACK') {
          run.acks.push({ id: a!, status: b! });
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      clearTimeout(timer);
      run.exitCode = code;
      resolve(run);
    });
  });
}

describeWithTools([TOOLS.openssl])('request pipeline under SIGKILL (file DEK store, SQLite inventory, a real child process)', () => {
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ks-pipeline-crash-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(`keeps every acknowledged certificate and key, orphans no key and resumes every interrupted request after ${KILLS} kills`, { timeout: 540_000 }, async () => {
    const acknowledged = new Map<string, string>();
    /** Requests some kill left in NEW or REQUESTED: each must end ISSUED or FAILED with a reason. */
    const interruptedEver = new Set<string>();
    let kills = 0;
    for (let attempt = 0; kills < KILLS && attempt < MAX_ATTEMPTS; attempt++) {
      const run = await runWorker(50 + Math.floor(Math.random() * 1450));
      for (const ack of run.acks) acknowledged.set(ack.id, ack.status);
      expect(run.killed, `attempt ${attempt}: the worker ended by itself (exit ${run.exitCode}): ${run.stderr}`).toBe(true);
      kills++;
      const between = openInventoryStore(join(dataDir, 'inventory.sqlite'));
      try {
        for (const r of between.listRequestsByStatus(['NEW', 'REQUESTED'])) interruptedEver.add(r.id);
      } finally {
        between.close();
      }
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    const issuedAcks = [...acknowledged].filter(([, status]) => status === 'ISSUED').map(([id]) => id);
    // Every acknowledgement is of a finished request: the worker waits for each one.
    expect([...acknowledged.values()].every((s) => s === 'ISSUED' || s === 'FAILED')).toBe(true);
    expect(issuedAcks.length).toBeGreaterThan(KILLS);

    // Most kills land inside a request (key generation, CA, store), not between two of them.
    expect(interruptedEver.size).toBeGreaterThanOrEqual(KILLS / 2);
    console.log(`${kills} kills, ${acknowledged.size} acknowledged (${issuedAcks.length} ISSUED), ${interruptedEver.size} requests interrupted in flight`);

    const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: PASSPHRASE });
    await satellite.resumed;
    try {
      for (const id of interruptedEver) {
        const request = await satellite.call('getCertificateRequest', rpcInputSchemas.getCertificateRequest.parse({ id }));
        expect(['ISSUED', 'FAILED'], `interrupted request ${id}`).toContain(request.status);
        if (request.status === 'FAILED') expect(request.errorInformation?.message, `interrupted request ${id}`).toBeTruthy();
      }
      // Two acknowledged keys go through the real keystore export, which reads the key back against the certificate.
      for (const id of issuedAcks.slice(0, 2)) {
        const request = await satellite.call('getCertificateRequest', rpcInputSchemas.getCertificateRequest.parse({ id }));
        const exported = await satellite.exportKeystore({ id: request.certificateIds[0]!, exportFormat: 'PKCS12', privateKeyPassphrase: 'export passphrase 1', certificateLabel: 'crash' });
        expect(exported.summary.scheme).toContain('PKCS#12');
      }
    } finally {
      await satellite.close();
    }

    const dek = (await openDek(fileDekStore(join(dataDir, 'dek.json'), PASSPHRASE), { create: false }))!;
    const sealer = dek.sealer();
    const store = openInventoryStore(join(dataDir, 'inventory.sqlite'));
    try {
      const requests = store.listRequestsByStatus(REQUEST_STATUSES);
      expect(requests.filter((r) => r.status === 'NEW' || r.status === 'REQUESTED'), 'nothing left in flight after resume').toEqual([]);
      for (const r of requests.filter((r) => r.status === 'FAILED')) expect(r.errorInformation?.message, `FAILED ${r.id} says why`).toBeTruthy();

      for (const id of issuedAcks) {
        const request = store.getRequest(id);
        expect(request?.status, `acknowledged ${id}`).toBe('ISSUED');
        const certificate = store.getCertificate(request!.certificateIds[0]!)!;
        expect(certificate.certificateRequestId).toBe(id);
        const blob = store.getKeyBlob(id);
        expect(blob, `acknowledged ${id} has its key`).toBeDefined();
        const pkcs8 = sealer.open(id, blob!.blob);
        const certificateSpki = new X509Certificate(store.getCertificatePem(certificate.id)!).publicKey.export({ type: 'spki', format: 'der' });
        expect(Buffer.from(spkiFromPkcs8(pkcs8)).equals(certificateSpki), `the key of ${id} matches its certificate`).toBe(true);
        pkcs8.fill(0);
      }

      const owners = new Set([...requests.map((r) => r.id), ...requests.flatMap((r) => r.certificateIds)]);
      const orphans = store.listKeyBlobs().filter((b) => !owners.has(b.recordId));
      expect(orphans, 'key blobs whose record is neither a request nor a certificate').toEqual([]);
      // A key blob exists exactly for the requests that got as far as a CSR.
      for (const r of requests) {
        expect(store.getKeyBlob(r.id) !== undefined, `request ${r.id} (${r.status}) has a key iff it has a CSR`).toBe(r.certificateSigningRequest !== undefined);
      }
    } finally {
      store.close();
    }
  });
});
