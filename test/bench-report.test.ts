import { describe, expect, it } from 'vitest';
import { ratio } from '../bench/report';

// The bench prints a ratio beside PASS or FAIL: the figure must never read as the goal when it missed it.
describe('bench ratio text', () => {
  it('two decimals in general', () => {
    expect(ratio(0.9412)).toBe('0.94');
    expect(ratio(1.046)).toBe('1.05');
    expect(ratio(1)).toBe('1.00');
  });

  it('three, away from the goal, when two would round a miss onto it', () => {
    expect(ratio(0.999029)).toBe('0.999');
    expect(ratio(0.99999)).toBe('0.999');
    expect(ratio(2.0004, 2)).toBe('2.001');
    expect(ratio(1.5951, 1.6)).toBe('1.595');
  });
});
