import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  existsSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fsyncPath, writeFileAtomicSync } from '../fs/atomic-write';

// Several files that must change together (a certificate, its chain and its key): a crash between
// two renames would leave a certificate beside another certificate's key, and the web server would
// refuse to start. So each installed path is a symbolic link into a versions directory beside the
// first file, through one link named `current`:
//
//   /etc/nginx/tls/site.crt -> .site.crt.keypair-versions/current/0-site.crt
//   /etc/nginx/tls/site.key -> .site.crt.keypair-versions/current/2-site.key
//   .site.crt.keypair-versions/current -> v20261206T1730-4f2a
//
// A new set is written whole into a new version directory, synced, and only then is `current`
// replaced by one rename: every reader, at every instant, sees all the old files or all the new
// ones (the way Kubernetes updates the files of a mounted secret). Restoring is the same rename back.
// Files that were plain files before the first install are first copied into a version of their
// own, so the switch to links changes no byte anyone reads.

const VERSIONS_SUFFIX = '.keypair-versions';
const CURRENT = 'current';

export interface FileToInstall {
  path: string;
  bytes: Buffer;
  /** The mode of a file that does not exist yet; an existing one keeps its mode and owner. */
  defaultMode: number;
}

export interface InstalledSet {
  /** The versions directory: where `current` and every kept version live. */
  versionsDir: string;
  /** The version now in place. */
  version: string;
  /** The version it replaced, kept so a failed validation can put it back. */
  previous?: string;
  /** The `.bak` copies written (backupFiles). */
  backups: string[];
  /**
   * Where symbolic links cannot be made (Windows without Developer Mode or elevation), each file
   * was replaced on its own (atomically, but not together): what each held before, to restore.
   */
  replaced?: { path: string; before?: Buffer; mode: number }[];
}

/** Where the versions of a set of files live: beside the first of them. */
export function versionsDirFor(paths: readonly string[]): string {
  const first = paths[0];
  if (!first) throw new Error('an installation writes at least one file');
  return join(dirname(first), `.${basename(first)}${VERSIONS_SUFFIX}`);
}

const entryName = (index: number, path: string) => `${index}-${basename(path)}`;

function newVersionName(): string {
  return `v${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function isOurLink(path: string, versionsDir: string, entry: string): boolean {
  try {
    if (!lstatSync(path).isSymbolicLink()) return false;
    return readlinkSync(path) === relative(dirname(path), join(versionsDir, CURRENT, entry));
  } catch {
    return false;
  }
}

/** Writes a file with exactly `mode` (not masked by the umask), synced, with the owner of `like` when running as root. */
function writeExact(path: string, bytes: Buffer, mode: number, like: Stats | undefined): void {
  const fd = openSync(path, 'wx', mode);
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    if (process.platform !== 'win32') fchmodSync(fd, mode);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (like && process.getuid?.() === 0) chownSync(path, like.uid, like.gid);
}

/** A complete version directory, written under a temporary name and renamed into place once synced. */
function writeVersion(versionsDir: string, contents: { entry: string; bytes: Buffer; mode: number; like?: Stats }[]): string {
  const name = newVersionName();
  const temp = join(versionsDir, `.tmp-${name}`);
  mkdirSync(temp, { mode: 0o755 });
  for (const c of contents) writeExact(join(temp, c.entry), c.bytes, c.mode, c.like);
  fsyncPath(temp);
  renameSync(temp, join(versionsDir, name));
  fsyncPath(versionsDir);
  return name;
}

/** Points `current` at `version` with one rename: the commit of an install or a restore. */
function switchTo(versionsDir: string, version: string): void {
  const temp = join(versionsDir, `.tmp-link-${randomBytes(4).toString('hex')}`);
  symlinkSync(version, temp);
  renameSync(temp, join(versionsDir, CURRENT));
  fsyncPath(versionsDir);
}

function currentVersion(versionsDir: string): string | undefined {
  try {
    return readlinkSync(join(versionsDir, CURRENT));
  } catch {
    return undefined;
  }
}

/** Replaces `path` by a link to `target` in one rename (a half-made link is never seen). */
function linkInPlace(path: string, target: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.link`);
  symlinkSync(target, temp);
  renameSync(temp, path);
  fsyncPath(dirname(path));
}

/**
 * Makes every path a link through `current` without changing what it reads: the contents in place
 * now (plain files, or the current version's) become a version of their own first.
 */
function adopt(versionsDir: string, files: readonly FileToInstall[]): void {
  const entries = files.map((f, i) => entryName(i, f.path));
  if (files.every((f, i) => isOurLink(f.path, versionsDir, entries[i]!)) && currentVersion(versionsDir)) return;
  const contents = files.flatMap((f, i) => {
    const like = statOrUndefined(f.path);
    if (!like?.isFile()) return [];
    return [{ entry: entries[i]!, bytes: readFileSync(f.path), mode: like.mode & 0o7777, like }];
  });
  switchTo(versionsDir, writeVersion(versionsDir, contents));
  files.forEach((f, i) => {
    if (!isOurLink(f.path, versionsDir, entries[i]!)) linkInPlace(f.path, relative(dirname(f.path), join(versionsDir, CURRENT, entries[i]!)));
  });
}

/** Removes versions other than the ones named, and temporaries a crash left behind. */
function prune(versionsDir: string, keep: readonly (string | undefined)[]): void {
  for (const name of readdirSync(versionsDir)) {
    if (name === CURRENT || keep.includes(name)) continue;
    rmSync(join(versionsDir, name), { recursive: true, force: true });
  }
}

/**
 * Installs `files` as one set: all of them change at the same instant, or none does. The version
 * replaced is kept (for restoreFileSet); with `backupFiles` its files are also copied to <path>.bak.
 */
export function installFileSet(files: readonly FileToInstall[], options: { backupFiles?: boolean; links?: boolean } = {}): InstalledSet {
  const versionsDir = versionsDirFor(files.map((f) => f.path));
  for (const f of files) {
    if (!existsSync(dirname(f.path))) throw new Error(`the folder ${dirname(f.path)} does not exist: create it, or choose another path for ${basename(f.path)}`);
  }
  mkdirSync(versionsDir, { recursive: true, mode: 0o755 });
  if (!(options.links ?? symlinksWork(versionsDir))) return replaceEachFile(versionsDir, files, options.backupFiles === true);
  // What an earlier install left half-written is never `current`: drop it.
  for (const name of readdirSync(versionsDir)) if (name.startsWith('.tmp-')) rmSync(join(versionsDir, name), { recursive: true, force: true });
  adopt(versionsDir, files);

  const previous = currentVersion(versionsDir);
  const contents = files.map((f, i) => {
    const like = statOrUndefined(f.path);
    return { entry: entryName(i, f.path), bytes: f.bytes, mode: like ? like.mode & 0o7777 : f.defaultMode, like };
  });
  const version = writeVersion(versionsDir, contents);
  const backups: string[] = [];
  if (options.backupFiles && previous) {
    files.forEach((f, i) => {
      const old = join(versionsDir, previous, entryName(i, f.path));
      if (!existsSync(old)) return;
      const like = statSync(old);
      writeFileAtomicSync(`${f.path}.bak`, readFileSync(old), like.mode & 0o7777);
      backups.push(`${f.path}.bak`);
    });
  }
  switchTo(versionsDir, version);
  prune(versionsDir, [version, previous]);
  return { versionsDir, version, previous, backups };
}

/** Puts the version an install replaced back in place, in one rename (or file by file, where it was installed so). */
export function restoreFileSet(installed: InstalledSet): void {
  if (installed.replaced) {
    for (const r of installed.replaced) {
      if (r.before) writeFileAtomicSync(r.path, r.before, r.mode);
      else rmSync(r.path, { force: true });
    }
    return;
  }
  if (!installed.previous) throw new Error('there is no earlier version of these files to restore');
  switchTo(installed.versionsDir, installed.previous);
}

/** Whether this file system lets this process make symbolic links (Windows needs Developer Mode or elevation). */
function symlinksWork(versionsDir: string): boolean {
  if (process.platform !== 'win32') return true;
  const probe = join(versionsDir, `.tmp-probe-${randomBytes(4).toString('hex')}`);
  try {
    symlinkSync('current', probe);
    rmSync(probe, { force: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Without symbolic links: each file replaced atomically on its own, the key last, so a reader sees
 * at worst a new certificate beside the old key for the moment between two renames (a server
 * reloaded after the install reads the new set). What each held is kept in memory to restore.
 */
function replaceEachFile(versionsDir: string, files: readonly FileToInstall[], backupFiles: boolean): InstalledSet {
  const ordered = [...files].sort((a, b) => Number(a.defaultMode === 0o600) - Number(b.defaultMode === 0o600));
  const replaced = ordered.map((f) => {
    const like = statOrUndefined(f.path);
    return { path: f.path, before: like?.isFile() ? readFileSync(f.path) : undefined, mode: like ? like.mode & 0o7777 : f.defaultMode };
  });
  const backups: string[] = [];
  for (const r of replaced) {
    if (backupFiles && r.before) {
      writeFileAtomicSync(`${r.path}.bak`, r.before, r.mode);
      backups.push(`${r.path}.bak`);
    }
  }
  ordered.forEach((f, i) => writeFileAtomicSync(f.path, f.bytes, replaced[i]!.mode));
  return { versionsDir, version: 'replaced file by file', backups, replaced };
}
