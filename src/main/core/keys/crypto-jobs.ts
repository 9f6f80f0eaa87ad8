import type { KeyObject } from 'node:crypto';
import type { CsrAttributes } from '../../../shared/csr-attributes';
import { issueEndEntity, type EndEntityParams, type IssuedCertificate } from '../pki/end-entity';
import { CaError } from '../common/errors';
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

/** A fresh key and CSR with the certificate the CA signed for it, or why the CA would not. */
export type KeyCsrAndCertificate = KeyAndCsr & ({ certificate: IssuedCertificate; refused?: never } | { certificate?: never; refused: { message: string; retryable: boolean } });

/** A fresh key pair and its signed CSR, with the key's type for a CA step in the same job. */
async function freshKeyAndCsr(attrs: CsrAttributes): Promise<{ made: KeyAndCsr; keyType: KeyObject['asymmetricKeyType'] }> {
  const keys = await generateNodeKeyPairFor(attrs.keyTypeParameters);
  const csr = await createCsr(attrs, keys);
  return { made: { pkcs8: keys.pkcs8, csrPem: csr.pem, subjectDN: csr.subjectDN }, keyType: keys.privateKey.asymmetricKeyType };
}

export const CRYPTO_JOBS = {
  /** A fresh key pair and its signed CSR. */
  async keyAndCsr(attrs: CsrAttributes): Promise<KeyAndCsr> {
    return (await freshKeyAndCsr(attrs)).made;
  },
  /** The built-in CA's end-entity certificate for a CSR. */
  issueEndEntity(params: EndEntityParams): Promise<IssuedCertificate> {
    return issueEndEntity(params);
  },
  /**
   * Both of the above in one hand-off, for a request the built-in CA signs: the CA reads the CSR
   * and checks its names as it does any other's, but not its signature, made here a moment ago by
   * the key made here. When the CA refuses, the key and CSR still come back (the pipeline keeps
   * them, so a retry asks again for the same key) with why.
   */
  async keyCsrAndCertificate(p: { attrs: CsrAttributes; certificate: Omit<EndEntityParams, 'csrPem'> }): Promise<KeyCsrAndCertificate> {
    const { made, keyType } = await freshKeyAndCsr(p.attrs);
    try {
      const certificate = await issueEndEntity({ ...p.certificate, csrPem: made.csrPem }, { keyType });
      return { ...made, certificate };
    } catch (error) {
      if (error instanceof CaError) return { ...made, refused: { message: error.message, retryable: error.retryable } };
      made.pkcs8.fill(0);
      throw error;
    }
  },
} as const;

export type CryptoJobName = keyof typeof CRYPTO_JOBS;
export type CryptoJobInput<N extends CryptoJobName> = Parameters<(typeof CRYPTO_JOBS)[N]>[0];
export type CryptoJobOutput<N extends CryptoJobName> = Awaited<ReturnType<(typeof CRYPTO_JOBS)[N]>>;
