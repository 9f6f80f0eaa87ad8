import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Debian's pebble (a test ACME server) and pebble-challtestsrv (its mock DNS), on free ports of
// 127.0.0.1. Debian ships no test certificates, so openssl makes a throwaway TLS CA for pebble's
// HTTPS; `tlsCaPem` is what the connector must trust.

/** A TCP port that was free a moment ago. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A port free for both TCP and UDP (challtestsrv's DNS listens on both). */
export async function freeTcpUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freeTcpPort();
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no port free for both TCP and UDP on 127.0.0.1 after 20 tries');
}

async function waitUntil(what: string, child: ChildProcess, output: () => string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${output()}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer within ${timeoutMs} ms:\n${output()}`);
}

function collect(child: ChildProcess): () => string {
  let text = '';
  const add = (c: Buffer) => {
    text = (text + c.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => text;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

export interface Challtestsrv {
  dnsAddress: string;
  managementUrl: string;
  /** POST one of challtestsrv's management calls (set-txt, clear-txt, add-a, ...). */
  manage(path: string, body: unknown): Promise<void>;
  output(): string;
  stop(): Promise<void>;
}

/** challtestsrv answering A queries with 127.0.0.1 (no AAAA, so pebble dials IPv4 only). */
export async function startChalltestsrv(): Promise<Challtestsrv> {
  const dnsPort = await freeTcpUdpPort();
  const managementPort = await freeTcpPort();
  const child = spawn(
    'pebble-challtestsrv',
    ['-defaultIPv4', '127.0.0.1', '-defaultIPv6', '', '-dns01', `127.0.0.1:${dnsPort}`, '-management', `127.0.0.1:${managementPort}`, '-http01', '', '-https01', '', '-tlsalpn01', ''],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = collect(child);
  const managementUrl = `http://127.0.0.1:${managementPort}`;
  const manage = async (path: string, body: unknown) => {
    const res = await fetch(`${managementUrl}${path}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`challtestsrv ${path} answered ${res.status}: ${await res.text()}`);
  };
  try {
    // Any HTTP answer means the management server is up.
    await waitUntil('pebble-challtestsrv', child, output, async () => (await fetch(`${managementUrl}/`, { signal: AbortSignal.timeout(1000) })).status > 0);
  } catch (e) {
    await stopChild(child);
    throw e;
  }
  return { dnsAddress: `127.0.0.1:${dnsPort}`, managementUrl, manage, output, stop: () => stopChild(child) };
}

export interface PebbleOptions {
  /** The port pebble dials for http-01 validation (where the responder under test listens). */
  httpPort: number;
  /** challtestsrv's DNS, host:port. */
  dnsServer: string;
  /** EAB mode: key id -> base64url HMAC key. */
  externalAccountMACKeys?: Record<string, string>;
}

export interface Pebble {
  directoryUrl: string;
  /** The CA of pebble's own HTTPS certificate (not the issuing CA). */
  tlsCaPem: string;
  /** pebble's issuing root, from its management interface. */
  rootPem(): Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

function getWithCa(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, timeout: 2000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function makeTlsCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tls-ca.key', '-out', 'tls-ca.pem', '-days', '2', '-subj', '/CN=pebble TLS test CA');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'key.pem', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'tls-ca.pem', '-CAkey', 'tls-ca.key', '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'ext.cnf');
}

// No sleeps between validation attempts, and every order needs fresh validation. Real
// validation stays on: PEBBLE_VA_ALWAYS_VALID is removed even if the caller's shell set it.
function pebbleEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_AUTHZREUSE: '0' };
  delete env.PEBBLE_VA_ALWAYS_VALID;
  return env;
}

export async function startPebble(options: PebbleOptions): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), 'ks-pebble-'));
  makeTlsCertificates(dir);
  const [listenPort, managementPort, tlsPort] = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort()];
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${listenPort}`,
      managementListenAddress: `127.0.0.1:${managementPort}`,
      certificate: join(dir, 'cert.pem'),
      privateKey: join(dir, 'key.pem'),
      httpPort: options.httpPort,
      tlsPort,
      ocspResponderURL: '',
      externalAccountBindingRequired: Boolean(options.externalAccountMACKeys),
      ...(options.externalAccountMACKeys ? { externalAccountMACKeys: options.externalAccountMACKeys } : {}),
    },
  };
  writeFileSync(join(dir, 'pebble-config.json'), JSON.stringify(config));
  const child = spawn('pebble', ['-config', join(dir, 'pebble-config.json'), '-dnsserver', options.dnsServer], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: pebbleEnv(),
  });
  const output = collect(child);
  const tlsCaPem = readFileSync(join(dir, 'tls-ca.pem'), 'utf8');
  const directoryUrl = `https://127.0.0.1:${listenPort}/dir`;
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil('pebble', child, output, async () => (await getWithCa(directoryUrl, tlsCaPem)).status === 200);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    directoryUrl,
    tlsCaPem,
    rootPem: async () => (await getWithCa(`https://127.0.0.1:${managementPort}/roots/0`, tlsCaPem)).body,
    output,
    stop,
  };
}
