import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFileSet, restoreFileSet, versionsDirFor } from './file-set';

describe('installFileSet: files that change together', () => {
  let dir: string;
  const files = (tag: string) => [
    { path: join(dir, 'site.crt'), bytes: Buffer.from(`cert ${tag}\n`), defaultMode: 0o644 },
    { path: join(dir, 'chain.pem'), bytes: Buffer.from(`chain ${tag}\n`), defaultMode: 0o644 },
    { path: join(dir, 'site.key'), bytes: Buffer.from(`key ${tag}\n`), defaultMode: 0o600 },
  ];
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ks-file-set-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes new files with their default modes, each path a link through one `current`', () => {
    installFileSet(files('a'));
    expect([read('site.crt'), read('chain.pem'), read('site.key')]).toEqual(['cert a\n', 'chain a\n', 'key a\n']);
    expect(statSync(join(dir, 'site.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'site.crt')).mode & 0o777).toBe(0o644);
    expect(lstatSync(join(dir, 'site.key')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'site.key'))).toBe('.site.crt.keypair-versions/current/2-site.key');
  });

  it('takes over plain files without changing a byte, keeps their modes, and switches all of them at once', () => {
    writeFileSync(join(dir, 'site.crt'), 'old cert\n', { mode: 0o640 });
    writeFileSync(join(dir, 'chain.pem'), 'old chain\n', { mode: 0o644 });
    writeFileSync(join(dir, 'site.key'), 'old key\n', { mode: 0o400 });
    const installed = installFileSet(files('b'));
    expect([read('site.crt'), read('site.key')]).toEqual(['cert b\n', 'key b\n']);
    expect(statSync(join(dir, 'site.crt')).mode & 0o777).toBe(0o640);
    expect(statSync(join(dir, 'site.key')).mode & 0o777).toBe(0o400);
    // The replaced set is kept, whole, and comes back in one rename.
    restoreFileSet(installed);
    expect([read('site.crt'), read('chain.pem'), read('site.key')]).toEqual(['old cert\n', 'old chain\n', 'old key\n']);
  });

  it('keeps the current and the previous version only, drops what a crash left half-written, and writes .bak copies when asked', () => {
    installFileSet(files('1'));
    const versions = versionsDirFor([join(dir, 'site.crt')]);
    writeFileSync(join(versions, '.tmp-vcrashed'), 'half');
    installFileSet(files('2'));
    const third = installFileSet(files('3'), { backupFiles: true });
    expect(readdirSync(versions).sort()).toEqual(['current', third.previous, third.version].sort());
    expect(readFileSync(join(dir, 'site.key.bak'), 'utf8')).toBe('key 2\n');
    expect(third.backups).toEqual([join(dir, 'site.crt.bak'), join(dir, 'chain.pem.bak'), join(dir, 'site.key.bak')]);
  });

  it('refuses a folder that does not exist, saying which', () => {
    expect(() => installFileSet([{ path: join(dir, 'missing', 'site.crt'), bytes: Buffer.from('x'), defaultMode: 0o644 }])).toThrow(`the folder ${join(dir, 'missing')} does not exist`);
  });

  it('where symbolic links cannot be made, replaces each file on its own, key last, and restores them', () => {
    writeFileSync(join(dir, 'site.crt'), 'old cert\n', { mode: 0o644 });
    writeFileSync(join(dir, 'site.key'), 'old key\n', { mode: 0o600 });
    const installed = installFileSet(files('n'), { links: false, backupFiles: true });
    expect(lstatSync(join(dir, 'site.crt')).isSymbolicLink()).toBe(false);
    expect([read('site.crt'), read('chain.pem'), read('site.key')]).toEqual(['cert n\n', 'chain n\n', 'key n\n']);
    expect(installed.replaced?.map((r) => r.path).at(-1)).toBe(join(dir, 'site.key'));
    expect(statSync(join(dir, 'site.key')).mode & 0o777).toBe(0o600);
    expect(read('site.key.bak')).toBe('old key\n');
    restoreFileSet(installed);
    expect([read('site.crt'), read('site.key')]).toEqual(['old cert\n', 'old key\n']);
    expect(existsSync(join(dir, 'chain.pem'))).toBe(false);
  });
});
