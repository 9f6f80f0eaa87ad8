import type { BuiltinCaSummary } from '../../shared/client';
import { describeNameConstraints, type NameConstraints } from '../../shared/name-constraints';
import type { SatelliteService } from '../core/service';
import type { CliOptions } from './cli-options';
import { openForCommand, type Output, type ServiceFactoryOptions } from './cli-run';

// `npm run serve -- --new-issuing-ca [--ca-permitted-dns D --ca-permitted-ip R]`: the built-in CA's
// root signs a new issuing CA (new key, these name constraints or none) through the same service
// the UI calls, then exit. Run with the satellite stopped (the data directory is locked while it runs).

/** Where the PKI listener will serve, when the options say so ahead of binding it (not with port 0). */
function pkiBaseUrl(pki: CliOptions['pki']): string | undefined {
  if (!pki) return undefined;
  if (pki.baseUrl) return pki.baseUrl;
  if (pki.port === 0) return undefined;
  return `http://${pki.host.includes(':') ? `[${pki.host}]` : pki.host}:${pki.port}`;
}

export async function runNewIssuingCaCli(
  options: CliOptions & { newIssuingCa: { nameConstraints?: NameConstraints } },
  createService: (o: ServiceFactoryOptions) => Promise<SatelliteService>,
  output: Output,
): Promise<0 | 1> {
  const service = await openForCommand({ ...options, pkiBaseUrl: pkiBaseUrl(options.pki) }, createService, 'the --new-issuing-ca command');
  try {
    const ca = await service.call('newIssuingCa', options.newIssuingCa);
    for (const line of describeIssuingCas(ca)) output.out(line);
    return 0;
  } catch (error) {
    output.err(`--new-issuing-ca failed: ${(error as Error).message}`);
    return 1;
  } finally {
    await service.close();
  }
}

/** What the command says it did: the issuing CA that issues now, and the ones that only answer for what they issued. */
export function describeIssuingCas(ca: BuiltinCaSummary): string[] {
  const current = ca.issuingCas.find((i) => i.issues)!;
  const constraints = ca.nameConstraints ? `name constraints: ${describeNameConstraints(ca.nameConstraints)}` : 'no name constraints';
  return [
    `New issuing CA: ${current.subject}, ${constraints}, valid until ${current.notAfter.slice(0, 10)}. It issues from now on, under the same root (SHA-256 ${ca.rootSha256Fingerprint}): nothing new to trust.`,
    ...ca.issuingCas
      .filter((i) => !i.issues)
      .map((i) => `Replaced: ${i.subject} issues nothing more; it still answers CRL and OCSP for what it issued, which stays valid until it expires.`),
    ...(ca.revocationUrls ? [`Its CRL: ${ca.revocationUrls.crl}`] : []),
  ];
}
