import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// One way to write a file that a crash cannot tear: a temp file in the same directory (same file
// system, so rename is atomic), created with its final mode (a keystore or DEK file is never
// world-readable, not even briefly), fsync, rename, then fsync the directory so the rename itself
// survives power loss. The target directory must exist. On Windows modes and directory fsync do
// not apply; the rename still replaces atomically.

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** fsync a file or directory; best effort, as some file systems (and Windows) refuse it for directories. */
export function fsyncPath(path: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here (network mounts): the data itself was already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes `data` to `path` whole or not at all (synchronously). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, mode = 0o600): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'wx', mode);
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // Already closed.
    }
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncPath(dirname(path));
}

/** Writes `data` to `path` whole or not at all, without blocking the event loop. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  fsyncPath(dirname(path));
}
