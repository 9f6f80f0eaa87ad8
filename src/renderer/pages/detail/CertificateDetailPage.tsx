import { Anchor, Badge, Button, Card, CopyButton, Grid, Group, List, Loader, Select, Stack, Text, Textarea, Timeline, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { CURVE_LABELS, REVOCATION_REASON_NAMES, REVOCATION_REASONS, type CertificateDetail, type EcCurve, type KeystoreFormat, type RevocationReason } from '../../../shared';
import { hrefOf } from '../../app/routes';
import { useNavigate } from '../../app/useRoute';
import { useClient } from '../../client/ClientContext';
import { toSatelliteError } from '../../client/satellite-error';
import { CertificateStatusBadge, ExpiryBadge, RequestStatusBadge, requestStatusColor } from '../../components/badges';
import { ErrorAlert } from '../../components/ErrorAlert';
import { BackIcon, CopyIcon, DownloadIcon, KeyIcon, RefreshIcon, TrashIcon } from '../../components/icons';
import { PageHeader } from '../../components/PageHeader';
import { useRpc } from '../../hooks/useRpc';
import { colonHex, formatDateTime } from '../../lib/format';
import { displayStatus } from '../../lib/inventory';
import { RequestPendingOffline, RequestProgress, RequestRefused } from '../request/RequestProgress';
import { useSubmitRequest } from '../request/useSubmitRequest';
import { ConfirmModal } from './ConfirmModal';
import { DownloadCertificateModal } from './DownloadCertificateModal';
import { DownloadKeystoreModal } from './DownloadKeystoreModal';
import { CopyableMono, FactTable } from './Fields';
import { RenewalAdviceText } from './RenewalAdviceText';
import { AutomationCard } from './AutomationCard';

type Dialog = 'certificate' | 'keystore' | 'renew' | 'revoke' | 'retire' | 'delete' | null;
const REVOKE_REASONS = REVOCATION_REASON_NAMES.map((value) => ({ value, label: REVOCATION_REASONS[value].label }));
type RevokeReason = RevocationReason;

function keyTypeLabel(d: CertificateDetail): string {
  const c = d.certificate;
  if (c.keyType === 'RSA') return `RSA ${c.keyStrength ?? ''}`.trim();
  return c.keyCurve === 'ED25519' ? CURVE_LABELS.ED25519 : `EC ${CURVE_LABELS[c.keyCurve as EcCurve] ?? c.keyCurve ?? ''}`;
}

export function CertificateDetailPage({ id }: { id: string }) {
  const client = useClient();
  const navigate = useNavigate();
  const detail = useRpc('getCertificate', { id });
  const serverTypes = useRpc('listServerTypes', {});
  const templates = useRpc('listIssuingTemplates', {});
  const applications = useRpc('listApplications', {});
  const automation = useRpc('getCertificateAutomation', { certificateId: id });
  const renewal = useSubmitRequest();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState<RevokeReason>('unspecified');

  if (detail.loading && !detail.data) {
    return (
      <Group gap="sm" aria-live="polite">
        <Loader size="sm" /> <Text size="sm">Loading the certificate…</Text>
      </Group>
    );
  }
  if (detail.error || !detail.data) {
    return (
      <>
        <PageHeader title="Certificate" />
        <ErrorAlert title="This certificate could not be opened" error={detail.error} onRetry={detail.reload} />
        <Anchor href={hrefOf({ page: 'certificates' })} mt="md" display="inline-block">
          Back to all certificates
        </Anchor>
      </>
    );
  }

  const d = detail.data;
  const c = d.certificate;
  const cn = c.subjectCN[0] ?? c.certificateName;
  const status = displayStatus(c, Date.now());
  const serverType = serverTypes.data?.find((s) => s.id === c.applicationServerTypeId);
  const defaultFormat: KeystoreFormat = serverType?.keystoreType ?? 'PKCS12';
  const template = templates.data?.find((t) => t.id === c.certificateIssuingTemplateId);
  const sans = c.subjectAlternativeNamesByType;

  const act = async (what: string, fn: () => Promise<unknown>, after: () => void) => {
    // A renewal refused earlier is not the outcome of this action: it does not stay under it.
    if (renewal.phase.kind === 'error') renewal.reset();
    setBusy(true);
    try {
      await fn();
      notifications.show({ color: 'green', message: what });
      after();
    } catch (e) {
      notifications.show({ color: 'red', title: 'That did not work', message: toSatelliteError(e).message, autoClose: false });
    } finally {
      setBusy(false);
      setDialog(null);
    }
  };

  const copyPem = async () => {
    try {
      const { pem } = await client.call('getCertificateText', { id, chainOrder: 'EE_FIRST' });
      await navigator.clipboard.writeText(pem);
      notifications.show({ color: 'green', message: 'PEM copied to the clipboard (certificate and chain)' });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not copy the PEM', message: toSatelliteError(e).message });
    }
  };

  const renew = async () => {
    setDialog(null);
    const record = await renewal.renew(id);
    if (record?.status === 'ISSUED' && record.certificateIds[0]) navigate({ page: 'certificate', id: record.certificateIds[0] });
  };

  const sanRows: [string, string[]][] = (
    [
      ['DNS', sans.dNSName],
      ['IP', sans.iPAddress],
      ['Email', sans.rfc822Name],
      ['URI', sans.uniformResourceIdentifier],
    ] as [string, string[] | undefined][]
  ).filter((r): r is [string, string[]] => !!r[1]?.length);

  return (
    <>
      <Anchor href={hrefOf({ page: 'certificates' })} size="sm" c="dimmed" display="inline-flex" style={{ alignItems: 'center', gap: 4 }} mb="xs">
        <BackIcon /> Certificates
      </Anchor>
      <PageHeader
        title={
          <Group gap="sm" component="span">
            <span data-testid="detail-cn">{cn}</span>
            <CertificateStatusBadge status={status} />
            <ExpiryBadge validityEnd={c.validityEnd} />
          </Group>
        }
        description={c.subjectDN}
      />
      <Group gap="xs" mb="md">
        <Button leftSection={<DownloadIcon />} onClick={() => setDialog('certificate')} data-testid="download-certificate">
          Download certificate
        </Button>
        <Tooltip label={d.hasPrivateKey ? 'Certificate, chain and private key in one protected file' : 'This satellite does not hold the private key (the CSR was uploaded or the certificate imported)'}>
          <Button leftSection={<KeyIcon />} variant="light" onClick={() => setDialog('keystore')} disabled={!d.hasPrivateKey} data-testid="download-keystore">
            Download keystore
          </Button>
        </Tooltip>
        <Button leftSection={<CopyIcon />} variant="default" onClick={copyPem} data-testid="copy-pem">
          Copy PEM
        </Button>
        {d.renewal.possible ? (
          <Button leftSection={<RefreshIcon />} variant="default" onClick={() => setDialog('renew')} disabled={renewal.phase.kind === 'sending' || renewal.phase.kind === 'waiting'} data-testid="renew">
            Renew…
          </Button>
        ) : (
          <Tooltip label={d.renewal.reason} multiline w={300}>
            <Button leftSection={<RefreshIcon />} variant="default" data-disabled aria-disabled="true" aria-describedby="renew-why" onClick={(e) => e.preventDefault()} data-testid="renew">
              Renew
              <span id="renew-why" hidden>
                {d.renewal.reason}
              </span>
            </Button>
          </Tooltip>
        )}
        <Button color="red" variant="light" onClick={() => setDialog('revoke')} disabled={c.revocationStatus === 'REVOKED'} data-testid="revoke">
          Revoke…
        </Button>
        {status === 'RETIRED' ? (
          <Button variant="default" loading={busy} onClick={() => act('Certificate recovered: it is back in the lists and searches', () => client.call('recoverCertificates', { ids: [id] }), detail.reload)} data-testid="recover">
            Recover
          </Button>
        ) : (
          c.revocationStatus !== 'REVOKED' && (
            <Button variant="default" onClick={() => setDialog('retire')} data-testid="retire">
              Retire…
            </Button>
          )
        )}
        <Button color="red" variant="subtle" leftSection={<TrashIcon />} onClick={() => setDialog('delete')} data-testid="delete">
          Delete…
        </Button>
      </Group>

      {(renewal.phase.kind === 'sending' || renewal.phase.kind === 'waiting') && (
        <RequestProgress phase={renewal.phase.kind} keyDescription={d.hasPrivateKey ? keyTypeLabel(d) : null} caName="the CA" />
      )}
      {renewal.phase.kind === 'done' && renewal.phase.record.status === 'PENDING' && <RequestPendingOffline record={renewal.phase.record} />}
      {renewal.phase.kind === 'done' && renewal.phase.record.status !== 'ISSUED' && renewal.phase.record.status !== 'PENDING' && <RequestRefused record={renewal.phase.record} />}
      {renewal.phase.kind === 'error' && <ErrorAlert title="Renewal was not accepted" error={renewal.phase.error} />}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Card>
              <Title order={2} size="h5" mb="xs">
                Certificate
              </Title>
              <FactTable
                rows={[
                  ['Subject', <Text key="s" size="sm" style={{ wordBreak: 'break-word' }}>{c.subjectDN}</Text>],
                  [
                    'SANs',
                    sanRows.length ? (
                      <Stack key="sans" gap={2}>
                        {sanRows.map(([kind, values]) => (
                          <Text size="sm" key={kind}>
                            <Badge size="xs" variant="outline" color="gray" mr={6}>
                              {kind}
                            </Badge>
                            {values.join(', ')}
                          </Text>
                        ))}
                      </Stack>
                    ) : (
                      '—'
                    ),
                  ],
                  ['Issuer', <Text key="i" size="sm" style={{ wordBreak: 'break-word' }}>{c.issuerDN}</Text>],
                  ['Serial', <CopyableMono key="serial" value={colonHex(c.serialNumber)} label="serial number" />],
                  ['SHA-1', <CopyableMono key="sha1" value={colonHex(c.fingerprint)} label="SHA-1 fingerprint" />],
                  ['SHA-256', <CopyableMono key="sha256" value={colonHex(c.sha256Fingerprint)} label="SHA-256 fingerprint" />],
                  ['Valid from', formatDateTime(c.validityStart)],
                  ['Valid until', formatDateTime(c.validityEnd)],
                  ...(!c.isCA && c.revocationStatus !== 'REVOKED' && !c.successorCertificateId ? ([['Renewal', <RenewalAdviceText key="renewal" id={c.id} />]] as [string, React.ReactNode][]) : []),
                  ['Key', `${keyTypeLabel(d)}${d.hasPrivateKey ? ' · private key held by this satellite, encrypted' : ' · private key not on this satellite'}`],
                  ['Template', template?.name ?? (c.certificateIssuingTemplateId ? 'unknown template' : 'imported')],
                  ['Application', c.applicationIds.map((a) => applications.data?.find((x) => x.id === a)?.name ?? a).join(', ') || '—'],
                  ['Server type', serverType ? `${serverType.platformName} (${serverType.keystoreType})` : '—'],
                  ...(c.revocationDate ? ([['Revoked', formatDateTime(c.revocationDate)]] as [string, string][]) : []),
                  ...(c.predecessorCertificateId ? ([['Renews', <Anchor key="p" href={hrefOf({ page: 'certificate', id: c.predecessorCertificateId })} size="sm">previous certificate</Anchor>]] as [string, React.ReactNode][]) : []),
                  ...(c.successorCertificateId ? ([['Renewed by', <Anchor key="n" href={hrefOf({ page: 'certificate', id: c.successorCertificateId })} size="sm">newer certificate</Anchor>]] as [string, React.ReactNode][]) : []),
                ]}
              />
            </Card>
            <Card data-testid="extensions-card">
              <Title order={2} size="h5" mb="xs">
                Extensions
              </Title>
              <Text size="xs" c="dimmed" mb="xs">
                Named and worded as <span className="ks-mono">openssl x509 -text</span> prints them. Signature: <span className="ks-mono" data-testid="signature-algorithm">{d.signatureAlgorithm}</span>
              </Text>
              {d.extensions.length === 0 ? (
                <Text size="sm" c="dimmed">
                  None: a version 1 certificate.
                </Text>
              ) : (
                <FactTable
                  rows={d.extensions.map((e): [string, React.ReactNode] => [
                    e.name,
                    <Stack key={e.oid} gap={2} data-testid="extension" data-name={e.name} data-critical={e.critical}>
                      {e.critical && (
                        <Badge size="xs" variant="light" color="orange" w="fit-content">
                          critical
                        </Badge>
                      )}
                      {e.values.map((v, i) => (
                        <Text key={i} size="sm" style={{ overflowWrap: 'anywhere' }} className={/^[0-9A-F]{2}(:[0-9A-F]{2})+$/.test(v) ? 'ks-mono' : undefined}>
                          {v}
                        </Text>
                      ))}
                    </Stack>,
                  ])}
                />
              )}
            </Card>
            <Card>
              <Title order={2} size="h5" mb="xs">
                Chain
              </Title>
              {d.chain.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No chain certificates: this certificate's issuer is not stored here.
                </Text>
              ) : (
                <List size="sm" spacing={4} type="ordered">
                  <List.Item>
                    <Text size="sm" fw={500}>
                      {cn}
                    </Text>
                  </List.Item>
                  {d.chain.map((ca) => (
                    <List.Item key={ca.id}>
                      <Text size="sm">{ca.subjectDN}</Text>
                      <Text size="xs" c="dimmed">
                        until {formatDateTime(ca.validityEnd)} · SHA-256 {colonHex(ca.sha256Fingerprint).slice(0, 23)}…
                      </Text>
                    </List.Item>
                  ))}
                </List>
              )}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <AutomationCard key={c.id} certificateId={c.id} commonName={cn} unavailable={automationUnavailable(d)} renewable={d.renewal.possible} />
          <Card mt="md">
            <Group justify="space-between" mb="xs">
              <Title order={2} size="h5">
                Request history
              </Title>
              {d.request && <RequestStatusBadge status={d.request.status} />}
            </Group>
            {!d.request ? (
              <Text size="sm" c="dimmed">
                Imported: no request history.
              </Text>
            ) : (
              <Timeline bulletSize={14} lineWidth={2} active={d.request.statusHistory.length - 1}>
                {d.request.statusHistory.map((h, i) => (
                  <Timeline.Item key={i} color={requestStatusColor(h.status)} title={<Text size="sm" fw={500}>{h.status.replaceAll('_', ' ')}</Text>}>
                    <Text size="xs" c="dimmed">
                      {formatDateTime(h.at)}
                    </Text>
                    {h.message && <Text size="sm">{h.message}</Text>}
                  </Timeline.Item>
                ))}
              </Timeline>
            )}
          </Card>
          <Card mt="md" data-testid="pem-card">
            <Title order={2} size="h5" mb="xs">
              PEM
            </Title>
            <PemBlock label="Certificate (PEM)" pem={d.pem} testId="certificate-pem" />
            {d.request?.certificateSigningRequest && <PemBlock label="The CSR it was issued for" pem={d.request.certificateSigningRequest} testId="csr-pem" />}
            <details className="ks-details" data-testid="certificate-text-toggle">
              <summary>View as text (as openssl x509 -text shows it)</summary>
              <PemBlock label="Certificate as text" pem={d.text} testId="certificate-text" />
            </details>
          </Card>
        </Grid.Col>
      </Grid>

      <DownloadCertificateModal id={id} opened={dialog === 'certificate'} onClose={() => setDialog(null)} />
      {d.hasPrivateKey && <DownloadKeystoreModal id={id} commonName={cn} defaultFormat={defaultFormat} opened={dialog === 'keystore'} onClose={() => setDialog(null)} keyCompromised={c.revocationReason === 'keyCompromise'} />}
      <ConfirmModal
        opened={dialog === 'revoke'}
        title="Revoke this certificate?"
        body={`${d.revocationEffect} This cannot be undone.${automation.data?.automation ? ` The satellite installs this certificate automatically (“${automation.data.automation.name}”): it replaces it at once with a new certificate and key where it is installed. If the service is gone, stop the automation instead of revoking.` : ''}`}
        confirmLabel="Revoke"
        busy={busy}
        onClose={() => setDialog(null)}
        onConfirm={() => act('Certificate revoked', () => client.call('revokeCertificate', { id, reason }), detail.reload)}
      >
        <Select label="Reason" data={REVOKE_REASONS.map((r) => ({ ...r }))} value={reason} onChange={(v) => v && setReason(v as RevokeReason)} data-testid="revoke-reason" />
      </ConfirmModal>
      {d.renewal.possible && (
        <ConfirmModal
          opened={dialog === 'renew'}
          title="Renew this certificate?"
          body={`The satellite makes a new key pair (${d.hasPrivateKey ? keyTypeLabel(d) : 'the template\'s key type'}) and a new certificate for ${cn} under template “${d.renewal.template}”. This certificate stays valid until it expires and is marked Renewed, with a link to the new one. Install the new keystore on your servers: they use the old key until then.`}
          confirmLabel="Make a new key and renew"
          tone="primary"
          busy={false}
          onClose={() => setDialog(null)}
          onConfirm={renew}
        />
      )}
      <ConfirmModal
        opened={dialog === 'retire'}
        title="Retire this certificate?"
        body={`${cn} leaves the certificate list, searches and renewal reminders, as a retired certificate does in the cloud service. It is not revoked: it stays valid until it expires, and it stays here with its encrypted private key. Recover brings it back.`}
        confirmLabel="Retire"
        tone="primary"
        busy={busy}
        onClose={() => setDialog(null)}
        onConfirm={() => act('Certificate retired', () => client.call('retireCertificates', { ids: [id] }), detail.reload)}
      />
      <ConfirmModal
        opened={dialog === 'delete'}
        title="Delete this certificate?"
        body={`${cn} and its encrypted private key are removed from this satellite. Download a keystore first if you still need it. The certificate itself stays valid until it expires unless you revoke it. If the satellite renews and installs it automatically, that stops too; files it installed stay where they are.`}
        confirmLabel="Delete"
        busy={busy}
        onClose={() => setDialog(null)}
        onConfirm={() => act('Certificate deleted', () => client.call('deleteCertificate', { id }), () => navigate({ page: 'certificates' }))}
      />
    </>
  );
}

/** Why this certificate cannot be renewed and installed by the satellite, or undefined when it can. */
function automationUnavailable(d: CertificateDetail): string | undefined {
  if (d.certificate.successorCertificateId) return 'Renewed: any automation now keeps its successor installed (see “Renewed by”).';
  if (!d.hasPrivateKey) return 'The satellite does not hold this certificate\'s private key, so it cannot install it: request the certificate through the satellite.';
  // Imported certificates can still be installed (with renewal off); CA and revoked ones cannot.
  if (d.certificate.isCA || d.certificate.revocationStatus === 'REVOKED') return d.renewal.possible ? undefined : d.renewal.reason;
  return undefined;
}

/** A PEM block to read and copy: public material only (a certificate, a CSR). */
function PemBlock({ label, pem, testId }: { label: string; pem: string; testId: string }) {
  return (
    <Stack gap={4} mb="sm">
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <CopyButton value={pem} timeout={1500}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="default" leftSection={<CopyIcon />} onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Textarea value={pem} readOnly autosize minRows={4} maxRows={12} classNames={{ input: 'ks-mono' }} aria-label={label} data-testid={testId} />
    </Stack>
  );
}
