import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { csrAttributesSchema } from '../../../shared/csr-attributes';
import { CaError } from '../ca/connector';
import { createCaMaterial } from '../ca/builtin/create-ca';
import { issuerOf } from '../pki/end-entity';
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
