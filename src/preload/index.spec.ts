import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SATELLITE_IPC_CHANNELS } from '../shared/preload-api';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async () => ({ ok: true, value: 'reply' })), on: vi.fn(), send: vi.fn() },
}));
vi.mock('electron', () => electron);

const ID = '3f0c7a4e-2b1d-4c8e-9f6a-5d4e3c2b1a09';

async function exposedApi(): Promise<Record<string, unknown>> {
  vi.resetModules();
  electron.contextBridge.exposeInMainWorld.mockClear();
  await import('./index');
  expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
  const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>];
  expect(name).toBe('satellite');
  return api;
}

beforeEach(() => electron.ipcRenderer.invoke.mockClear());

describe('preload', () => {
  it('exposes exactly rpc, downloadCertificate, downloadKeystore and downloadDekBackup as window.satellite', async () => {
    const api = await exposedApi();
    expect(Object.keys(api).sort()).toEqual(['downloadCertificate', 'downloadDekBackup', 'downloadKeystore', 'rpc']);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('never hands out ipcRenderer or its methods', async () => {
    const api = await exposedApi();
    const exposed = Object.values(api);
    for (const forbidden of [electron.ipcRenderer, electron.ipcRenderer.invoke, electron.ipcRenderer.on, electron.ipcRenderer.send]) {
      expect(exposed).not.toContain(forbidden);
    }
    expect(electron.contextBridge.exposeInMainWorld.mock.calls.map(([name]) => name)).toEqual(['satellite']);
  });

  it('sends each call on its fixed channel and returns the main process reply', async () => {
    const api = (await exposedApi()) as { rpc: (m: string, i: unknown) => Promise<unknown>; downloadCertificate: (i: unknown) => Promise<unknown>; downloadKeystore: (i: unknown) => Promise<unknown>; downloadDekBackup: (i: unknown) => Promise<unknown> };
    await expect(api.rpc('getCertificate', { id: ID })).resolves.toEqual({ ok: true, value: 'reply' });
    await api.downloadCertificate({ id: ID });
    await api.downloadKeystore({ id: ID, exportFormat: 'PEM' });
    await api.downloadDekBackup({ passphrase: 'a passphrase of some length' });
    expect(electron.ipcRenderer.invoke.mock.calls).toEqual([
      [SATELLITE_IPC_CHANNELS.rpc, 'getCertificate', { id: ID }],
      [SATELLITE_IPC_CHANNELS.downloadCertificate, { id: ID }],
      [SATELLITE_IPC_CHANNELS.downloadKeystore, { id: ID, exportFormat: 'PEM' }],
      [SATELLITE_IPC_CHANNELS.downloadDekBackup, { passphrase: 'a passphrase of some length' }],
    ]);
  });
});
