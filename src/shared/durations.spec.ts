import { describe, expect, it } from 'vitest';
import { durationSeconds, isoDurationSchema } from './durations';

describe('ISO 8601 durations', () => {
  it.each([
    ['P7D', 7 * 86400],
    ['P90D', 90 * 86400],
    ['PT12H', 12 * 3600],
    ['P1DT2H', 26 * 3600],
    ['P1Y', 365 * 86400],
    ['P2W', 14 * 86400],
  ])('%s is %i seconds', (d, s) => expect(durationSeconds(d)).toBe(s));

  it.each(['', 'P', 'PT', '7D', 'P7', 'P-1D', 'P0D', 'P1.5D'])('refuses %j', (d) => {
    expect(isoDurationSchema.safeParse(d).success).toBe(false);
  });

  it('goes down to one hour, the cloud\'s minimum, and no further', () => {
    expect(isoDurationSchema.safeParse('PT1H').success).toBe(true);
    expect(isoDurationSchema.safeParse('PT60M').success).toBe(true);
    expect(isoDurationSchema.safeParse('PT59M').error?.issues[0]?.message).toBe('must be at least PT1H (one hour), the shortest validity the cloud service allows');
  });
});
