import { X509Certificate } from 'node:crypto';
import type { CertificateExtensionView } from '../../../shared/certificate';
import { colonHex } from '../../../shared/hex';
import { certificateExtensions, signatureAlgorithmName } from './certificate-extensions';
import { curveFromOpensslName, NIST_CURVES } from './curves';

// "View as text": the certificate laid out as `openssl x509 -noout -text` lays it out (header,
// names, validity, key, extensions), for people who read certificates that way. Key bytes and
// the signature value are left out: fingerprints and the PEM are on the same page.

const PUBLIC_KEY_ALGORITHMS: Record<string, string> = { rsa: 'rsaEncryption', 'rsa-pss': 'rsassaPss', ec: 'id-ecPublicKey', ed25519: 'ED25519', ed448: 'ED448' };

/** Node's "CN=a\nO=Example\\, Inc." as openssl prints it: 'CN = a, O = "Example, Inc."' (a value with a comma quoted, not escaped). */
const opensslName = (name: string) =>
  name
    .split('\n')
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      const value = part.slice(eq + 1).replace(/\\(.)/g, '$1');
      const shown = /[,+;<>"\\]|^\s|\s$/.test(value) ? `"${value.replace(/(["\\])/g, '\\$1')}"` : value;
      return `${part.slice(0, eq)} = ${shown}`;
    })
    .join(', ');

/** openssl prints the serial in lower case, padded to whole bytes. */
const serialHex = (hex: string) => colonHex(hex.length % 2 ? `0${hex}` : hex).toLowerCase();

/** `view`: the extensions and signature algorithm when the caller has read them already. */
export function certificateText(
  pem: string,
  view: { extensions: CertificateExtensionView[]; signatureAlgorithm: string } = { extensions: certificateExtensions(pem), signatureAlgorithm: signatureAlgorithmName(pem) },
): string {
  const certificate = new X509Certificate(pem);
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const curve = curveFromOpensslName(details.namedCurve);
  const bits = details.modulusLength ?? (curve ? NIST_CURVES[curve].bits : undefined) ?? (key.asymmetricKeyType === 'ed25519' ? 256 : undefined);
  const signature = view.signatureAlgorithm;
  const lines = [
    'Certificate:',
    '    Data:',
    '        Version: 3 (0x2)',
    '        Serial Number:',
    `            ${serialHex(certificate.serialNumber)}`,
    `        Signature Algorithm: ${signature}`,
    `        Issuer: ${opensslName(certificate.issuer)}`,
    '        Validity',
    `            Not Before: ${certificate.validFrom}`,
    `            Not After : ${certificate.validTo}`,
    `        Subject: ${opensslName(certificate.subject)}`,
    '        Subject Public Key Info:',
    `            Public Key Algorithm: ${PUBLIC_KEY_ALGORITHMS[key.asymmetricKeyType ?? ''] ?? key.asymmetricKeyType}`,
    ...(bits ? [`                Public-Key: (${bits} bit)`] : []),
    ...(details.namedCurve ? [`                ASN1 OID: ${details.namedCurve}`, ...(curve ? [`                NIST CURVE: ${NIST_CURVES[curve].nistName}`] : [])] : []),
  ];
  const extensions = view.extensions;
  if (extensions.length > 0) {
    lines.push('        X509v3 extensions:');
    for (const e of extensions) {
      lines.push(`            ${e.name}:${e.critical ? ' critical' : ''}`);
      for (const v of e.values) lines.push(`                ${v}`);
    }
  }
  lines.push(`    Signature Algorithm: ${signature}`);
  return lines.join('\n') + '\n';
}
