import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import type { ServicesStatus } from '../../shared';
import { useClient } from '../client/ClientContext';
import { useRpc, type RpcState } from '../hooks/useRpc';

type ServicesStatusState = RpcState<ServicesStatus> & {
  /** Has the satellite read its DEK store again (not only report what it holds), then reloads. */
  recheck: () => Promise<void>;
};

const Ctx = createContext<ServicesStatusState | null>(null);

/** One poll of getServicesStatus shared by the header dot and the Services page. */
export function ServicesStatusProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const state = useRpc('getServicesStatus', {}, { refreshMs: 30_000 });
  const { reload } = state;
  const recheck = useCallback(async () => {
    // A failure shows through the reload that follows.
    await client.call('getServicesStatus', { recheck: true }).catch(() => undefined);
    reload();
  }, [client, reload]);
  const value = useMemo(() => ({ ...state, recheck }), [state, recheck]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useServicesStatus(): ServicesStatusState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useServicesStatus() needs a <ServicesStatusProvider> above it');
  return v;
}

/** Why the key generation service is inactive ('' when it gave no reason), or undefined while it is active or not known yet. */
export function useKeyGenerationDown(): string | undefined {
  const { data } = useServicesStatus();
  return data && !data.keyGeneration.active ? data.keyGeneration.reason : undefined;
}
