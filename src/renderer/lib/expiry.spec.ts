import { describe, expect, it } from 'vitest';
import { expiryBadge } from './expiry';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const inDays = (d: number) => new Date(NOW + d * 86_400_000).toISOString();

describe('expiry badge', () => {
  it.each([
    [-3, 'expired', 'red', 'expired'],
    [0, 'expired', 'red', 'expired'],
    [0.5, 'critical', 'red', 'expires in 12 hours'],
    [0.01, 'critical', 'red', 'expires within the hour'],
    [1, 'critical', 'red', 'expires in 1 day'],
    [7 - 5 / 1440, 'critical', 'red', 'expires in 7 days'],
    [13.9, 'critical', 'red', 'expires in 13 days'],
    [14, 'warning', 'yellow', 'expires in 14 days'],
    [29, 'warning', 'yellow', 'expires in 29 days'],
    [30, 'ok', 'green', 'expires in 30 days'],
    [397, 'ok', 'green', 'expires in 397 days'],
  ] as const)('%s days -> %s', (days, tone, color, label) => {
    expect(expiryBadge(inDays(days), NOW)).toMatchObject({ tone, color, label });
  });

  it('an unparseable date is shown as a problem, not as valid', () => {
    expect(expiryBadge('not a date', NOW)).toMatchObject({ tone: 'expired', label: 'no expiry date' });
  });
});
