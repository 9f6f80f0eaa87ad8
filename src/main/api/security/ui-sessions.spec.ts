import { describe, expect, it } from 'vitest';
import { UiSessions } from './ui-sessions';

describe('UiSessions', () => {
  const limits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 };

  it('spends the one-time token once', () => {
    const sessions = new UiSessions(limits);
    const token = sessions.pendingLoginToken!;
    expect(sessions.spendLoginToken('wrong')).toBe(false);
    expect(sessions.spendLoginToken(token)).toBe(true);
    expect(sessions.spendLoginToken(token)).toBe(false);
    expect(sessions.pendingLoginToken).toBeUndefined();
  });

  it('ends a session left unused for the idle time; use keeps it alive up to the absolute limit', () => {
    let now = 0;
    const sessions = new UiSessions(limits, () => now);
    const idle = sessions.start().sessionToken;
    const busy = sessions.start().sessionToken;
    for (now = 0; now < 11 * 3600_000; now += 20 * 60_000) expect(sessions.use(busy)).toBe(true);
    expect(sessions.use(idle)).toBe(false);
    now = 12 * 3600_000;
    expect(sessions.use(busy)).toBe(false);
  });

  it('forgets a session that signed out, and knows no other', () => {
    const sessions = new UiSessions(limits);
    const { sessionToken } = sessions.start();
    expect(sessions.use(sessionToken)).toBe(true);
    sessions.end(sessionToken);
    expect(sessions.use(sessionToken)).toBe(false);
    expect(sessions.use('made-up')).toBe(false);
  });
});
