import { describe, expect, it } from 'vitest';
import { renewalState, satelliteRenewalWindow } from './renewal';

const ninetyDays = { validityStart: '2026-01-01T00:00:00.000Z', validityEnd: '2026-04-01T00:00:00.000Z' };

describe('satelliteRenewalWindow', () => {
  it('is the fifth sixth of the lifetime: days 60 to 75 of a 90-day certificate', () => {
    const { start, end } = satelliteRenewalWindow(ninetyDays);
    expect(start.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(end.toISOString()).toBe('2026-03-17T00:00:00.000Z');
  });
});

describe('renewalState', () => {
  const window = { start: new Date('2026-03-02T00:00:00Z'), end: new Date('2026-03-17T00:00:00Z') };
  const notAfter = new Date('2026-04-01T00:00:00Z');
  it.each([
    ['2026-02-01T00:00:00Z', 'NOT_YET'],
    ['2026-03-02T00:00:00Z', 'DUE'],
    ['2026-03-17T00:00:00Z', 'DUE'],
    ['2026-03-20T00:00:00Z', 'LATE'],
    ['2026-04-01T00:00:00Z', 'EXPIRED'],
  ])('at %s is %s', (now, state) => {
    expect(renewalState(window, notAfter, new Date(now))).toBe(state);
  });

  it('is LATE, not DUE, once a CA window ends before notAfter has passed', () => {
    expect(renewalState({ start: new Date('2026-01-02T00:00:00Z'), end: new Date('2026-01-03T00:00:00Z') }, notAfter, new Date('2026-01-10T00:00:00Z'))).toBe('LATE');
  });
});
