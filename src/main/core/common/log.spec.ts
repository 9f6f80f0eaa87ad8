import { mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileLogger } from './log';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('fileLogger', () => {
  it('appends one JSON line per call to a file only the user can read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-log-'));
    dirs.push(dir);
    const path = join(dir, 'logs', 'satellite.log');
    const log = fileLogger(path);
    log.log('info', 'certificate issued', { requestId: 'r1' });
    log.log('warn', 'certificate request failed', { requestId: 'r2', code: 50200 });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { level: 'info', message: 'certificate issued', requestId: 'r1' },
      { level: 'warn', message: 'certificate request failed', requestId: 'r2', code: 50200 },
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('never throws at its caller when the file cannot be written, and says so once on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-log-'));
    const path = join(dir, 'logs', 'satellite.log');
    const log = fileLogger(path);
    rmSync(dir, { recursive: true, force: true });
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => {
      log.log('info', 'first');
      log.log('info', 'second');
    }).not.toThrow();
    expect(stderr).toHaveBeenCalledOnce();
    expect(String(stderr.mock.calls[0]![0])).toMatch(/cannot write .*satellite\.log .*further log lines are dropped/);
  });

  it('follows its path: a file moved away (log rotation) gets the next lines no more than a second later, in a new file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-log-'));
    dirs.push(dir);
    const path = join(dir, 'satellite.log');
    vi.useFakeTimers({ now: new Date('2026-12-06T10:00:00Z') });
    try {
      const log = fileLogger(path);
      log.log('info', 'before rotation');
      renameSync(path, `${path}.1`);
      vi.setSystemTime(new Date('2026-12-06T10:00:01.500Z'));
      log.log('info', 'after rotation');
    } finally {
      vi.useRealTimers();
    }
    const messages = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { message: string }).message);
    expect(messages(`${path}.1`)).toEqual(['before rotation']);
    expect(messages(path)).toEqual(['after rotation']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
