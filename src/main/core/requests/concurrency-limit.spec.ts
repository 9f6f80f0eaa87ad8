import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrency-limit';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ConcurrencyLimit', () => {
  it('never runs more than the limit at once, and starts the waiting tasks in arrival order', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const tasks = Array.from({ length: 7 }, (_, i) =>
      limit.run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        for (let t = 0; t < 3; t++) await tick();
        running--;
        return i * 10;
      }),
    );
    await tick();
    expect(limit.load).toEqual({ active: 2, waiting: 5 });
    expect(await Promise.all(tasks)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(limit.load).toEqual({ active: 0, waiting: 0 });
  });

  it('frees the slot of a task that fails, and passes the failure to its caller', async () => {
    const limit = new ConcurrencyLimit(1);
    const failing = limit.run(async () => {
      await tick();
      throw new Error('prime search failed');
    });
    const next = limit.run(async () => 'ran');
    await expect(failing).rejects.toThrow('prime search failed');
    await expect(next).resolves.toBe('ran');
    expect(limit.load).toEqual({ active: 0, waiting: 0 });
  });

  it('refuses a limit below 1, naming the value', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(/at least 1, got 0/);
    expect(() => new ConcurrencyLimit(1.5)).toThrow(/got 1.5/);
  });
});
