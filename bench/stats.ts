import { performance } from 'node:perf_hooks';

/** What a series of timings comes to, in milliseconds. */
export interface Timing {
  n: number;
  medianMs: number;
  /** Nearest-rank 99th percentile: with fewer than 100 samples this is the slowest one. */
  p99Ms: number;
  minMs: number;
  maxMs: number;
}

/** A timing plus the wall time of the whole run, for throughput. */
export interface Throughput extends Timing {
  concurrency: number;
  wallMs: number;
  perSecond: number;
}

function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function summarize(samples: number[]): Timing {
  if (samples.length === 0) throw new Error('summarize: no samples; every bench step runs at least once');
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, medianMs: percentile(sorted, 50), p99Ms: percentile(sorted, 99), minMs: sorted[0]!, maxMs: sorted[sorted.length - 1]! };
}

/** Runs `fn` `total` times with at most `concurrency` in flight; times each call and the whole run. */
export async function runConcurrent(total: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<Throughput> {
  const samples: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      const started = performance.now();
      await fn(i);
      samples.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const wallMs = performance.now() - started;
  return { ...summarize(samples), concurrency, wallMs, perSecond: (total / wallMs) * 1000 };
}

/** Times a synchronous or asynchronous call once. */
export async function timeOnce<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}
