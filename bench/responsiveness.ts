import { monitorEventLoopDelay } from 'node:perf_hooks';
import { timeOnce } from './stats';

export interface ResponsivenessResult {
  requests: number;
  wallMs: number;
  delayP99Ms: number;
  delayMaxMs: number;
  delayMeanMs: number;
}

/**
 * Event-loop delay in the process serving requests while a burst of requests is in flight at
 * once: what a user feels as a frozen UI in the Electron main process.
 */
export async function benchResponsiveness(request: (i: number) => Promise<void>, burst: number): Promise<ResponsivenessResult> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const { ms } = await timeOnce(() => Promise.all(Array.from({ length: burst }, (_, i) => request(i))));
  histogram.disable();
  const toMs = (ns: number): number => ns / 1e6;
  return { requests: burst, wallMs: ms, delayP99Ms: toMs(histogram.percentile(99)), delayMaxMs: toMs(histogram.max), delayMeanMs: toMs(histogram.mean) };
}
