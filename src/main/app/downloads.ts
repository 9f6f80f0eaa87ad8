import { dialog, type BrowserWindow, type SaveDialogOptions } from 'electron';
import { basename, extname, join } from 'node:path';
import type { ExportSummary } from '../../shared/exports';
import type { ExportResult } from '../core/service';
import { writeFileAtomic } from '../core/fs/atomic-write';

/** A file name the core suggested, reduced to a bare name so it cannot point the dialog elsewhere. */
export function safeFileName(suggested: string): string {
  const name = basename(suggested.replaceAll('\\', '/')).replace(/[\p{Cc}<>:"|?*]/gu, '_').trim();
  return name === '' || name === '.' || name === '..' ? 'export' : name;
}

export function saveDialogOptions(summary: ExportSummary, defaultDirectory: string): SaveDialogOptions {
  const fileName = safeFileName(summary.fileName);
  const extension = extname(fileName).slice(1);
  return {
    title: `Save ${fileName}`,
    defaultPath: join(defaultDirectory, fileName),
    filters: [...(extension ? [{ name: `${extension.toUpperCase()} file`, extensions: [extension] }] : []), { name: 'All files', extensions: ['*'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}

/**
 * Makes the export, asks where to save it, writes it. The bytes stay in this process and are
 * zeroed once written or refused; the renderer only ever gets the summary (null when cancelled).
 */
export async function saveExport(window: BrowserWindow, produce: () => Promise<ExportResult>, defaultDirectory: string): Promise<ExportSummary | null> {
  const { bytes, summary } = await produce();
  try {
    const choice = await dialog.showSaveDialog(window, saveDialogOptions(summary, defaultDirectory));
    if (choice.canceled || !choice.filePath) return null;
    await writeFileAtomic(choice.filePath, bytes);
    return { ...summary, fileName: basename(choice.filePath) };
  } finally {
    bytes.fill(0);
  }
}
