import type { IpcResult, RpcInput, RpcMethod, RpcOutputs, SatelliteClient, SatellitePreloadApi } from '../../shared';
import { toSatelliteError } from './satellite-error';

/** The Electron transport: every call goes through the preload's one typed bridge, which answers with an IpcResult envelope. */
export function createIpcClient(api: SatellitePreloadApi): SatelliteClient {
  const unwrap = async <T>(p: Promise<IpcResult<T>>): Promise<T> => {
    let result: IpcResult<T>;
    try {
      result = await p;
    } catch (cause) {
      // The bridge itself failed (main process gone, channel missing): still the cloud shape.
      throw toSatelliteError(cause);
    }
    if (result.ok) return result.value;
    throw toSatelliteError(result.error);
  };
  return {
    transport: 'electron',
    call: <M extends RpcMethod>(method: M, input: RpcInput<M>): Promise<RpcOutputs[M]> => unwrap(api.rpc(method, input)),
    downloadCertificate: (input) => unwrap(api.downloadCertificate(input)),
    downloadKeystore: (input) => unwrap(api.downloadKeystore(input)),
    downloadDekBackup: (input) => unwrap(api.downloadDekBackup(input)),
  };
}

