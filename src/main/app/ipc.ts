import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { downloadCertificateInputSchema, downloadDekBackupInputSchema, downloadKeystoreInputSchema, rpcInputSchemas, type RpcMethod } from '../../shared/client';
import { ERROR_CODES } from '../../shared/error-codes';
import { SATELLITE_IPC_CHANNELS, type IpcResult } from '../../shared/preload-api';
import type { ExportSummary } from '../../shared/exports';
import type { SatelliteService } from '../core/service';
import { silentLogger, type Logger } from '../core/common/log';
import { isAppPageUrl, type AppPage } from './app-url';
import { clientError, toClientError, validationError } from './client-errors';
import { saveExport } from './downloads';

// Narrow IPC in the Bitwarden desktop style: four channels, each checks who is calling, then
// validates with the shared schema, then calls the service. Nothing reaches the core unvalidated.

export interface SatelliteIpcContext {
  service: SatelliteService;
  page: AppPage;
  /** The one window allowed to call; null while it is closed. */
  mainWindow(): BrowserWindow | null;
  /** Where the save dialog opens first (the user's Downloads folder). */
  downloadsDirectory(): string;
  log?: Logger;
}

/** The caller must be the main frame of the main window, showing the app's own page. */
export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null, page: AppPage): boolean {
  if (!window || window.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (!frame || event.sender !== window.webContents) return false;
  const main = window.webContents.mainFrame;
  const isMainFrame = frame === main || (frame.processId === main.processId && frame.frameToken === main.frameToken);
  return isMainFrame && isAppPageUrl(page, frame.url);
}

const UNTRUSTED_SENDER = clientError(ERROR_CODES.UNAUTHORIZED, 'Refused: this IPC call did not come from the satellite window showing its own page.');

function isRpcMethod(method: unknown): method is RpcMethod {
  return typeof method === 'string' && Object.hasOwn(rpcInputSchemas, method);
}

async function settle<T>(context: SatelliteIpcContext, what: string, work: () => Promise<T>): Promise<IpcResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const safe = toClientError(error);
    const logged = error instanceof Error ? { error: error.name, detail: error.message } : { error: typeof error };
    (context.log ?? silentLogger).log('error', `IPC ${what} failed`, { ...logged, codes: safe.errors.map((e) => e.code) });
    return { ok: false, error: safe };
  }
}

export async function handleRpc(context: SatelliteIpcContext, event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<IpcResult<unknown>> {
  if (!isTrustedSender(event, context.mainWindow(), context.page)) return { ok: false, error: UNTRUSTED_SENDER };
  if (!isRpcMethod(method)) {
    const shown = typeof method === 'string' ? `'${method.slice(0, 64)}'` : `a ${typeof method}`;
    return {
      ok: false,
      error: clientError(ERROR_CODES.VALIDATION, `method ${shown} is not a satellite RPC method; use one of: ${Object.keys(rpcInputSchemas).join(', ')}.`, { field: 'method' }),
    };
  }
  const parsed = rpcInputSchemas[method].safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
  return settle(context, method, () => context.service.call(method, parsed.data as never));
}

export async function handleDownloadCertificate(context: SatelliteIpcContext, event: IpcMainInvokeEvent, input: unknown): Promise<IpcResult<ExportSummary | null>> {
  const window = context.mainWindow();
  if (!window || !isTrustedSender(event, window, context.page)) return { ok: false, error: UNTRUSTED_SENDER };
  const parsed = downloadCertificateInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
  return settle(context, 'downloadCertificate', () => saveExport(window, () => context.service.exportCertificate(parsed.data), context.downloadsDirectory()));
}

export async function handleDownloadKeystore(context: SatelliteIpcContext, event: IpcMainInvokeEvent, input: unknown): Promise<IpcResult<ExportSummary | null>> {
  const window = context.mainWindow();
  if (!window || !isTrustedSender(event, window, context.page)) return { ok: false, error: UNTRUSTED_SENDER };
  const parsed = downloadKeystoreInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
  return settle(context, 'downloadKeystore', () => saveExport(window, () => context.service.exportKeystore(parsed.data), context.downloadsDirectory()));
}

/**
 * Makes a DEK backup, asks where to save it, writes it (0600), and only then records it as the
 * last backup: a cancelled dialog leaves the Services page warning that there is none.
 */
export async function handleDownloadDekBackup(context: SatelliteIpcContext, event: IpcMainInvokeEvent, input: unknown): Promise<IpcResult<ExportSummary | null>> {
  const window = context.mainWindow();
  if (!window || !isTrustedSender(event, window, context.page)) return { ok: false, error: UNTRUSTED_SENDER };
  const parsed = downloadDekBackupInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
  return settle(context, 'downloadDekBackup', () =>
    context.service.saveDekBackup(parsed.data, (backup) => saveExport(window, async () => backup, context.downloadsDirectory())),
  );
}

/** Registers the four channels; returns a function that removes them (app quit, tests). */
export function registerSatelliteIpc(context: SatelliteIpcContext): () => void {
  ipcMain.handle(SATELLITE_IPC_CHANNELS.rpc, (event, method: unknown, input: unknown) => handleRpc(context, event, method, input));
  ipcMain.handle(SATELLITE_IPC_CHANNELS.downloadCertificate, (event, input: unknown) => handleDownloadCertificate(context, event, input));
  ipcMain.handle(SATELLITE_IPC_CHANNELS.downloadKeystore, (event, input: unknown) => handleDownloadKeystore(context, event, input));
  ipcMain.handle(SATELLITE_IPC_CHANNELS.downloadDekBackup, (event, input: unknown) => handleDownloadDekBackup(context, event, input));
  return () => {
    for (const channel of Object.values(SATELLITE_IPC_CHANNELS)) ipcMain.removeHandler(channel);
  };
}
