import type { CsrAttributes } from '../../../shared/csr-attributes';
import { issueEndEntity, type EndEntityParams, type IssuedCertificate } from '../pki/end-entity';
import { createCsr } from './csr';
import { generateNodeKeyPairFor } from './node-key-pair';

// The CPU-heavy steps of a request, as jobs a worker thread (or, as a fallback, this thread) runs:
// only plain data and KeyObjects go in and out, so they cross a thread boundary by structured clone.

export interface KeyAndCsr {
  /** PKCS#8 DER of the new private key: the caller seals it at once and wipes it. */
  pkcs8: Uint8Array;
  csrPem: string;
  subjectDN: string;
}

export const CRYPTO_JOBS = {
  /** A fresh key pair and its signed CSR. */
  async keyAndCsr(attrs: CsrAttributes): Promise<KeyAndCsr> {
    const keys = await generateNodeKeyPairFor(attrs.keyTypeParameters);
    const csr = await createCsr(attrs, keys);
    return { pkcs8: keys.pkcs8, csrPem: csr.pem, subjectDN: csr.subjectDN };
  },
  /** The built-in CA's end-entity certificate for a CSR. */
  issueEndEntity(params: EndEntityParams): Promise<IssuedCertificate> {
    return issueEndEntity(params);
  },
} as const;

export type CryptoJobName = keyof typeof CRYPTO_JOBS;
export type CryptoJobInput<N extends CryptoJobName> = Parameters<(typeof CRYPTO_JOBS)[N]>[0];
export type CryptoJobOutput<N extends CryptoJobName> = Awaited<ReturnType<(typeof CRYPTO_JOBS)[N]>>;
