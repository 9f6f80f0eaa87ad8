import { useCallback, useEffect, useRef, useState } from 'react';
import type { RpcInput, RpcMethod, RpcOutputs } from '../../shared';
import { useClient } from '../client/ClientContext';
import { toSatelliteError, type SatelliteError } from '../client/satellite-error';

export interface RpcState<T> {
  data: T | undefined;
  error: SatelliteError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads one RPC result and reloads it on demand; a newer call wins over an older one. */
export function useRpc<M extends RpcMethod>(method: M, input: RpcInput<M>, options: { enabled?: boolean; refreshMs?: number } = {}): RpcState<RpcOutputs[M]> {
  const client = useClient();
  const [data, setData] = useState<RpcOutputs[M]>();
  const [error, setError] = useState<SatelliteError>();
  const [loading, setLoading] = useState(options.enabled !== false);
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const key = JSON.stringify(input);
  const enabled = options.enabled !== false;

  useEffect(() => {
    if (!enabled) return;
    const mine = ++generation.current;
    setLoading(true);
    client
      .call(method, JSON.parse(key) as RpcInput<M>)
      .then((out) => {
        if (mine !== generation.current) return;
        setData(out);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (mine === generation.current) setError(toSatelliteError(e));
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false);
      });
  }, [client, method, key, tick, enabled]);

  useEffect(() => {
    if (!options.refreshMs || !enabled) return;
    const t = setInterval(() => setTick((n) => n + 1), options.refreshMs);
    return () => clearInterval(t);
  }, [options.refreshMs, enabled]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}
