import { KEY_TYPES, type BenchKeyType, type Iterations } from './key-types';
import { withCpuPerItem } from './process-cpu';
import { runConcurrent, type Throughput } from './stats';

export interface RequestsResult {
  keyType: BenchKeyType['label'];
  c1: Throughput;
  c8: Throughput;
  /** CPU ms the serving process spent per request at concurrency 8, when it is another process on Linux. */
  c8CpuMs?: number;
}

/**
 * Certificate requests per key type, one at a time and then eight in flight. For RSA both runs
 * make the same number of certificates, so their wall times compare "in series" with "at once".
 */
export async function benchRequests(request: (k: BenchKeyType, i: number) => Promise<void>, iterations: Iterations, serverPid?: number): Promise<RequestsResult[]> {
  const results: RequestsResult[] = [];
  for (const k of KEY_TYPES) {
    // Warm-up: first-use costs (JIT, statement cache, the crypto pool's workers starting) are not
    // the steady state. At concurrency 8, so every worker the timed runs use has started; then at
    // concurrency 1 as well, because a lone request's key, CSR and certificate are made on the
    // serving thread (crypto-pool.ts), whose copy of that code the workers' warm-up does not
    // compile: timed cold, P-256 read 4.46 ms one at a time where Ed25519, timed after it on the
    // same warm code, read 2.95 ms.
    await runConcurrent(iterations.warmup(k), 8, (i) => request(k, -1 - i));
    await runConcurrent(iterations.warmup(k), 1, (i) => request(k, -100_000 - i));
    const c1 = await runConcurrent(iterations.sequential(k), 1, (i) => request(k, i));
    const n = iterations.concurrent(k);
    const { value: c8, cpuMsPerItem: c8CpuMs } = await withCpuPerItem(serverPid, n, () => runConcurrent(n, 8, (i) => request(k, 10_000 + i)));
    results.push({ keyType: k.label, c1, c8, c8CpuMs });
  }
  return results;
}
