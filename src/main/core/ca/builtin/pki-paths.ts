// Where relying parties find the built-in CA's CRL, CA certificates and OCSP responder: the PKI
// listener's paths (the only ones it answers) and the URLs certificates carry under its base URL.

export const PKI_PATHS = { crl: '/pki/intermediate.crl', intermediate: '/pki/intermediate.cer', root: '/pki/root.cer', ocsp: '/pki/ocsp' } as const;

/** The PKI listener's default port: stable, because its URLs are written into every certificate. */
export const DEFAULT_PKI_PORT = 7480;

/** Where certificates tell relying parties to look, under the PKI listener's base URL. */
export function revocationPointers(baseUrl: string): { crlUrl: string; caIssuersUrl: string; ocspUrl: string } {
  const base = baseUrl.replace(/\/+$/, '');
  return { crlUrl: `${base}${PKI_PATHS.crl}`, caIssuersUrl: `${base}${PKI_PATHS.intermediate}`, ocspUrl: `${base}${PKI_PATHS.ocsp}` };
}
