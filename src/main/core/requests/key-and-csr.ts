import { availableParallelism } from 'node:os';
import type { CsrAttributes } from '../../../shared/csr-attributes';
import { ERROR_CODES } from '../../../shared/error-codes';
import { SatelliteError } from '../common/errors';
import { cryptoPool } from '../keys/crypto-pool';
import type { CaConnector, IssuedWithNewKey, IssueRequest } from '../ca/connector';
import { parseCsr, type ParsedCsr } from '../keys/parse';
import { ConcurrencyLimit } from './concurrency-limit';

/** One key generation per CPU at a time: all the CPUs work, and the event loop keeps its turn (see ConcurrencyLimit). */
const keyGenerations = new ConcurrencyLimit(availableParallelism());

/** A fresh key pair and its CSR. The caller seals `pkcs8` at once and wipes it. */
export function makeKeyAndCsr(attrs: CsrAttributes): Promise<{ pkcs8: Uint8Array; csrPem: string; subjectDN: string }> {
  // On a worker thread of the crypto pool (or this thread while none is up).
  return keyGenerations.run(() => cryptoPool().run('keyAndCsr', attrs));
}

/**
 * For a CA that issues locally and can make the key itself: the key, the CSR and the certificate
 * in one hand-off to the crypto pool. An RSA job waits for the one-per-CPU limit of makeKeyAndCsr
 * (its prime search is the long part); an EC or Ed25519 key takes microseconds and the job is
 * mostly the CA's signature, which was never limited: the worker keeps a queue, so it has the next
 * certificate to sign while the event loop is busy with a commit (about 1.5-3% more certificates
 * a second at concurrency 8 in 16 alternated rounds).
 */
export function makeKeyAndCertificate(
  issueWithNewKey: NonNullable<CaConnector['issueWithNewKey']>,
  attrs: CsrAttributes,
  request: Omit<IssueRequest, 'csrPem' | 'template'>,
): Promise<IssuedWithNewKey> {
  const job = () => issueWithNewKey(attrs, request);
  return attrs.keyTypeParameters.keyType === 'RSA' ? keyGenerations.run(job) : job();
}

/** A caller's CSR, parsed and with its signature checked; a bad one is a 400 naming the field. */
export async function parseUploadedCsr(pem: string): Promise<ParsedCsr> {
  let parsed: ParsedCsr;
  try {
    parsed = await parseCsr(pem);
  } catch (error) {
    throw new SatelliteError(ERROR_CODES.VALIDATION, `certificateSigningRequest is not a PEM PKCS#10 CSR: ${(error as Error).message}`, 400, {
      field: 'certificateSigningRequest',
    });
  }
  if (!parsed.signatureValid) {
    throw new SatelliteError(ERROR_CODES.VALIDATION, 'certificateSigningRequest has a signature that does not verify with its own public key; make the CSR again', 400, {
      field: 'certificateSigningRequest',
    });
  }
  return parsed;
}

/** What an uploaded CSR asks for, in the shape the template's policy checks. */
export function csrToAttributes(csr: ParsedCsr): CsrAttributes {
  const { subject } = csr;
  return {
    commonName: subject.commonName ?? '',
    organization: subject.organization,
    organizationalUnits: subject.organizationalUnits,
    locality: subject.locality,
    state: subject.state,
    country: subject.country,
    subjectAlternativeNamesByType: csr.subjectAlternativeNamesByType,
    keyTypeParameters: csr.keyTypeParameters,
  };
}
