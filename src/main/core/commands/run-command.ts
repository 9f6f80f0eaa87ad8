import { spawn } from 'node:child_process';

/** What a command the user configured did: exit code (null when stopped), its output, whether time ran out. */
export interface CommandOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, at most OUTPUT_LIMIT bytes (then "…"). */
  output: string;
  /** Set when the command could not start at all. */
  startError?: string;
}

const OUTPUT_LIMIT = 8192;

/**
 * Runs a user's command line the way VCert's playbook does: `/bin/sh -c` on Unix, PowerShell on
 * Windows, with exactly `env` (see commandEnvironment: never the satellite's own variables), stdin
 * closed, and the whole process group stopped when `timeoutMs` passes.
 */
export function runCommand(command: string, env: Record<string, string>, timeoutMs: number): Promise<CommandOutcome> {
  return process.platform === 'win32'
    ? runProgram('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', command], env, timeoutMs)
    : runProgram('/bin/sh', ['-c', command], env, timeoutMs);
}

/** Runs one program with these arguments (no shell), `stdin` written to it, stopped (its group too) after `timeoutMs`. */
export function runProgram(program: string, args: readonly string[], env: Record<string, string>, timeoutMs: number, stdin?: string): Promise<CommandOutcome> {
  const windows = process.platform === 'win32';
  const child = spawn(program, args, { env, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], detached: !windows, windowsHide: true });
  if (stdin !== undefined) child.stdin?.end(stdin);
  let output = '';
  let truncated = false;
  const collect = (chunk: Buffer) => {
    if (output.length >= OUTPUT_LIMIT) {
      truncated = true;
      return;
    }
    output += chunk.toString('utf8').slice(0, OUTPUT_LIMIT - output.length);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      // The group: `sh -c 'a; b'` leaves children that would otherwise outlive the timeout.
      if (!windows && child.pid) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }, timeoutMs);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: null, signal: null, timedOut: false, output, startError: error.message });
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, timedOut, output: truncated ? `${output}…` : output });
    });
  });
}
