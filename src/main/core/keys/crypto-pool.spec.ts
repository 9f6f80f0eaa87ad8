import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { csrAttributesSchema } from '../../../shared/csr-attributes';
import { CaError } from '../ca/connector';
import { createCaMaterial } from '../ca/builtin/create-ca';
import { issuerOf } from '../pki/end-entity';
import { CRYPTO_JOBS } from './crypto-jobs';
import { CryptoPool } from './crypto-pool';
import { csrNames, readCsrPem } from '../pki/csr-reader';

// The pool's workers run the same jobs as this thread would, and their results and errors come
// back intact: the key moved out of the worker matches its CSR, the certificate verifies under
// the issuer, a refused CSR is still a CaError that says whether to retry.

const attrs = csrAttributesSchema.parse({ commonName: 'pool.example', keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } });
const ca = await createCaMaterial();
const issuer = issuerOf(ca.intermediatePem, createPrivateKey({ key: ca.intermediateKeyPkcs8, format: 'der', type: 'pkcs8' }));

async function readyPool(threads: number): Promise<CryptoPool> {
  const pool = new CryptoPool(threads, true);
  pool.warm();
  // tsx compiles the worker's imports on its first start: seconds on a busy 2-core machine.
  for (let i = 0; i < 600 && pool.readyWorkers < threads; i++) await new Promise((r) => setTimeout(r, 100));
  return pool;
}

const pools: CryptoPool[] = [];
afterAll(() => Promise.all(pools.map((p) => p.close())));

describe.each([
  ['two worker threads', 2],
  ['this thread (0 workers)', 0],
])('CryptoPool on %s', (_label, threads) => {
  it('makes a key and CSR, and issues a certificate that verifies under the issuer', async () => {
    const pool = await readyPool(threads);
    pools.push(pool);
    expect(pool.readyWorkers).toBe(threads);
    const made = await pool.run('keyAndCsr', attrs);
    const csrKey = createPublicKey({ key: Buffer.from(readCsrPem(made.csrPem).spki), format: 'der', type: 'spki' });
    const privateKey = createPrivateKey({ key: Buffer.from(made.pkcs8), format: 'der', type: 'pkcs8' });
    expect(createPublicKey(privateKey).equals(csrKey)).toBe(true);
    expect(made.subjectDN).toBe('cn=pool.example');

    const issued = await pool.run('issueEndEntity', { csrPem: made.csrPem, validitySeconds: 3600, extendedKeyUsages: [], checked: csrNames(made.csrPem), issuer });
    const certificate = new X509Certificate(Buffer.from(issued.der));
    expect(certificate.verify(new X509Certificate(ca.intermediatePem).publicKey)).toBe(true);
    expect(certificate.serialNumber.toLowerCase()).toBe(issued.serialNumber);
    expect(certificate.publicKey.equals(csrKey)).toBe(true);
  });

  it('hands back a refusal as the CaError it was', async () => {
    const pool = await readyPool(threads);
    pools.push(pool);
    const made = await pool.run('keyAndCsr', attrs);
    const refused = await pool.run('issueEndEntity', { csrPem: made.csrPem, validitySeconds: 3600, extendedKeyUsages: [], checked: { ...csrNames(made.csrPem), subjectAlternativeNamesByType: { dnsNames: ['other.example'], ipAddresses: [], rfc822Names: [], uniformResourceIdentifiers: [] } }, issuer }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CaError);
    expect((refused as CaError).retryable).toBe(false);
    expect((refused as Error).message).toMatch(/the DNS name "pool\.example" was not among the values checked against the template's policy/);
  });
});

describe('CryptoPool: this thread or a worker', () => {
  it('runs jobs that come one at a time on this thread, and while jobs overlap sends them all to the worker, even when it is empty', async () => {
    const pool = new CryptoPool(1);
    pools.push(pool);
    const here = vi.spyOn(CRYPTO_JOBS, 'keyAndCsr');
    const waitForWorker = async () => {
      for (let i = 0; i < 600 && pool.readyWorkers < 1; i++) await new Promise((r) => setTimeout(r, 100));
    };
    try {
      await pool.run('keyAndCsr', attrs);
      await pool.run('keyAndCsr', attrs);
      expect(here, 'one after another: no hand-off').toHaveBeenCalledTimes(2);
      await Promise.all([pool.run('keyAndCsr', attrs), pool.run('keyAndCsr', attrs)]);
      expect(here, 'overlapping before a worker is ready: both here').toHaveBeenCalledTimes(4);
      await waitForWorker();
      expect(pool.readyWorkers, 'the overlap started the worker').toBe(1);
      await new Promise((r) => setTimeout(r, 400));
      await Promise.all([pool.run('keyAndCsr', attrs), pool.run('keyAndCsr', attrs)]);
      expect(here, 'overlapping again: the first here, the second on the worker').toHaveBeenCalledTimes(5);
      const next = await pool.run('keyAndCsr', attrs);
      expect(here, 'right after an overlap, with the worker empty: on the worker, so the event loop is not blocked').toHaveBeenCalledTimes(5);
      expect(next.csrPem).toContain('BEGIN CERTIFICATE REQUEST');
      await new Promise((r) => setTimeout(r, 400));
      await pool.run('keyAndCsr', attrs);
      expect(here, 'alone again once the burst is over').toHaveBeenCalledTimes(6);
    } finally {
      here.mockRestore();
    }
  });
});

describe('CryptoPool replies', () => {
  it('bring the certificate back in an ArrayBuffer of its own size, not the 64 KB Buffer-pool slab it was cut from in the worker', async () => {
    const pool = await readyPool(1);
    pools.push(pool);
    expect(pool.readyWorkers).toBe(1);
    const made = await pool.run('keyAndCsr', attrs);
    expect(made.pkcs8.buffer.byteLength).toBe(made.pkcs8.byteLength);
    const issued = await pool.run('issueEndEntity', { csrPem: made.csrPem, validitySeconds: 3600, extendedKeyUsages: [], checked: csrNames(made.csrPem), issuer });
    expect(issued.der.byteOffset).toBe(0);
    expect(issued.der.buffer.byteLength).toBe(issued.der.byteLength);
  });
});
