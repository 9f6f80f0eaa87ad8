// @peculiar/x509 resolves its providers through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import { Pkcs10CertificateRequest, SubjectAlternativeNameExtension } from '@peculiar/x509';
import type { SubjectAlternativeNamesByType } from '../../shared/csr-attributes';

const NONE: SubjectAlternativeNamesByType = { dnsNames: [], ipAddresses: [], rfc822Names: [], uniformResourceIdentifiers: [] };

/**
 * The SANs a caller's own CSR asks for (requests made from csrAttributes carry them already).
 * A CSR the satellite cannot parse shows no SANs here; the request pipeline reports why it failed.
 */
export function sansOfCsr(csrPem: string | undefined): SubjectAlternativeNamesByType {
  if (!csrPem) return NONE;
  try {
    const csr = new Pkcs10CertificateRequest(csrPem);
    const ext = csr.extensions.find((e): e is SubjectAlternativeNameExtension => e instanceof SubjectAlternativeNameExtension);
    if (!ext) return NONE;
    const names = ext.names.toJSON();
    const of = (type: string) => names.filter((n) => n.type === type).map((n) => n.value);
    return { dnsNames: of('dns'), ipAddresses: of('ip'), rfc822Names: of('email'), uniformResourceIdentifiers: of('url') };
  } catch {
    return NONE;
  }
}
