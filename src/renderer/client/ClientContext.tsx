import { createContext, useContext, type ReactNode } from 'react';
import type { SatelliteClient } from '../../shared';

const ClientContext = createContext<SatelliteClient | null>(null);

export function ClientProvider({ client, children }: { client: SatelliteClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): SatelliteClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient() needs a <ClientProvider> above it');
  return client;
}
