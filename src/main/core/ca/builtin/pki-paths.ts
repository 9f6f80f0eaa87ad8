// Where relying parties find the built-in CA's CRL, CA certificates and OCSP responder: the PKI
// listener's paths (the only ones it answers) and the URLs certificates carry under its base URL.

/** The first issuing CA's paths, the root's and the responder's; later issuing CAs: issuingCaPaths. */
export const PKI_PATHS = { crl: '/pki/intermediate.crl', rootCrl: '/pki/root.crl', intermediate: '/pki/intermediate.cer', root: '/pki/root.cer', ocsp: '/pki/ocsp' } as const;

/** The PKI listener's default port: stable, because its URLs are written into every certificate. */
export const DEFAULT_PKI_PORT = 7480;

/**
 * A file the PKI listener serves. Each issuing CA (`generation` 1 is the one the CA was made with,
 * 2 the next made under the same root, ...) has a CRL and a certificate of its own, at URLs its
 * certificates name for good: a later issuing CA never takes them over.
 */
export type PkiFile = { what: 'crl' | 'intermediate'; generation: number } | { what: 'root-crl' | 'root' };

/** The CRL and certificate paths of issuing CA `generation`: generation 1 keeps the names it always had. */
export function issuingCaPaths(generation: number): { crl: string; certificate: string } {
  const stem = generation === 1 ? '/pki/intermediate' : `/pki/intermediate-g${generation}`;
  return { crl: `${stem}.crl`, certificate: `${stem}.cer` };
}

const ISSUING_CA_PATH = /^\/pki\/intermediate(?:-g([1-9]\d{0,3}))?\.(crl|cer)$/;

/** The file at `path`, or undefined when the listener serves nothing there. */
export function pkiFileAt(path: string): PkiFile | undefined {
  if (path === PKI_PATHS.rootCrl) return { what: 'root-crl' };
  if (path === PKI_PATHS.root) return { what: 'root' };
  const match = ISSUING_CA_PATH.exec(path);
  if (!match) return undefined;
  const generation = match[1] === undefined ? 1 : Number(match[1]);
  // "-g1" is not a name anything was given: generation 1 is only at the plain name.
  if (generation === 1 && match[1] !== undefined) return undefined;
  return { what: match[2] === 'crl' ? 'crl' : 'intermediate', generation };
}

/** Where certificates issued by issuing CA `generation` tell relying parties to look, under the PKI listener's base URL. */
export function revocationPointers(baseUrl: string, generation = 1): { crlUrl: string; caIssuersUrl: string; ocspUrl: string } {
  const paths = issuingCaPaths(generation);
  return { crlUrl: underBase(baseUrl, paths.crl), caIssuersUrl: underBase(baseUrl, paths.certificate), ocspUrl: pkiUrl(baseUrl, 'ocsp') };
}

/** Where the intermediate tells relying parties to find the root's CRL (CDP) and certificate (AIA caIssuers). */
export function rootPointers(baseUrl: string): { crlUrl: string; caIssuersUrl: string } {
  return { crlUrl: pkiUrl(baseUrl, 'rootCrl'), caIssuersUrl: pkiUrl(baseUrl, 'root') };
}

/** One of the PKI listener's URLs under its base URL. */
export function pkiUrl(baseUrl: string, what: keyof typeof PKI_PATHS): string {
  return underBase(baseUrl, PKI_PATHS[what]);
}

/** The CRL URL of issuing CA `generation` under the base URL. */
export function issuingCaCrlUrl(baseUrl: string, generation: number): string {
  return underBase(baseUrl, issuingCaPaths(generation).crl);
}

function underBase(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}
