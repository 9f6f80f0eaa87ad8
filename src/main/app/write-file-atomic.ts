import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `bytes` to `path` so that a reader sees the old file or the whole new one, never half
 * of it: a temp file in the same directory (same file system, so rename is atomic), fsync, rename.
 * The file is created 0600 because exports can hold private keys.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

// Makes the rename itself durable. Windows cannot open a directory for fsync; there the rename is as durable as it gets.
async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems (network mounts) refuse fsync on a directory; the file itself is already synced.
  } finally {
    await handle.close();
  }
}
