/** How many wrong credentials one client address may send per window before it must wait. */
export interface AuthFailureLimits {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_AUTH_FAILURE_LIMITS: AuthFailureLimits = { maxFailures: 10, windowMs: 60_000 };

/** Addresses tracked at once; beyond that the oldest are forgotten so memory stays bounded. */
const MAX_TRACKED = 10_000;

/**
 * Brute-force brake for API keys, login tokens and session cookies, in memory. While an address
 * is over the limit every credential from it is refused, the right one too: otherwise the
 * answer itself would tell a guesser when it had won.
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
