import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-file-atomic';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the bytes with mode 0600 and leaves no temp file', () => {
    const path = join(dir, 'a.p12');
    writeFileAtomic(path, Buffer.from('keystore bytes'));
    expect(readFileSync(path, 'utf8')).toBe('keystore bytes');
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.p12']);
  });

  it('replaces an existing file whole', () => {
    const path = join(dir, 'a.pem');
    writeFileSync(path, 'old contents that are longer');
    writeFileAtomic(path, Buffer.from('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('fails cleanly when the directory does not exist', () => {
    expect(() => writeFileAtomic(join(dir, 'missing', 'a.jks'), Buffer.from('x'))).toThrow(/ENOENT/);
  });
});
