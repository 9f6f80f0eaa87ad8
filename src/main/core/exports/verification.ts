import { ERROR_CODES } from '../../../shared/error-codes';
import { SatelliteError } from '../common/errors';
import { sameChain, type CertificateChain } from './certificates';
import { keyMatchesCertificate, privateKeyFromPkcs8 } from './key-type';

/** An export whose re-read disagrees with what was asked is a bug: it is never handed out. */
export function rereadFailed(format: string, problem: string): SatelliteError {
  return new SatelliteError(ERROR_CODES.INTERNAL, `${format} export failed its re-read check: ${problem}; nothing was saved`, 500);
}

/** The checks every re-read keystore must pass: its key is the certificate's, its chain is the one given. */
export function assertRereadMatches(format: string, rereadPkcs8: Buffer, reread: CertificateChain, expected: CertificateChain): void {
  try {
    if (!keyMatchesCertificate(privateKeyFromPkcs8(rereadPkcs8), reread.endEntity)) throw rereadFailed(format, 'the private key does not match the certificate');
  } finally {
    rereadPkcs8.fill(0);
  }
  if (!sameChain(reread, expected)) {
    throw rereadFailed(format, `the chain holds ${1 + reread.issuers.length} certificates in the file but ${1 + expected.issuers.length} were given, or their order differs`);
  }
}
