import { describe, expect, it } from 'vitest';
import { createIpcClient } from './ipc-client';
import { SatelliteError, toSatelliteError } from './satellite-error';

describe('errors from the transports', () => {
  it('recovers the cloud shape from an Electron invoke error message', () => {
    const err = toSatelliteError(new Error(`Error invoking remote method 'satellite:rpc': Error: {"errors":[{"code":40000,"message":"bad CN","args":{"field":"csrAttributes.commonName"}}]}`));
    expect(err.errors).toEqual([{ code: 40000, message: 'bad CN', args: { field: 'csrAttributes.commonName' } }]);
    expect(err.fieldErrors()).toEqual([{ field: 'csrAttributes.commonName', message: 'bad CN' }]);
  });

  it('accepts field lists in args', () => {
    const err = new SatelliteError([{ code: 40000, message: 'invalid', args: [{ field: 'name', message: 'name is required' }, { field: 'x' }] }]);
    expect(err.fieldErrors()).toEqual([
      { field: 'name', message: 'name is required' },
      { field: 'x', message: 'invalid' },
    ]);
    expect(err.generalErrors()).toEqual([]);
  });

  it('wraps anything else with its message', () => {
    expect(toSatelliteError('boom').errors).toEqual([{ code: 50000, message: 'boom' }]);
    expect(toSatelliteError(new Error('disk full')).message).toBe('disk full');
  });

  it('the IPC client unwraps the IpcResult envelope and rejects with the whole error', async () => {
    const client = createIpcClient({
      rpc: (async (method: string) =>
        method === 'getApiKey'
          ? { ok: false, error: { errors: [{ code: 40100, message: 'no' }] } }
          : { ok: true, value: { passphrase: 'p' } }) as never,
      downloadCertificate: async () => ({ ok: true, value: null }),
      downloadKeystore: async () => ({ ok: false, error: { errors: [{ code: 50300, message: 'DEK unavailable' }] } }),
      downloadDekBackup: async () => ({ ok: true, value: null }),
    });
    expect(client.transport).toBe('electron');
    await expect(client.call('generatePassphrase', {})).resolves.toEqual({ passphrase: 'p' });
    await expect(client.call('getApiKey', {})).rejects.toThrow('no');
    await expect(client.downloadCertificate({ id: crypto.randomUUID() })).resolves.toBeNull();
    await expect(
      client.downloadKeystore({ id: crypto.randomUUID(), exportFormat: 'PEM', privateKeyPassphrase: 'x'.repeat(12), certificateLabel: 'l' }),
    ).rejects.toMatchObject({ errors: [{ code: 50300, message: 'DEK unavailable' }] });
  });

  it('the IPC client reports a broken bridge in the cloud shape', async () => {
    const broken = async () => {
      throw new Error("No handler registered for 'satellite:rpc'");
    };
    const client = createIpcClient({ rpc: broken as never, downloadCertificate: broken, downloadKeystore: broken, downloadDekBackup: broken });
    await expect(client.call('listApplications', {})).rejects.toMatchObject({ errors: [{ code: 50000, message: "No handler registered for 'satellite:rpc'" }] });
  });
});
