import { parentPort } from 'node:worker_threads';
import { CRYPTO_JOBS, type CryptoJobName, type KeyAndCsr } from './crypto-jobs';
import { withExactBuffers } from './exact-buffers';

// The entry of a crypto-pool worker thread: runs CRYPTO_JOBS as the pool asks, replies with the
// output or the error's name and message (a CaError keeps whether retrying may help).

const port = parentPort;
if (!port) throw new Error('crypto-worker.ts is a worker thread entry; the crypto pool starts it');

port.on('message', async ({ id, job, input }: { id: number; job: CryptoJobName; input: never }) => {
  try {
    const made = await CRYPTO_JOBS[job](input);
    const keyTransfer: ArrayBuffer[] = [];
    if (job === 'keyAndCsr' || job === 'keyCsrAndCertificate') {
      // The private key moves to the main thread rather than being copied: one plaintext, which
      // the main thread wipes once sealed; this thread's export is wiped here. The moved copy is
      // exact, so withExactBuffers leaves it as it is and makes no other copy of it.
      const keyAndCsr = made as KeyAndCsr;
      const moved = new Uint8Array(keyAndCsr.pkcs8);
      keyAndCsr.pkcs8.fill(0);
      keyAndCsr.pkcs8 = moved;
      keyTransfer.push(moved.buffer);
    }
    const { value: output, transfer } = withExactBuffers(made);
    transfer.push(...keyTransfer);
    port.postMessage({ id, output }, transfer);
  } catch (error) {
    const e = error as Error & { retryable?: boolean };
    port.postMessage({ id, error: { name: e?.name ?? 'Error', message: e?.message ?? String(error), retryable: e?.retryable } });
  }
});
port.postMessage('ready');
