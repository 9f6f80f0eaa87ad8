import { Button, Card, Group, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { BuiltinCaSummary } from '../../../shared';
import { describeNameConstraints } from '../../../shared/name-constraints';
import { saveWithAnchor } from '../../client/http-client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRpc } from '../../hooks/useRpc';
import { useServicesStatus } from '../../app/ServicesStatusContext';
import { FactTable } from '../detail/Fields';
import { NewIssuingCaModal } from './NewIssuingCaModal';
import { TrustRootModal, type TrustRootAction } from './TrustRootModal';

const PEM = 'application/x-pem-file';

/** The built-in CA's root (to trust on clients), its chain, and its CRLs (to publish): the intermediate's, current, and the root's. */
export function BuiltinCaCard() {
  const { data, error, reload } = useRpc('getBuiltinCa', {});
  const [trustAction, setTrustAction] = useState<TrustRootAction>();
  const [newIssuing, setNewIssuing] = useState(false);
  // The CA connectors' health names the issuing CA too: it must not keep naming the one replaced.
  const services = useServicesStatus();
  const issuingChanged = () => {
    reload();
    services.reload();
  };
  const save = (name: string, text: string) => saveWithAnchor(new Blob([text], { type: PEM }), name);
  return (
    <Card data-testid="builtin-ca">
      <Title order={2} size="h5" mb={4}>
        Built-in CA
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        The offline CA. Clients trust its certificates once they trust its root: import the root into the OS or browser trust store.
      </Text>
      <Text size="xs" c="dimmed" mb="xs" data-testid="builtin-ca-tls-note">
        A headless satellite's HTTPS API uses a certificate from this CA too (unless started with --tls-cert): give the root to curl (--cacert), vcert (REQUESTS_CA_BUNDLE) or Node (NODE_EXTRA_CA_CERTS) to connect without warnings.
      </Text>
      {error && <ErrorAlert title="The built-in CA is not available" error={error} onRetry={reload} />}
      {data && (
        <>
          <FactTable
            rows={[
              ['Root SHA-256', <Text key="f" className="ks-mono" size="xs">{data.rootSha256Fingerprint}</Text>],
              [
                'Issuing CA',
                <Text key="i" size="sm" data-testid="builtin-ca-issuing">
                  {issuingLine(data.issuingCas)}
                </Text>,
              ],
              [
                'Trusted on this computer',
                <Text key="t" size="sm" data-testid="builtin-ca-trusted-in">
                  {data.trustedIn.length
                    ? `Added by this satellite to ${data.trustedIn.join('; ')}`
                    : 'Not by this satellite. Until the root is in this computer\'s trust stores, browsers and programs here refuse its certificates: use "Trust on this computer" below.'}
                </Text>,
              ],
              [
                'Revocation',
                <Text key="r" size="sm" data-testid="builtin-ca-revocation-urls">
                  {data.revocationUrls
                    ? [`CRL ${data.revocationUrls.crl}`, ...(data.revocationUrls.rootCrl ? [`root's CRL ${data.revocationUrls.rootCrl}`] : []), `OCSP ${data.revocationUrls.ocsp}`].join(' · ')
                    : 'Not published: certificates name no CRL or OCSP location (no PKI listener in this process). Give clients the CRLs below.'}
                </Text>,
              ],
              ...(data.nameConstraints
                ? ([['Name constraints', describeNameConstraints(data.nameConstraints)]] as [string, string][])
                : ([['Name constraints', 'None: it can issue for any name its templates allow. "New issuing CA" makes one that is constrained, under the same root.']] as [string, string][])),
            ]}
          />
          <Group gap="xs" mt="sm">
            {data.trustedIn.length ? (
              <Button variant="default" size="xs" onClick={() => setTrustAction('untrust')} data-testid="untrust-root">
                Stop trusting on this computer
              </Button>
            ) : (
              <Button size="xs" onClick={() => setTrustAction('trust')} data-testid="trust-root">
                Trust on this computer
              </Button>
            )}
            <Button variant="default" size="xs" onClick={() => save('keypair-satellite-root-ca.pem', data.rootPem)}>
              Download root certificate
            </Button>
            <Button variant="default" size="xs" onClick={() => save('keypair-satellite-ca-chain.pem', data.chainPems.join(''))}>
              Download CA chain
            </Button>
            <Button variant="default" size="xs" onClick={() => save('keypair-satellite-ca.crl', data.crlPem)} data-testid="download-crl">
              Download CRL
            </Button>
            {data.rootCrlPem && (
              <Button variant="default" size="xs" onClick={() => save('keypair-satellite-root-ca.crl', data.rootCrlPem!)} data-testid="download-root-crl">
                Download root CRL
              </Button>
            )}
            {data.issuingCas
              .filter((issuing) => issuing.crlPem)
              .map((issuing) => (
                <Button key={issuing.generation} variant="default" size="xs" onClick={() => save(`keypair-satellite-ca-${issuing.generation}.crl`, issuing.crlPem!)} data-testid={`download-crl-${issuing.generation}`}>
                  Download CRL of issuing CA {issuing.generation} (replaced)
                </Button>
              ))}
            <Button variant="default" size="xs" onClick={() => setNewIssuing(true)} data-testid="new-issuing-ca">
              New issuing CA…
            </Button>
          </Group>
        </>
      )}
      <TrustRootModal action={trustAction} onClose={() => setTrustAction(undefined)} onChanged={reload} />
      {data && <NewIssuingCaModal ca={data} opened={newIssuing} onClose={() => setNewIssuing(false)} onChanged={issuingChanged} />}
    </Card>
  );
}

/** The issuing CA that issues now, and the ones it replaced (they still answer for what they issued, at their own CRL). */
function issuingLine(issuingCas: BuiltinCaSummary['issuingCas']): string {
  const current = issuingCas.find((i) => i.issues);
  if (!current) return 'None';
  const replaced = issuingCas.filter((i) => !i.issues);
  const until = `${current.subject}, valid until ${new Date(current.notAfter).toLocaleDateString()}`;
  if (replaced.length === 0) return until;
  const one = replaced.length === 1;
  const where = replaced.every((i) => i.crlUrl) ? ` (${replaced.map((i) => i.crlUrl).join(', ')})` : '';
  return `${until}. It replaced ${one ? 'one issuing CA, which still signs its CRL' : `${replaced.length} issuing CAs, which still sign their CRLs`}${where} and OCSP answers for what ${one ? 'it' : 'they'} issued.`;
}
