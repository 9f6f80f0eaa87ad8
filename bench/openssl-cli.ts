import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KEY_TYPES, type BenchKeyType, type Iterations } from './key-types';
import { runConcurrent, type Throughput } from './stats';

// What a user's script around the openssl command line does per certificate: a key and CSR,
// the CA signs it, the key is encrypted with a passphrase. Three process starts, like the script.

const run = promisify(execFile);

export interface OpensslResult {
  keyType: BenchKeyType['label'];
  timing: Throughput;
}

/** The installed openssl's version line, or undefined when there is none. */
export function opensslVersion(): string | undefined {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

async function makeCa(dir: string): Promise<{ cert: string; key: string }> {
  const key = join(dir, 'ca.key');
  const cert = join(dir, 'ca.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', key, '-out', cert, '-days', '3650', '-subj', '/CN=Bench CA', '-sha384']);
  return { cert, key };
}

async function oneCertificate(dir: string, ca: { cert: string; key: string }, k: BenchKeyType, i: number, passphrase: string): Promise<void> {
  const base = join(dir, `${k.label}-${i}`);
  const cn = `bench-${i}.example.com`;
  await run('openssl', ['req', '-new', ...k.openssl, '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`]);
  await run('openssl', ['x509', '-req', '-in', `${base}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', '90', '-sha384', '-copy_extensions', 'copy', '-out', `${base}.crt`]);
  await run('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', `${base}.key`, '-out', `${base}.enc.key`, '-passout', 'env:BENCH_KEY_PASSPHRASE'], {
    env: { ...process.env, BENCH_KEY_PASSPHRASE: passphrase },
  });
  rmSync(`${base}.key`);
}

export async function benchOpenssl(iterations: Iterations): Promise<OpensslResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ks-bench-openssl-'));
  try {
    const ca = await makeCa(dir);
    const passphrase = randomBytes(18).toString('base64url');
    const results: OpensslResult[] = [];
    for (const k of KEY_TYPES) {
      await oneCertificate(dir, ca, k, -1, passphrase); // warm-up
      const timing = await runConcurrent(iterations.openssl(k), 1, (i) => oneCertificate(dir, ca, k, i, passphrase));
      results.push({ keyType: k.label, timing });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
