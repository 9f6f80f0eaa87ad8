/** How often one wrong credential may be sent per window before it is answered 429. */
export interface AuthFailureLimits {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_AUTH_FAILURE_LIMITS: AuthFailureLimits = { maxFailures: 10, windowMs: 60_000 };

/** Addresses tracked at once; beyond that the oldest are forgotten so memory stays bounded. */
const MAX_TRACKED = 10_000;

/**
 * Failure counts per key (the routes key them by a hash of the wrong credential, see
 * cloud-auth credentialId), in memory and bounded. The credentials are 256-bit random values, so
 * guessing is not the threat this answers; a client stuck on a wrong key is told to stop.
 */
export class AuthFailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: AuthFailureLimits = DEFAULT_AUTH_FAILURE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds this address must wait, or 0 when it may try. */
  retryAfterSeconds(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.limits.maxFailures) return 0;
    const oldestThatCounts = recent[recent.length - this.limits.maxFailures]!;
    return Math.max(1, Math.ceil((oldestThatCounts + this.limits.windowMs - this.now()) / 1000));
  }

  recordFailure(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    // Only the newest maxFailures matter for the decision.
    if (recent.length > this.limits.maxFailures) recent.splice(0, recent.length - this.limits.maxFailures);
    this.failures.delete(address);
    this.failures.set(address, recent);
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const kept = (this.failures.get(address) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(address);
    return kept;
  }
}
