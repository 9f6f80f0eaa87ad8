import { certificateContentsOptionsSchema, type CertificateContentsOptions } from '../../../shared/exports';
import type { ExportResult } from './types';
import { certificatesDer, toPem } from '../pki/pem';
import { parseChain } from './certificates';
import { fileBaseName } from './file-name';
import type { KeyMaterial } from './types';
import { parseOptions } from './validation';
import { rereadFailed } from './verification';

const ORDER_TEXT = { EE_FIRST: 'end entity first', ROOT_FIRST: 'root first', EE_ONLY: 'end entity only' } as const;

/**
 * The certificate as PEM (in the chain order asked for) or DER. DER holds exactly one
 * certificate, so DER always answers with the end entity alone and the summary says so
 * (the cloud's API does the same) rather than failing a request whose chainOrder defaulted.
 */
export function exportCertificate(
  certificate: Pick<KeyMaterial, 'certificatePem' | 'chainPems'>,
  options: CertificateContentsOptions,
  commonName: string,
): ExportResult {
  const { format, chainOrder } = parseOptions(certificateContentsOptionsSchema, options);
  const chain = parseChain(certificate.certificatePem, certificate.chainPems);
  const name = fileBaseName(commonName);

  if (format === 'DER') {
    const bytes = Buffer.from(chain.endEntity);
    const note = chainOrder === 'EE_ONLY' ? '' : ` (DER holds one certificate, so chain order ${chainOrder} gives the end entity only; use PEM for the chain)`;
    return { bytes, summary: { fileName: `${name}.cer`, mediaType: 'application/pkix-cert', scheme: `X.509 DER, end-entity certificate${note}`, sizeBytes: bytes.length } };
  }

  const eeFirst = [chain.endEntity, ...chain.issuers];
  const ordered = chainOrder === 'EE_ONLY' ? [chain.endEntity] : chainOrder === 'ROOT_FIRST' ? [...eeFirst].reverse() : eeFirst;
  const bytes = Buffer.from(ordered.map((d) => toPem(d, 'CERTIFICATE')).join(''), 'utf8');
  const reread = certificatesDer(bytes.toString('utf8'));
  if (reread.length !== ordered.length || !reread.every((d, i) => d.equals(ordered[i]!))) throw rereadFailed('PEM certificate', 'the PEM does not hold the certificates in order');
  const count = ordered.length === 1 ? '1 certificate' : `${ordered.length} certificates`;
  return {
    bytes,
    summary: { fileName: `${name}.pem`, mediaType: 'application/x-pem-file', scheme: `X.509 PEM, ${ORDER_TEXT[chainOrder]} (${count})`, sizeBytes: bytes.length },
  };
}
