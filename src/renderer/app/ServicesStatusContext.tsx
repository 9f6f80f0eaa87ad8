import { createContext, useContext, type ReactNode } from 'react';
import type { ServicesStatus } from '../../shared';
import { useRpc, type RpcState } from '../hooks/useRpc';

const Ctx = createContext<RpcState<ServicesStatus> | null>(null);

/** One poll of getServicesStatus shared by the header dot and the Services page. */
export function ServicesStatusProvider({ children }: { children: ReactNode }) {
  const state = useRpc('getServicesStatus', {}, { refreshMs: 30_000 });
  return <Ctx.Provider value={state}>{children}</Ctx.Provider>;
}

export function useServicesStatus(): RpcState<ServicesStatus> {
  const v = useContext(Ctx);
  if (!v) throw new Error('useServicesStatus() needs a <ServicesStatusProvider> above it');
  return v;
}
