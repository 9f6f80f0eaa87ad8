import { X509Certificate } from 'node:crypto';
import { ERROR_CODES } from '../../../shared/error-codes';
import { SatelliteError } from '../common/errors';
import { certificatesDer } from '../pki/pem';

/** A certificate and its chain as DER, end entity first, root (or last issuer) last. */
export interface CertificateChain {
  endEntity: Buffer;
  /** Issuer first, root last; may stop short of the root (ACME CAs do not send it). */
  issuers: Buffer[];
}

function invalid(field: string, message: string): SatelliteError {
  return new SatelliteError(ERROR_CODES.VALIDATION, `${field}: ${message}`, 400);
}

/**
 * Parses the certificate and chain PEMs. The certificate PEM must hold exactly the end
 * entity; the chain PEMs may each hold one or more certificates (issuer first).
 */
export function parseChain(certificatePem: string, chainPems: string[]): CertificateChain {
  const ee = certificatesDer(certificatePem);
  if (ee.length !== 1) throw invalid('certificatePem', `expected exactly one PEM certificate, found ${ee.length}`);
  const issuers = chainPems.flatMap((p) => certificatesDer(p));
  const chain = { endEntity: ee[0]!, issuers };
  assertChainLinks(chain, 'certificate chain');
  return chain;
}

/**
 * Each certificate must be signed by the next one. Called on the input and again on every
 * re-read keystore, so a keystore never holds a reordered or broken chain.
 */
export function assertChainLinks(chain: CertificateChain, what: string): void {
  const certs = [chain.endEntity, ...chain.issuers].map((d, i) => {
    try {
      return new X509Certificate(d);
    } catch {
      throw invalid(what, `certificate ${i + 1} is not a valid X.509 certificate`);
    }
  });
  for (let i = 0; i + 1 < certs.length; i++) {
    const [child, issuer] = [certs[i]!, certs[i + 1]!];
    if (!child.checkIssued(issuer) || !child.verify(issuer.publicKey)) {
      throw invalid(what, `certificate ${i + 1} (${child.subject.replace(/\n/g, ', ')}) is not signed by certificate ${i + 2} (${issuer.subject.replace(/\n/g, ', ')}); give the chain issuer first, root last`);
    }
  }
}

export function sameChain(a: CertificateChain, b: CertificateChain): boolean {
  return a.endEntity.equals(b.endEntity) && a.issuers.length === b.issuers.length && a.issuers.every((c, i) => c.equals(b.issuers[i]!));
}
