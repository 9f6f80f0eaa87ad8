import { ERROR_CODES } from '../../shared';
import { isClientError, SatelliteError, toSatelliteError, unreachableError } from './satellite-error';

/** The header the headless server reads the web UI's session from (never a cookie: cookies ignore ports). */
export const SESSION_HEADER = 'x-satellite-session';
const STORAGE_KEY = 'keypair-satellite.session';

export type SignInCredential = { token: string } | { apiKey: string };

/**
 * The web UI's sign-in state. The session token lives in this tab's sessionStorage: per origin
 * (so a program on another 127.0.0.1 port cannot read it), gone when the tab closes.
 */
export interface WebSession {
  /** The session token, or undefined when signed out. */
  token(): string | undefined;
  signIn(credential: SignInCredential): Promise<void>;
  signOut(): Promise<void>;
  /** The server said the session is over (idle, restarted, signed out elsewhere). */
  ended(): void;
  subscribe(listener: () => void): () => void;
}

export interface WebSessionOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

export function createWebSession(options: WebSessionOptions = {}): WebSession {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const storage = options.storage ?? window.sessionStorage;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  const clear = () => {
    storage.removeItem(STORAGE_KEY);
    changed();
  };

  return {
    token: () => storage.getItem(STORAGE_KEY) ?? undefined,
    async signIn(credential) {
      let res: Response;
      try {
        res = await doFetch(`${base}/ui/session`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(credential) });
      } catch (cause) {
        throw unreachableError(cause);
      }
      const body: unknown = await res.json().catch(() => undefined);
      if (!res.ok) {
        throw isClientError(body) ? toSatelliteError(body, res.status) : new SatelliteError([{ code: ERROR_CODES.INTERNAL, message: `Sign-in failed: the satellite answered HTTP ${res.status}` }], res.status);
      }
      const sessionToken = (body as { sessionToken?: unknown } | undefined)?.sessionToken;
      if (typeof sessionToken !== 'string') throw new SatelliteError([{ code: ERROR_CODES.INTERNAL, message: 'Sign-in failed: the satellite sent no session' }], res.status);
      storage.setItem(STORAGE_KEY, sessionToken);
      changed();
    },
    async signOut() {
      const token = storage.getItem(STORAGE_KEY);
      clear();
      if (token) await doFetch(`${base}/ui/session/end`, { method: 'POST', headers: { [SESSION_HEADER]: token } }).catch(() => undefined);
    },
    ended: clear,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
