import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';

// Room kept back on the inventory's disk. When the disk fills, a request that has already begun
// must still be able to record its true outcome (FAILED: disk full) rather than stay NEW and be
// resumed, and ISSUED, after a restart behind a caller who was told it failed. So a file of
// RESERVE_BYTES sits beside the inventory; on the first "disk full" it is deleted, which frees the
// room those records need, and new requests are refused until the file can be written again,
// which is how the satellite notices, by itself, that space is back.

export const RESERVE_BYTES = 4 * 1024 * 1024;
/** How often, while the disk is full, the satellite tries to take its reserve back. */
const RETAKE_EVERY_MS = 200;

export class DiskReserve {
  private held = false;
  private fullSince: number | undefined;
  private lastTry = 0;

  /** `path` undefined: an in-memory inventory, nothing to reserve. */
  constructor(private readonly path: string | undefined) {
    if (path) this.held = this.write();
  }

  /** The disk was found full: free the reserve so that outcomes already under way can be written. */
  release(): void {
    this.fullSince ??= Date.now();
    if (!this.held || !this.path) return;
    rmSync(this.path, { force: true });
    this.held = false;
  }

  /**
   * True while the disk has been full and the reserve could not yet be taken back: new work is
   * refused then (it would use up the room kept for outcomes). Tries to retake it at most every RETAKE_EVERY_MS.
   */
  get full(): boolean {
    if (this.fullSince === undefined) return false;
    const now = Date.now();
    if (now - this.lastTry < RETAKE_EVERY_MS) return true;
    this.lastTry = now;
    if (this.path && !this.write()) return true;
    this.held = this.path !== undefined;
    this.fullSince = undefined;
    return false;
  }

  /** Writes the whole reserve, or nothing (a partial file is removed). */
  private write(): boolean {
    const path = this.path!;
    let fd: number | undefined;
    try {
      fd = openSync(path, 'w', 0o600);
      // Random, not zeros: a compressing file system (btrfs, ZFS) would keep zeros in no room at all.
      const chunk = randomFillSync(Buffer.alloc(64 * 1024));
      for (let written = 0; written < RESERVE_BYTES; written += chunk.length) writeSync(fd, chunk);
      return true;
    } catch {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      rmSync(path, { force: true });
      return false;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
