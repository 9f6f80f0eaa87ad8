import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { WebSession } from '../client/web-session';

const WebSessionContext = createContext<WebSession | undefined>(undefined);

/** The web UI's sign-in state; undefined inside Electron, where there is nothing to sign in to. */
export function WebSessionProvider({ session, children }: { session: WebSession | undefined; children: ReactNode }) {
  return <WebSessionContext.Provider value={session}>{children}</WebSessionContext.Provider>;
}

export function useWebSession(): WebSession | undefined {
  return useContext(WebSessionContext);
}

const noSubscription = () => () => undefined;

/** True when there is no session to sign in to (Electron) or this tab is signed in. */
export function useSignedIn(): boolean {
  const session = useWebSession();
  return useSyncExternalStore(session ? session.subscribe : noSubscription, () => (session ? session.token() !== undefined : true));
}
