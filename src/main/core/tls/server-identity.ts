import { createPrivateKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { csrAttributesSchema } from '../../../shared/csr-attributes';
import type { SecretVault } from '../vault/secret-vault';
import { createCsr } from '../keys/csr';
import { toPem } from '../pki/pem';

// The certificate the satellite's own HTTPS listener presents: issued by the built-in CA for the
// names clients use to reach it, its key sealed under the DEK like every other key, renewed by
// the satellite once two thirds of its life have passed. Clients trust the built-in CA's root
// (written by --tls-ca-file, downloadable on Services), never this certificate alone.

/** What a TLS listener is built with. The key is in memory only, for the listener's lifetime. */
export interface TlsServerIdentity {
  certificatePem: string;
  /** PKCS#8 PEM, unencrypted: handed to node:tls, never written anywhere. */
  keyPem: string;
  /** Issuer first, root last: the listener sends the issuer after its certificate. */
  chainPems: string[];
  notAfter: Date;
  /** When the satellite makes the next one (two thirds of the way). */
  renewAt: Date;
}

/** The part of the built-in CA this needs: sign a CSR for exactly these names. */
export interface ServerCertificateIssuer {
  issueServerCertificate(csrPem: string, validitySeconds: number): Promise<{ certificatePem: string; chainPems: string[] }>;
}

export interface ServerIdentityStore {
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
}

const VALIDITY_SECONDS = 90 * 86_400;
const CERTIFICATE_META = 'tlsServerCertificate';
const KEY_SECRET = 'tls-server-key';

/** Names a loopback listener is reached by, plus the bind address when it is another one. */
export function listenerNames(host: string): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = new Set(['localhost']);
  const ipAddresses = new Set(['127.0.0.1', '::1']);
  if (isIP(host)) {
    if (host !== '0.0.0.0' && host !== '::') ipAddresses.add(host);
  } else dnsNames.add(host.toLowerCase());
  return { dnsNames: [...dnsNames], ipAddresses: [...ipAddresses] };
}

function renewAtOf(certificate: X509Certificate): Date {
  const from = certificate.validFromDate.getTime();
  const to = certificate.validToDate.getTime();
  return new Date(from + ((to - from) * 2) / 3);
}

function covers(certificate: X509Certificate, names: { dnsNames: string[]; ipAddresses: string[] }): boolean {
  return names.dnsNames.every((n) => certificate.checkHost(n, { subject: 'never' }) !== undefined) && names.ipAddresses.every((ip) => certificate.checkIP(ip) !== undefined);
}

/**
 * The listener's identity for `host`: the stored one when it still covers the names, was issued
 * by the CA's current intermediate and is not due, otherwise a new key and certificate.
 */
export async function serverIdentity(deps: { store: ServerIdentityStore; secrets: SecretVault; issuer: ServerCertificateIssuer; chainPems: string[] }, host: string, now = new Date()): Promise<TlsServerIdentity> {
  const names = listenerNames(host);
  const stored = deps.store.getMeta(CERTIFICATE_META);
  const sealedKey = stored ? await deps.secrets.read(KEY_SECRET) : undefined;
  if (stored && sealedKey) {
    const certificate = new X509Certificate(stored);
    const issuer = deps.chainPems[0] ? new X509Certificate(deps.chainPems[0]) : undefined;
    const key = createPrivateKey({ key: sealedKey, format: 'der', type: 'pkcs8' });
    sealedKey.fill(0);
    if (issuer && certificate.checkIssued(issuer) && covers(certificate, names) && renewAtOf(certificate) > now && certificate.checkPrivateKey(key)) {
      return identityOf(stored, key, deps.chainPems);
    }
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const attrs = csrAttributesSchema.parse({
    commonName: 'localhost',
    subjectAlternativeNamesByType: names,
    keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' },
  });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  const csr = await createCsr(attrs, { params: attrs.keyTypeParameters, spki, privateKey });
  const issued = await deps.issuer.issueServerCertificate(csr.pem, VALIDITY_SECONDS);
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  try {
    await deps.secrets.write(KEY_SECRET, pkcs8);
  } finally {
    pkcs8.fill(0);
  }
  deps.store.setMeta(CERTIFICATE_META, issued.certificatePem);
  return identityOf(issued.certificatePem, privateKey, issued.chainPems);
}

function identityOf(certificatePem: string, key: KeyObject, chainPems: string[]): TlsServerIdentity {
  const certificate = new X509Certificate(certificatePem);
  return {
    certificatePem,
    keyPem: toPem(key.export({ type: 'pkcs8', format: 'der' }), 'PRIVATE KEY'),
    chainPems,
    notAfter: certificate.validToDate,
    renewAt: renewAtOf(certificate),
  };
}
