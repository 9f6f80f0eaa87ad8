import type { RpcInput, RpcMethod, RpcOutputs, SatelliteClient } from '../../shared';
import { isErrorEnvelope, SatelliteError, toSatelliteError } from './satellite-error';
import type { SatellitePreloadApi } from './transport-api';

/** The Electron transport: every call goes through the preload's one typed bridge. */
export function createIpcClient(api: SatellitePreloadApi): SatelliteClient {
  const guard = async <T>(p: Promise<unknown>): Promise<T> => {
    let value: unknown;
    try {
      value = await p;
    } catch (cause) {
      throw toSatelliteError(cause);
    }
    if (isErrorEnvelope(value)) throw new SatelliteError(value.errors);
    return value as T;
  };
  return {
    transport: 'electron',
    call: <M extends RpcMethod>(method: M, input: RpcInput<M>) => guard<RpcOutputs[M]>(api.rpc(method, input)),
    downloadCertificate: (input) => guard(api.downloadCertificate(input)),
    downloadKeystore: (input) => guard(api.downloadKeystore(input)),
  };
}
