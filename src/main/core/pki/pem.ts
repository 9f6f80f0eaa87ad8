/** DER bytes as PEM with 64-character lines, as openssl writes it. */
export function toPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER of the first PEM block with one of these labels; throws naming what was expected. */
export function fromPem(pem: string, labels: readonly string[]): Uint8Array {
  for (const label of labels) {
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`-----BEGIN ${escaped}-----([A-Za-z0-9+/=\\s]*?)-----END ${escaped}-----`).exec(pem);
    if (match) {
      const der = Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
      if (der.length === 0) break;
      return new Uint8Array(der);
    }
  }
  throw new Error(`expected a PEM block "-----BEGIN ${labels[0]}-----"; none was found`);
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The DER of every certificate in a PEM bundle, in file order. */
export function certificatesDer(bundle: string): Buffer[] {
  return [...bundle.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

/** The certificates of a PEM bundle, in file order, each ending with a newline (CRLF read as LF). */
export function splitCertificates(bundle: string): string[] {
  return (bundle.match(CERTIFICATE_BLOCK) ?? []).map((block) => `${block.replace(/\r\n/g, '\n')}\n`);
}
