/**
 * Runs at most `limit` tasks at once; the others wait their turn, first come first served.
 * The pipeline uses it for key generation: a burst of RSA requests would otherwise fill every
 * libuv threadpool thread with multi-second prime searches and queue every continuation behind
 * them, so the main process (and the UI it serves) stalls for hundreds of milliseconds.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`ConcurrencyLimit: limit must be a whole number of at least 1, got ${limit}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next task, so a newcomer cannot take it in between.
      if (next) next();
      else this.active--;
    }
  }

  /** Tasks running now, and waiting. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}
