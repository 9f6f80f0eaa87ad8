import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ks-atomic-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const variants = [
  ['writeFileAtomic', (path: string, data: string | Uint8Array, mode?: number) => writeFileAtomic(path, data, mode)],
  ['writeFileAtomicSync', async (path: string, data: string | Uint8Array, mode?: number) => writeFileAtomicSync(path, data, mode)],
] as const;

describe.each(variants)('%s', (_name, write) => {
  it('writes the bytes owner-only and leaves no temp file', async () => {
    await write(join(dir, 'a.p12'), Buffer.from([1, 2, 3]));
    expect(readFileSync(join(dir, 'a.p12'))).toEqual(Buffer.from([1, 2, 3]));
    if (process.platform !== 'win32') expect(statSync(join(dir, 'a.p12')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.p12']);
  });

  it('replaces an existing, world-readable file with an owner-only one, and takes text', async () => {
    writeFileSync(join(dir, 'a.pem'), 'old contents that are longer', { mode: 0o644 });
    await write(join(dir, 'a.pem'), 'new');
    expect(readFileSync(join(dir, 'a.pem'), 'utf8')).toBe('new');
    if (process.platform !== 'win32') expect(statSync(join(dir, 'a.pem')).mode & 0o777).toBe(0o600);
  });

  it('writes the mode it is given', async () => {
    await write(join(dir, 'revocations.json'), '{}', 0o644);
    if (process.platform !== 'win32') expect(statSync(join(dir, 'revocations.json')).mode & 0o777).toBe(0o644);
  });

  it('fails with the OS error and leaves nothing behind when the target cannot be written', async () => {
    await expect(write(join(dir, 'missing', 'a.pem'), Buffer.from('x'))).rejects.toMatchObject({ code: 'ENOENT' });
    // Renaming onto a directory fails after the temp file was written: it must be cleaned up.
    const target = join(dir, 'occupied');
    mkdirSync(join(target, 'child'), { recursive: true });
    await expect(write(target, Buffer.from('x'))).rejects.toBeTruthy();
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
