import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './constant-time';

/**
 * The web UI's session travels in this request header, never in a cookie: cookies ignore ports
 * (RFC 6265 §8.5), so any other program listening on 127.0.0.1 would receive a session cookie.
 * The renderer keeps the value in sessionStorage, which is per origin (scheme, host and port).
 * A custom header also means a cross-site page cannot send it (CORS preflight), so no CSRF token.
 */
export const SESSION_HEADER = 'x-satellite-session';

export interface UiSessionLimits {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  absoluteMs: number;
}

export const DEFAULT_UI_SESSION_LIMITS: UiSessionLimits = { idleMs: 30 * 60 * 1000, absoluteMs: 12 * 60 * 60 * 1000 };

interface UiSession {
  lastUsedAt: number;
  endsAt: number;
}

const token = () => randomBytes(32).toString('base64url');
/** Sessions are looked up by a hash of their token, so the lookup's timing says nothing about it. */
const keyOf = (sessionToken: string) => createHash('sha256').update(sessionToken).digest('base64url');

/**
 * Web UI sign-in: the one-time token printed at start (or the API key) is exchanged for a session
 * token; a session ends when signed out, after `idleMs` unused, or `absoluteMs` after sign-in.
 */
export class UiSessions {
  private loginToken: string | undefined = token();
  private readonly sessions = new Map<string, UiSession>();

  constructor(
    private readonly limits: UiSessionLimits = DEFAULT_UI_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token of the printed sign-in link, until it has been used once. */
  get pendingLoginToken(): string | undefined {
    return this.loginToken;
  }

  get idleSeconds(): number {
    return Math.round(this.limits.idleMs / 1000);
  }

  /** True when `candidate` is the unused one-time token, which is spent by this call. */
  spendLoginToken(candidate: string): boolean {
    if (this.loginToken === undefined || !constantTimeEqual(candidate, this.loginToken)) return false;
    this.loginToken = undefined;
    return true;
  }

  /** A new session; the caller has checked the credential it was exchanged for. */
  start(): { sessionToken: string; endsAt: Date } {
    this.prune();
    const sessionToken = token();
    const now = this.now();
    const session = { lastUsedAt: now, endsAt: now + this.limits.absoluteMs };
    this.sessions.set(keyOf(sessionToken), session);
    return { sessionToken, endsAt: new Date(session.endsAt) };
  }

  /** True when the session is live; using it resets its idle clock. */
  use(sessionToken: string): boolean {
    const key = keyOf(sessionToken);
    const session = this.sessions.get(key);
    if (!session) return false;
    const now = this.now();
    if (session.endsAt <= now || now - session.lastUsedAt >= this.limits.idleMs) {
      this.sessions.delete(key);
      return false;
    }
    session.lastUsedAt = now;
    return true;
  }

  /** Sign-out. */
  end(sessionToken: string): void {
    this.sessions.delete(keyOf(sessionToken));
  }

  private prune(): void {
    const now = this.now();
    for (const [key, s] of this.sessions) if (s.endsAt <= now || now - s.lastUsedAt >= this.limits.idleMs) this.sessions.delete(key);
  }
}
