import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './constant-time';

export const SESSION_COOKIE = 'satellite_session';
export const CSRF_COOKIE = 'satellite_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface UiSession {
  csrfToken: string;
  expiresAt: number;
}

const token = () => randomBytes(32).toString('base64url');
/** Sessions are looked up by a hash of the cookie, so the lookup's timing says nothing about the cookie. */
const keyOf = (sessionId: string) => createHash('sha256').update(sessionId).digest('base64url');

/**
 * Web UI sign-in: a one-time token printed at start is exchanged for a session cookie; each
 * session has its own CSRF token (double-submit cookie, also bound to the session).
 */
export class UiSessions {
  private loginToken: string | undefined = token();
  private readonly sessions = new Map<string, UiSession>();

  constructor(
    private readonly ttlMs = 12 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token for GET /ui/login?token=..., until it has been used once. */
  get pendingLoginToken(): string | undefined {
    return this.loginToken;
  }

  /** A new session when `candidate` is the unused login token; the token is spent either way it matches. */
  redeem(candidate: string): { sessionId: string; session: UiSession } | undefined {
    if (this.loginToken === undefined || !constantTimeEqual(candidate, this.loginToken)) return undefined;
    this.loginToken = undefined;
    const sessionId = token();
    const session = { csrfToken: token(), expiresAt: this.now() + this.ttlMs };
    this.prune();
    this.sessions.set(keyOf(sessionId), session);
    return { sessionId, session };
  }

  find(sessionId: string): UiSession | undefined {
    const session = this.sessions.get(keyOf(sessionId));
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(keyOf(sessionId));
      return undefined;
    }
    return session;
  }

  /** Double submit: the header must equal the cookie, and both the session's own token. */
  csrfMatches(session: UiSession, header: string | undefined, cookie: string | undefined): boolean {
    if (!header || !cookie) return false;
    return constantTimeEqual(header, cookie) && constantTimeEqual(header, session.csrfToken);
  }

  private prune(): void {
    const now = this.now();
    for (const [key, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(key);
  }
}
