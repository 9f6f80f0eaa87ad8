import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import type { Contender } from './head-to-head';
import { KEY_TYPES, type BenchKeyType, type Iterations } from './key-types';
import { RestClient } from './rest-client';
import { withCpuPerItem } from './process-cpu';
import { runConcurrent, type Throughput } from './stats';

// The tools people pick instead, measured in the same run: CloudFlare's CFSSL as a server
// (`cfssl serve`, /api/v1/cfssl/newcert: key, CSR and signed certificate in one call, the key
// returned in clear), in memory and with its SQLite certdb; and easy-rsa's build-server-full,
// what administrators script. Each peer gets the same job as the satellite: a P-256 or RSA-2048
// leaf under a P-384 CA. CFSSL is also run under a P-256 CA, only for its CPU per certificate:
// what its P-384 signature costs it, beside the satellite's in the per-step breakdown.

const run = promisify(execFile);
const PEER_KEYS = KEY_TYPES.filter((k) => k.label === 'P-256' || k.label === 'RSA-2048');

export interface PeerThroughput {
  keyType: BenchKeyType['label'];
  c1: Throughput;
  c8: Throughput;
  /** CPU ms the server spent per certificate at concurrency 8 (Linux). */
  c8CpuMs?: number;
}

export interface CfsslResult {
  version: string;
  memory: PeerThroughput[];
  certdb: PeerThroughput[];
  /**
   * CPU ms per P-256 certificate of CFSSL in memory signing with a P-256 CA instead (Linux): set
   * against `memory`'s, what its P-384 signature costs it.
   */
  p256CaCpuMs?: number;
}

export interface EasyRsaResult {
  keyType: BenchKeyType['label'];
  timing: Throughput;
}

export const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The CFSSL certdb schema (cfssl certdb/sqlite migrations), made here: Debian ships the binary only. */
function makeCertdb(path: string): void {
  const db = new DatabaseSync(path);
  db.exec(`CREATE TABLE certificates (serial_number blob NOT NULL, authority_key_identifier blob NOT NULL, ca_label blob, status blob NOT NULL, reason int,
      expiry timestamp, revoked_at timestamp, pem blob NOT NULL, issued_at timestamp, not_before timestamp, metadata text, sans text, common_name text,
      PRIMARY KEY(serial_number, authority_key_identifier));
    CREATE TABLE ocsp_responses (serial_number blob NOT NULL, authority_key_identifier blob NOT NULL, body blob NOT NULL, expiry timestamp,
      PRIMARY KEY(serial_number, authority_key_identifier));`);
  db.close();
}

async function startCfssl(dir: string, certdb: boolean): Promise<{ url: string; pid: number | undefined; stop(): void }> {
  const port = await freePort();
  const args = ['serve', '-address', '127.0.0.1', '-port', String(port), '-ca', join(dir, 'ca.pem'), '-ca-key', join(dir, 'ca-key.pem'), '-config', join(dir, 'config.json'), '-loglevel', '3'];
  if (certdb) {
    makeCertdb(join(dir, 'certs.db'));
    writeFileSync(join(dir, 'db.json'), JSON.stringify({ driver: 'sqlite3', data_source: join(dir, 'certs.db') }));
    args.push('-db-config', join(dir, 'db.json'));
  }
  const child: ChildProcess = spawn('cfssl', args, { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${url}/api/v1/cfssl/info`, { method: 'POST', body: '{}' }).then(
      () => true,
      () => false,
    );
    if (up) return { url, pid: child.pid, stop: () => child.kill('SIGKILL') };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`cfssl serve did not answer on ${url}`);
}

async function newcert(client: RestClient, k: BenchKeyType, i: number): Promise<void> {
  const cn = `bench-${i}.example.com`;
  const key = k.label === 'P-256' ? { algo: 'ecdsa', size: 256 } : { algo: 'rsa', size: 2048 };
  const reply = await client.send('POST', '/api/v1/cfssl/newcert', { request: { CN: cn, hosts: [cn], key } });
  const body = reply.json as { success?: boolean; errors?: unknown } | undefined;
  if (!body?.success) throw new Error(`cfssl newcert answered HTTP ${reply.status}: ${JSON.stringify(body?.errors ?? body)}`);
}

async function measure(url: string, iterations: Iterations, pid: number | undefined): Promise<PeerThroughput[]> {
  // The satellite's client (rest-client.ts), eight keep-alive sockets as for the satellite.
  const client = new RestClient(url, 8);
  const out: PeerThroughput[] = [];
  try {
    for (const k of PEER_KEYS) {
      await runConcurrent(iterations.warmup(k), 8, (i) => newcert(client, k, -1 - i));
      const c1 = await runConcurrent(iterations.sequential(k), 1, (i) => newcert(client, k, i));
      const n = iterations.concurrent(k);
      const { value: c8, cpuMsPerItem: c8CpuMs } = await withCpuPerItem(pid, n, () => runConcurrent(n, 8, (i) => newcert(client, k, 10_000 + i)));
      out.push({ keyType: k.label, c1, c8, c8CpuMs });
    }
  } finally {
    client.close();
  }
  return out;
}

/** A directory with CFSSL's CA (P-384 as the satellite's, unless told) and signing config, as the bench gives it to `cfssl serve`. */
async function makeCfsslCa(curveBits: 256 | 384 = 384): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ks-bench-cfssl-'));
  try {
    writeFileSync(join(dir, 'ca-csr.json'), JSON.stringify({ CN: 'Bench CFSSL CA', key: { algo: 'ecdsa', size: curveBits }, ca: { expiry: '87600h' } }));
    const { stdout } = await run('cfssl', ['genkey', '-initca', join(dir, 'ca-csr.json')], { maxBuffer: 1 << 20 });
    const ca = JSON.parse(stdout) as { cert: string; key: string };
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    writeFileSync(join(dir, 'ca-key.pem'), ca.key, { mode: 0o600 });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ signing: { default: { expiry: '2160h', usages: ['digital signature', 'key encipherment', 'server auth'] } } }));
    return dir;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export async function benchCfssl(iterations: Iterations): Promise<CfsslResult> {
  const dir = await makeCfsslCa();
  try {
    const version = spawnSync('cfssl', ['version'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ?? 'cfssl';
    const measured = async (certdb: boolean) => {
      const server = await startCfssl(dir, certdb);
      try {
        return await measure(server.url, iterations, server.pid);
      } finally {
        server.stop();
      }
    };
    return { version, memory: await measured(false), certdb: await measured(true), p256CaCpuMs: await cpuWithP256Ca(iterations) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU per P-256 certificate of CFSSL in memory under a P-256 CA, at concurrency 8 after the same warm-up. */
async function cpuWithP256Ca(iterations: Iterations): Promise<number | undefined> {
  const dir = await makeCfsslCa(256);
  try {
    const server = await startCfssl(dir, false);
    const client = new RestClient(server.url, 8);
    try {
      const k = PEER_KEYS.find((key) => key.label === 'P-256')!;
      await runConcurrent(iterations.warmup(k), 8, (i) => newcert(client, k, -1 - i));
      const n = iterations.concurrent(k);
      return (await withCpuPerItem(server.pid, n, () => runConcurrent(n, 8, (i) => newcert(client, k, 10_000 + i)))).cpuMsPerItem;
    } finally {
      client.close();
      server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `cfssl serve` in memory, up until close(), driven through the satellite's client. */
export async function openCfsslInMemory(): Promise<Contender & { close(): Promise<void> }> {
  const dir = await makeCfsslCa();
  let server: Awaited<ReturnType<typeof startCfssl>>;
  try {
    server = await startCfssl(dir, false);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const client = new RestClient(server.url, 8);
  return {
    pid: server.pid,
    request: (k, i) => newcert(client, k, i),
    async close() {
      client.close();
      server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** easy-rsa's build-server-full NAME nopass, one certificate at a time, as an admin's script runs it. */
export async function benchEasyRsa(iterations: Iterations): Promise<EasyRsaResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ks-bench-easyrsa-'));
  const easyrsa = '/usr/share/easy-rsa/easyrsa';
  try {
    const results: EasyRsaResult[] = [];
    for (const k of PEER_KEYS) {
      const pki = join(dir, k.label);
      const env = {
        ...process.env,
        EASYRSA_BATCH: '1',
        EASYRSA_PKI: pki,
        ...(k.label === 'P-256' ? { EASYRSA_ALGO: 'ec', EASYRSA_CURVE: 'prime256v1' } : { EASYRSA_ALGO: 'rsa', EASYRSA_KEY_SIZE: '2048' }),
      };
      await run(easyrsa, ['init-pki'], { env, cwd: dir });
      // The CA itself as P-384 for the EC run (easy-rsa signs with the CA's own key type).
      await run(easyrsa, ['build-ca', 'nopass'], { env: { ...env, EASYRSA_REQ_CN: 'Bench easy-rsa CA', ...(k.label === 'P-256' ? { EASYRSA_CURVE: 'secp384r1' } : {}) }, cwd: dir });
      const one = (i: number) => run(easyrsa, ['build-server-full', `server-${i}`, 'nopass'], { env, cwd: dir });
      await one(-1);
      const timing = await runConcurrent(iterations.openssl(k), 1, (i) => one(i));
      results.push({ keyType: k.label, timing });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
