import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command';

describe.skipIf(process.platform === 'win32')('runCommand', () => {
  it('gives the exit code and the output, with exactly the environment given', async () => {
    expect(await runCommand('echo "out $GREETING"; echo err >&2; exit 4', { GREETING: 'hi', PATH: process.env.PATH! }, 5000)).toEqual({
      exitCode: 4,
      signal: null,
      timedOut: false,
      output: 'out hi\nerr\n',
    });
  });

  it('stops the whole process group when time runs out', async () => {
    const started = Date.now();
    const outcome = await runCommand('sleep 30 & sleep 30; echo never', { PATH: process.env.PATH! }, 300);
    expect(outcome.timedOut).toBe(true);
    expect(outcome.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
