// Where relying parties find the built-in CA's CRL, CA certificates and OCSP responder: the PKI
// listener's paths (the only ones it answers) and the URLs certificates carry under its base URL.

export const PKI_PATHS = { crl: '/pki/intermediate.crl', rootCrl: '/pki/root.crl', intermediate: '/pki/intermediate.cer', root: '/pki/root.cer', ocsp: '/pki/ocsp' } as const;

/** The PKI listener's default port: stable, because its URLs are written into every certificate. */
export const DEFAULT_PKI_PORT = 7480;

/** Where certificates tell relying parties to look, under the PKI listener's base URL. */
export function revocationPointers(baseUrl: string): { crlUrl: string; caIssuersUrl: string; ocspUrl: string } {
  return { crlUrl: pkiUrl(baseUrl, 'crl'), caIssuersUrl: pkiUrl(baseUrl, 'intermediate'), ocspUrl: pkiUrl(baseUrl, 'ocsp') };
}

/** Where the intermediate tells relying parties to find the root's CRL (CDP) and certificate (AIA caIssuers). */
export function rootPointers(baseUrl: string): { crlUrl: string; caIssuersUrl: string } {
  return { crlUrl: pkiUrl(baseUrl, 'rootCrl'), caIssuersUrl: pkiUrl(baseUrl, 'root') };
}

/** One of the PKI listener's URLs under its base URL. */
export function pkiUrl(baseUrl: string, what: keyof typeof PKI_PATHS): string {
  return `${baseUrl.replace(/\/+$/, '')}${PKI_PATHS[what]}`;
}
