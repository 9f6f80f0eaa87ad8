import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES } from '../../shared/error-codes';
import { SATELLITE_IPC_CHANNELS, type IpcResult } from '../../shared/preload-api';
import { SatelliteError } from '../core/common/errors';
import type { DekBackupExport, ExportResult, SatelliteService } from '../core/service';
import { resolveAppPage } from './app-url';
import { BrowserWindow, dialog, fakeInvokeEvent, FakeWebContents, FakeWebFrame, ipcMain, resetFakeElectron } from './fake-electron.testkit';
import { INTERNAL_ERROR_MESSAGE } from './client-errors';
import { registerSatelliteIpc } from './ipc';

vi.mock('electron', () => import('./fake-electron.testkit'));

const ID = '3f0c7a4e-2b1d-4c8e-9f6a-5d4e3c2b1a09';
const page = resolveAppPage({ isPackaged: true, rendererIndexHtml: '/opt/satellite/out/renderer/index.html' });
const appUrl = 'file:///opt/satellite/out/renderer/index.html';
const keystoreInput = { id: ID, exportFormat: 'PKCS12', privateKeyPassphrase: 'correct horse battery', certificateLabel: 'www.example.com' };

function fakeService() {
  return {
    call: vi.fn(async (..._args: unknown[]) => ({ from: 'service' })),
    exportCertificate: vi.fn(async (): Promise<ExportResult> => ({ bytes: Buffer.from('-----BEGIN CERTIFICATE-----\n'), summary: { fileName: 'www.example.com.pem', mediaType: 'application/x-pem-file', scheme: 'PEM', sizeBytes: 28 } })),
    exportKeystore: vi.fn(async (): Promise<ExportResult> => ({ bytes: Buffer.from([0x30, 0x82, 0x01, 0x02, 0xaa]), summary: { fileName: '../../etc/www.example.com.p12', mediaType: 'application/x-pkcs12', scheme: 'PKCS#12 Modern', sizeBytes: 5 } })),
    // Core's contract (DekService.saveBackup): the backup goes to `save`; recorded unless it returns null.
    saveDekBackup: vi.fn(async (_input: { passphrase: string }, save: (backup: DekBackupExport) => Promise<unknown>) => {
      const saved = await save({
        bytes: Buffer.from('{"format":"keypair-satellite-dek-backup"}\n'),
        dekHash: 'ab'.repeat(32),
        createdAt: '2025-01-02T03:04:05.000Z',
        summary: { fileName: 'keypair-satellite-dek-abababababab-2025-01-02.json', mediaType: 'application/json', scheme: 'scrypt + AES-256-GCM', sizeBytes: 42 },
      });
      if (saved !== null) recordedBackups.push('2025-01-02T03:04:05.000Z');
      return saved;
    }),
  };
}
const recordedBackups: string[] = [];

let service: ReturnType<typeof fakeService>;
let window: BrowserWindow;
let downloads: string;

beforeEach(async () => {
  resetFakeElectron();
  recordedBackups.length = 0;
  service = fakeService();
  window = new BrowserWindow({});
  await window.loadURL(`${appUrl}#/certificates`);
  downloads = mkdtempSync(join(tmpdir(), 'ks-ipc-downloads-'));
  registerSatelliteIpc({ service: service as unknown as SatelliteService, page, mainWindow: () => window as never, downloadsDirectory: () => downloads });
});
afterEach(() => rmSync(downloads, { recursive: true, force: true }));

/** Invoke a channel the way ipcRenderer.invoke from the main window's page would. */
function invoke(channel: string, ...args: unknown[]): Promise<IpcResult<unknown>> {
  return invokeAs(fakeInvokeEvent(window.webContents), channel, ...args);
}
function invokeAs(event: unknown, channel: string, ...args: unknown[]): Promise<IpcResult<unknown>> {
  const handler = ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (handler as (...a: unknown[]) => Promise<IpcResult<unknown>>)(event, ...args);
}
function errorsOf(result: IpcResult<unknown>) {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.error.errors;
}

describe('registerSatelliteIpc', () => {
  it('registers exactly the four satellite channels and removes them again', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.values(SATELLITE_IPC_CHANNELS).sort());
    ipcMain.handlers.clear();
    const unregister = registerSatelliteIpc({ service: service as never, page, mainWindow: () => null, downloadsDirectory: () => downloads });
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('satellite:rpc validation', () => {
  it('refuses a method that is not in rpcInputSchemas, including prototype names', async () => {
    for (const method of ['deleteEverything', '__proto__', 'toString', 'constructor', 42, undefined]) {
      const [error] = errorsOf(await invoke(SATELLITE_IPC_CHANNELS.rpc, method, {}));
      expect(error).toMatchObject({ code: ERROR_CODES.VALIDATION, args: { field: 'method' } });
      expect(error?.message).toMatch(/is not a satellite RPC method; use one of: getServicesStatus/);
    }
    expect(service.call).not.toHaveBeenCalled();
  });

  it('refuses bad input with every field named, in the cloud error shape', async () => {
    const errors = errorsOf(await invoke(SATELLITE_IPC_CHANNELS.rpc, 'getCertificateText', { id: 'not-a-uuid', chainOrder: 'SIDEWAYS' }));
    expect(errors.map((e) => (e.args as { field: string }).field).sort()).toEqual(['chainOrder', 'id']);
    for (const e of errors) {
      expect(e.code).toBe(ERROR_CODES.VALIDATION);
      expect(e.message).toContain((e.args as { field: string }).field);
    }
    expect(errors.find((e) => (e.args as { field: string }).field === 'chainOrder')?.message).toBe('chainOrder must be EE_FIRST, EE_ONLY or ROOT_FIRST');
    expect(service.call).not.toHaveBeenCalled();
  });

  it('passes good input to the service, parsed (defaults filled in)', async () => {
    const result = await invoke(SATELLITE_IPC_CHANNELS.rpc, 'revokeCertificate', { id: ID });
    expect(result).toEqual({ ok: true, value: { from: 'service' } });
    expect(service.call).toHaveBeenCalledExactlyOnceWith('revokeCertificate', { id: ID, reason: 'unspecified' });
  });

  it('accepts a missing input for methods that take none', async () => {
    expect((await invoke(SATELLITE_IPC_CHANNELS.rpc, 'getServicesStatus')).ok).toBe(true);
    expect(service.call).toHaveBeenCalledWith('getServicesStatus', {});
  });

  it("returns a SatelliteError's code and message, and only a generic message for anything else", async () => {
    service.call.mockRejectedValueOnce(new SatelliteError(ERROR_CODES.NOT_FOUND, `certificate ${ID} was not found; search the inventory for its id`, 404, { id: ID }));
    expect(errorsOf(await invoke(SATELLITE_IPC_CHANNELS.rpc, 'getCertificate', { id: ID }))).toEqual([
      { code: ERROR_CODES.NOT_FOUND, message: `certificate ${ID} was not found; search the inventory for its id`, args: { id: ID } },
    ]);
    service.call.mockRejectedValueOnce(new Error('EACCES /home/me/.config/satellite/vault/key-1234: -----BEGIN PRIVATE KEY-----'));
    const [internal] = errorsOf(await invoke(SATELLITE_IPC_CHANNELS.rpc, 'getCertificate', { id: ID }));
    expect(internal).toEqual({ code: ERROR_CODES.INTERNAL, message: INTERNAL_ERROR_MESSAGE });
  });
});

describe('the sender check', () => {
  const refusedCode = async (event: unknown, channel: string = SATELLITE_IPC_CHANNELS.rpc, ...args: unknown[]) => {
    const [error] = errorsOf(await invokeAs(event, channel, ...(args.length ? args : ['getServicesStatus', {}])));
    return error?.code;
  };

  it('refuses another window', async () => {
    const other = new BrowserWindow({});
    await other.loadURL(appUrl);
    expect(await refusedCode(fakeInvokeEvent(other.webContents))).toBe(ERROR_CODES.UNAUTHORIZED);
  });

  it('refuses a subframe of the main window, even one showing the app page', async () => {
    expect(await refusedCode(fakeInvokeEvent(window.webContents, new FakeWebFrame(appUrl)))).toBe(ERROR_CODES.UNAUTHORIZED);
  });

  it('refuses the main frame once it shows a foreign URL', async () => {
    window.webContents.mainFrame.url = 'https://evil.example/phish';
    expect(await refusedCode(fakeInvokeEvent(window.webContents))).toBe(ERROR_CODES.UNAUTHORIZED);
    window.webContents.mainFrame.url = 'file:///tmp/evil/index.html';
    expect(await refusedCode(fakeInvokeEvent(window.webContents))).toBe(ERROR_CODES.UNAUTHORIZED);
  });

  it('refuses a call whose frame is gone, and any call once the window is destroyed', async () => {
    expect(await refusedCode(fakeInvokeEvent(window.webContents, null))).toBe(ERROR_CODES.UNAUTHORIZED);
    const stranger = new FakeWebContents(appUrl);
    expect(await refusedCode(fakeInvokeEvent(stranger))).toBe(ERROR_CODES.UNAUTHORIZED);
    window.destroyed = true;
    expect(await refusedCode(fakeInvokeEvent(window.webContents))).toBe(ERROR_CODES.UNAUTHORIZED);
  });

  it('guards the download channels too', async () => {
    const other = new BrowserWindow({});
    await other.loadURL(appUrl);
    expect(await refusedCode(fakeInvokeEvent(other.webContents), SATELLITE_IPC_CHANNELS.downloadKeystore, keystoreInput)).toBe(ERROR_CODES.UNAUTHORIZED);
    expect(await refusedCode(fakeInvokeEvent(other.webContents), SATELLITE_IPC_CHANNELS.downloadCertificate, { id: ID })).toBe(ERROR_CODES.UNAUTHORIZED);
    expect(service.exportKeystore).not.toHaveBeenCalled();
    expect(service.exportCertificate).not.toHaveBeenCalled();
    expect(service.call).not.toHaveBeenCalled();
  });
});

describe('downloads', () => {
  it('refuses a bad keystore request with each field named and never echoes the passphrase', async () => {
    const errors = errorsOf(await invoke(SATELLITE_IPC_CHANNELS.downloadKeystore, { ...keystoreInput, privateKeyPassphrase: 'hunter2', certificateLabel: 'bad\u0007label', exportFormat: 'ZIP' }));
    expect(errors.map((e) => (e.args as { field: string }).field).sort()).toEqual(['certificateLabel', 'exportFormat', 'privateKeyPassphrase']);
    expect(JSON.stringify(errors)).not.toContain('hunter2');
    expect(service.exportKeystore).not.toHaveBeenCalled();
  });

  it('asks where to save, writes the keystore 0600 in the main process and returns only the summary', async () => {
    const target = join(downloads, 'chosen.p12');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    const result = await invoke(SATELLITE_IPC_CHANNELS.downloadKeystore, keystoreInput);

    expect(result).toEqual({ ok: true, value: { fileName: 'chosen.p12', mediaType: 'application/x-pkcs12', scheme: 'PKCS#12 Modern', sizeBytes: 5 } });
    expect(service.exportKeystore).toHaveBeenCalledExactlyOnceWith({ ...keystoreInput, pkcs12Profile: 'MODERN' });
    expect(readFileSync(target)).toEqual(Buffer.from([0x30, 0x82, 0x01, 0x02, 0xaa]));
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(downloads)).toEqual(['chosen.p12']);
    // The core's suggested name is reduced to a bare file name in the Downloads folder.
    expect(dialog.showSaveDialog.mock.calls[0]?.[0]).toBe(window);
    expect(dialog.showSaveDialog.mock.calls[0]?.[1]).toMatchObject({ defaultPath: join(downloads, 'www.example.com.p12') });
    // The key bytes are wiped from memory once written.
    const { bytes } = await service.exportKeystore.mock.results[0]!.value;
    expect([...bytes].every((b: number) => b === 0)).toBe(true);
  });

  it('returns null and writes nothing when the user cancels, and still wipes the bytes', async () => {
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true });
    expect(await invoke(SATELLITE_IPC_CHANNELS.downloadKeystore, keystoreInput)).toEqual({ ok: true, value: null });
    expect(readdirSync(downloads)).toEqual([]);
    const { bytes } = await service.exportKeystore.mock.results[0]!.value;
    expect([...bytes].every((b: number) => b === 0)).toBe(true);
  });

  it('downloads a certificate with the defaults filled in', async () => {
    const target = join(downloads, 'www.example.com.pem');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    const result = await invoke(SATELLITE_IPC_CHANNELS.downloadCertificate, { id: ID });
    expect(result).toMatchObject({ ok: true, value: { fileName: 'www.example.com.pem' } });
    expect(service.exportCertificate).toHaveBeenCalledExactlyOnceWith({ id: ID, format: 'PEM', chainOrder: 'EE_FIRST' });
    expect(readFileSync(target, 'utf8')).toBe('-----BEGIN CERTIFICATE-----\n');
  });
});

describe('satellite:download-dek-backup', () => {
  const passphrase = 'a long enough backup passphrase';

  it('saves the backup 0600 where the user chose, then records it as the last backup', async () => {
    const target = join(downloads, 'dek.json');
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: target });
    const result = await invoke(SATELLITE_IPC_CHANNELS.downloadDekBackup, { passphrase });
    expect(result).toMatchObject({ ok: true, value: { fileName: 'dek.json', mediaType: 'application/json' } });
    expect(service.saveDekBackup).toHaveBeenCalledExactlyOnceWith({ passphrase }, expect.any(Function));
    expect(readFileSync(target, 'utf8')).toContain('keypair-satellite-dek-backup');
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(recordedBackups).toEqual(['2025-01-02T03:04:05.000Z']);
  });

  it('records nothing when the user cancels the save dialog', async () => {
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true });
    expect(await invoke(SATELLITE_IPC_CHANNELS.downloadDekBackup, { passphrase })).toEqual({ ok: true, value: null });
    expect(readdirSync(downloads)).toEqual([]);
    expect(recordedBackups).toEqual([]);
  });

  it('refuses a short passphrase by name, without calling the service', async () => {
    const [error] = errorsOf(await invoke(SATELLITE_IPC_CHANNELS.downloadDekBackup, { passphrase: 'short' }));
    expect(error).toMatchObject({ code: ERROR_CODES.VALIDATION, args: { field: 'passphrase' } });
    expect(error?.message).toMatch(/passphrase must be at least 12 characters/);
    expect(service.saveDekBackup).not.toHaveBeenCalled();
  });
});
