const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle, in file order, each ending with a newline. */
export function splitCertificates(bundle: string): string[] {
  return (bundle.match(PEM_BLOCK) ?? []).map((block) => `${block.replace(/\r\n/g, '\n')}\n`);
}
