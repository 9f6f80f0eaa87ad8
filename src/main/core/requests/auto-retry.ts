// Failed requests that the CA may get over (unreachable, timed out, 5xx, rate limited) are tried
// again by the satellite itself, on a schedule that survives a restart (the time of the next try
// is kept on the request as nextAutoRetryAt).

/** After a retryable CA failure: 1 minute, 5, 15, 1 hour and 6 hours, then left FAILED for a person. */
export const AUTO_RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 6 * 60 * 60_000];

/** The timers of the automatic retries waiting now, one per request. */
export class AutoRetryTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly delaysMs: readonly number[] = AUTO_RETRY_DELAYS_MS) {}

  /** The wait before the next try after `failuresSoFar` failures, or undefined once the schedule is spent. */
  delayAfter(failuresSoFar: number): number | undefined {
    return this.delaysMs[failuresSoFar];
  }

  get attempts(): number {
    return this.delaysMs.length;
  }

  /** Runs `retry` for request `id` at `at` (replacing a timer it had); never keeps the process alive. */
  schedule(id: string, at: Date, retry: () => void): void {
    clearTimeout(this.timers.get(id));
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        retry();
      },
      Math.max(0, at.getTime() - Date.now()),
    );
    timer.unref();
    this.timers.set(id, timer);
  }

  /** No retry fires after this (the satellite is closing). */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
