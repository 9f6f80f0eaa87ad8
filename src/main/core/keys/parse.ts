import type { SubjectAlternativeNamesByType } from '../../../shared/csr-attributes';
import type { KeyTypeParameters } from '../../../shared/key-types';
import { formatSubjectDN } from '../../../shared/subject-dn';
import { readCsrPem, readCsrSpkiPem, CsrReadError, type CsrSubject } from '../pki/csr-reader';
import { csrSignatureValid } from '../pki/csr-signature';
import { keyTypeParametersFromSpki } from './key-material';

export { keyTypeParametersFromSpki, importPrivateKey, keyPairFromPkcs8, publicKeysEqual, spkiFromPkcs8, UnsupportedKeyError } from './key-material';
/** A CSR that is not one, or one the satellite will not read (pki/csr-reader says why). */
export { CsrReadError as CsrParseError } from '../pki/csr-reader';

/** What the pipeline needs from an uploaded CSR: pki/csr-reader's reading, the one the policy and the built-in CA see. */
export interface ParsedCsr {
  subject: CsrSubject;
  /** In the cloud's style, as formatSubjectDN writes it. */
  subjectDN: string;
  subjectAlternativeNamesByType: SubjectAlternativeNamesByType;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  keyTypeParameters: KeyTypeParameters;
  /** Whether the CSR is signed by the private key of its own public key (proof of possession). */
  signatureValid: boolean;
}

/**
 * Only the SubjectPublicKeyInfo DER of a PEM CSR: for a CSR the satellite has already read and
 * verified, e.g. to match an issued certificate to it.
 */
export function csrPublicKeyInfo(pem: string): Uint8Array {
  return readCsrSpkiPem(pem);
}

/**
 * Reads a PEM CSR (e.g. one a user uploads). Throws CsrParseError when it is not a CSR (or one
 * the satellite refuses to read) and UnsupportedKeyError when its key is of a type the satellite
 * does not issue for; a bad signature is reported in `signatureValid`, for the caller to refuse
 * with its own words.
 */
export async function parseCsr(pem: string): Promise<ParsedCsr> {
  const csr = readCsrPem(pem);
  const keyTypeParameters = keyTypeParametersFromSpki(csr.spki);
  let signatureValid: boolean;
  try {
    signatureValid = csrSignatureValid(csr);
  } catch (error) {
    throw new CsrReadError(`certificateSigningRequest: its signature cannot be checked (${(error as Error).message})`);
  }
  return {
    subject: csr.subject,
    subjectDN: formatSubjectDN(csr.subject),
    subjectAlternativeNamesByType: csr.subjectAlternativeNamesByType,
    spki: csr.spki,
    keyTypeParameters,
    signatureValid,
  };
}
