import { describe, expect, it } from 'vitest';
import type { RenewalAdvice } from '../../../shared/renewal';
import { renewalTime } from './renewal-time';

const certificate = { validityStart: '2026-01-01T00:00:00.000Z', validityEnd: '2026-04-01T00:00:00.000Z' };
const advice = (source: 'CA' | 'SATELLITE'): RenewalAdvice => ({
  certificateId: 'c',
  start: '2026-03-01T00:00:00.000Z',
  end: '2026-03-03T00:00:00.000Z',
  source,
  reason: source === 'CA' ? 'suggested by the CA of template "LE" (ACME Renewal Information)' : "the satellite's rule",
  state: 'NOT_YET',
  checkedAt: '2026-01-02T00:00:00.000Z',
});

describe('renewalTime: when the scheduler renews', () => {
  it('inside the CA\'s window first, at a random moment in it', () => {
    expect(renewalTime(certificate, '30d', advice('CA'), 0.5)).toEqual({
      at: new Date('2026-03-02T00:00:00.000Z'),
      reason: 'inside the window suggested by the CA of template "LE" (ACME Renewal Information)',
    });
  });

  it('by renewBefore when the CA suggests nothing, else by the satellite\'s rule; never when disabled', () => {
    expect(renewalTime(certificate, '30d', advice('SATELLITE')).at).toEqual(new Date('2026-03-02T00:00:00.000Z'));
    expect(renewalTime(certificate, undefined, advice('SATELLITE'))).toEqual({ at: new Date('2026-03-01T00:00:00.000Z'), reason: "the satellite's rule: in the last third of the lifetime" });
    expect(renewalTime(certificate, 'disabled', advice('SATELLITE')).at).toBeUndefined();
  });
});
