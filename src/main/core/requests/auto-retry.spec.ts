import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTO_RETRY_DELAYS_MS, AutoRetryTimers } from './auto-retry';

describe('AutoRetryTimers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('names the wait after each failure, then none once the schedule is spent', () => {
    const timers = new AutoRetryTimers();
    expect(AUTO_RETRY_DELAYS_MS.map((_, i) => timers.delayAfter(i))).toEqual([...AUTO_RETRY_DELAYS_MS]);
    expect(timers.delayAfter(AUTO_RETRY_DELAYS_MS.length)).toBeUndefined();
    expect(timers.attempts).toBe(5);
  });

  it('fires once at its time; scheduling a request again replaces its timer; stop cancels all', () => {
    const timers = new AutoRetryTimers([10]);
    const fired: string[] = [];
    timers.schedule('a', new Date(Date.now() + 100), () => fired.push('a-first'));
    timers.schedule('a', new Date(Date.now() + 200), () => fired.push('a-second'));
    timers.schedule('b', new Date(Date.now() - 1), () => fired.push('b'));
    vi.advanceTimersByTime(150);
    expect(fired).toEqual(['b']);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['b', 'a-second']);
    timers.schedule('c', new Date(Date.now() + 100), () => fired.push('c'));
    timers.stop();
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual(['b', 'a-second']);
  });
});
