import { parentPort } from 'node:worker_threads';
import { CRYPTO_JOBS, type CryptoJobName, type KeyAndCsr } from './crypto-jobs';

// The entry of a crypto-pool worker thread: runs CRYPTO_JOBS as the pool asks, replies with the
// output or the error's name and message (a CaError keeps whether retrying may help).

const port = parentPort;
if (!port) throw new Error('crypto-worker.ts is a worker thread entry; the crypto pool starts it');

port.on('message', async ({ id, job, input }: { id: number; job: CryptoJobName; input: never }) => {
  try {
    const output = await CRYPTO_JOBS[job](input);
    const transfer: ArrayBuffer[] = [];
    if (job === 'keyAndCsr') {
      // The private key moves to the main thread rather than being copied: one plaintext, which
      // the main thread wipes once sealed; this thread's export is wiped here.
      const made = output as KeyAndCsr;
      const moved = new Uint8Array(made.pkcs8);
      made.pkcs8.fill(0);
      made.pkcs8 = moved;
      transfer.push(moved.buffer);
    }
    port.postMessage({ id, output }, transfer);
  } catch (error) {
    const e = error as Error & { retryable?: boolean };
    port.postMessage({ id, error: { name: e?.name ?? 'Error', message: e?.message ?? String(error), retryable: e?.retryable } });
  }
});
port.postMessage('ready');
