import { describe, expect, it } from 'vitest';
import { renewalAdvice } from './renewal-advice';

const ninetyDays = { id: 'c1', validityStart: '2026-01-01T00:00:00.000Z', validityEnd: '2026-04-01T00:00:00.000Z' };

describe('renewalAdvice', () => {
  const now = new Date('2026-03-05T12:00:00Z');

  it("follows the CA's window and says so", () => {
    const window = { start: new Date('2026-01-10T00:00:00Z'), end: new Date('2026-01-12T00:00:00Z'), explanationUrl: 'https://ca.example.test/why' };
    expect(renewalAdvice(ninetyDays, { window, caName: 'the CA of template "LE"' }, 'unused', now)).toEqual({
      certificateId: 'c1',
      start: '2026-01-10T00:00:00.000Z',
      end: '2026-01-12T00:00:00.000Z',
      source: 'CA',
      reason: 'suggested by the CA of template "LE" (ACME Renewal Information)',
      explanationUrl: 'https://ca.example.test/why',
      state: 'LATE',
      checkedAt: '2026-03-05T12:00:00.000Z',
    });
  });

  it("falls back to the satellite's rule with the reason given", () => {
    expect(renewalAdvice(ninetyDays, undefined, 'the built-in CA suggests no window', now)).toMatchObject({
      source: 'SATELLITE',
      reason: 'the built-in CA suggests no window',
      start: '2026-03-02T00:00:00.000Z',
      state: 'DUE',
    });
  });
});
