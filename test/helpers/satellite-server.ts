import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../scripts/server-node-flags.mjs';

// The headless satellite as a child process (`src/main/api/cli.ts` under tsx) on a free
// 127.0.0.1 port, with the DEK in a passphrase-wrapped file: what the API, e2e and bench
// suites run against.

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface StartSatelliteOptions {
  /** Reuse a data directory (e.g. to restart on it); the caller then owns it. Default: a new temp dir, removed by kill(). */
  dataDir?: string;
  /** Default: a random key, passed as SATELLITE_API_KEY. */
  apiKey?: string;
  /** Default: a random passphrase; pass the same one to restart on a data dir. */
  dekPassphrase?: string;
  /** The built web UI to serve (--web-root). */
  webRoot?: string;
  extraArgs?: string[];
  env?: Record<string, string>;
  /**
   * Serve HTTPS with the built-in CA's certificate, as a user's satellite does; the CA chain is
   * then in `tlsCaFile`. Default false (--no-tls): Node's fetch trusts only the CAs it started with.
   */
  tls?: boolean;
  /** How long to wait for the "listening on" line (default 90 s: tsx, scrypt and key generation on a busy 2-core box). */
  startTimeoutMs?: number;
}

export interface SatelliteServer {
  /** e.g. http://127.0.0.1:40123 (https:// with `tls`) */
  url: string;
  /** With `tls`: the PEM of the CA chain that signs the listener's certificate. */
  tlsCaFile?: string;
  apiKey: string;
  /** For GET /ui/login?token=... (one use). */
  loginToken: string;
  /** The PKI listener (CRL, CA certificates, OCSP), when it listens. */
  pkiUrl?: string;
  dataDir: string;
  dekPassphrase: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Sends `signal` (default SIGTERM) and waits up to `timeoutMs` for the exit, then SIGKILLs.
   * Removes the data dir when the helper made it.
   */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const waitFor = <T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> =>
  new Promise((res, rej) => {
    const timer = setTimeout(() => res('timeout'), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        res(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        rej(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });

export async function startSatelliteServer(options: StartSatelliteOptions = {}): Promise<SatelliteServer> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ks-satellite-'));
  const apiKey = options.apiKey ?? `ks_${randomBytes(24).toString('base64url')}`;
  const dekPassphrase = options.dekPassphrase ?? randomBytes(18).toString('base64url');
  // The V8 flags `npm run serve` uses, so the tests and the bench run the server users run.
  const args = [...SERVER_NODE_FLAGS, '--import', 'tsx', join(REPO, 'src/main/api/cli.ts'), '--data-dir', dataDir, '--port', '0', '--dek-store', 'file'];
  if (options.webRoot) args.push('--web-root', options.webRoot);
  const tlsCaFile = options.tls ? join(dataDir, 'tls-ca.pem') : undefined;
  args.push(...(tlsCaFile ? ['--tls-ca-file', tlsCaFile] : ['--no-tls']));
  // A free port for the PKI listener: parallel suites would collide on the default one.
  if (!(options.extraArgs ?? []).some((a) => a === '--no-pki' || a.startsWith('--pki-listen'))) args.push('--pki-listen', '127.0.0.1:0');
  args.push(...(options.extraArgs ?? []));

  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, SATELLITE_API_KEY: apiKey, SATELLITE_DEK_PASSPHRASE: dekPassphrase, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));

  const cleanup = () => {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const kill = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    let result = await waitFor(exited, timeoutMs);
    if (result === 'timeout') {
      child.kill('SIGKILL');
      result = await exited;
    }
    cleanup();
    return result;
  };

  const started = new Promise<{ url: string; loginToken: string }>((res, rej) => {
    const look = () => {
      const url = /listening on (https?:\/\/\S+)/.exec(stdout)?.[1];
      const loginToken = /\/ui\/login\?token=(\S+)/.exec(stdout)?.[1];
      if (url && loginToken) res({ url, loginToken: decodeURIComponent(loginToken) });
    };
    child.stdout!.on('data', look);
    void exited.then(({ code, signal }) => rej(new Error(`the headless satellite exited (code ${code}, signal ${signal}) before listening.\nstdout:\n${stdout}\nstderr:\n${stderr}`)));
  });
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  let result: { url: string; loginToken: string } | 'timeout';
  try {
    result = await waitFor(started, timeoutMs);
  } catch (error) {
    cleanup();
    throw error;
  }
  if (result === 'timeout') {
    await kill('SIGKILL', 5_000);
    throw new Error(`the headless satellite printed no URL within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }

  return {
    url: result.url,
    tlsCaFile,
    loginToken: result.loginToken,
    apiKey,
    dataDir,
    dekPassphrase,
    child,
    exited,
    pkiUrl: /PKI \(the built-in CA's CRL, CA certificates and OCSP, public\): (http:\/\/\S+)\/pki\//.exec(stdout)?.[1],
    output: () => ({ stdout, stderr }),
    kill,
  };
}
