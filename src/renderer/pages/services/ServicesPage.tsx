import { Alert, Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { CA_LABELS } from '../../../shared';
import { useServicesStatus } from '../../app/ServicesStatusContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RefreshIcon } from '../../components/icons';
import { PageHeader } from '../../components/PageHeader';
import { FactTable } from '../detail/Fields';
import { formatDateTime } from '../../lib/format';
import { BuiltinCaCard } from './BuiltinCaCard';
import { InventoryCard } from './InventoryCard';
import { AutomationStatusCard } from './AutomationStatusCard';

function StateBadge({ ok, yes, no }: { ok: boolean; yes: string; no: string }) {
  return (
    <Badge color={ok ? 'green' : 'red'} variant="light" size="lg" data-state={ok ? 'active' : 'inactive'}>
      {ok ? yes : no}
    </Badge>
  );
}


/** An offline CA has no health to check: it is reachable only through the user, so it reads "Offline", not "Healthy". */
function connectorState(ca: { certificateAuthority: string; healthy: boolean }): { word: string; color: string; state: string } {
  if (ca.certificateAuthority === 'MANUAL') return { word: 'Offline', color: 'blue', state: 'offline' };
  return ca.healthy ? { word: 'Healthy', color: 'green', state: 'healthy' } : { word: 'Unhealthy', color: 'red', state: 'unhealthy' };
}

export function ServicesPage() {
  const { data, error, loading, reload, recheck } = useServicesStatus();
  const [rechecking, setRechecking] = useState(false);
  const checkAgain = () => {
    setRechecking(true);
    void recheck().finally(() => setRechecking(false));
  };
  // The header's poll may be up to 30 s old: a template saved since then must show here at once.
  useEffect(() => reload(), [reload]);
  return (
    <>
      <PageHeader
        title="Services"
        description={data ? `${data.satellite.name} · version ${data.satellite.version}` : 'What this satellite runs, and whether it is healthy.'}
        actions={
          <Button variant="default" leftSection={<RefreshIcon />} onClick={checkAgain} loading={loading || rechecking} data-testid="refresh-services">
            Check again
          </Button>
        }
      />
      {error && <ErrorAlert title="The satellite did not answer" error={error} onRetry={reload} />}
      {!data && !error && (
        <Group gap="sm">
          <Loader size="sm" /> <Text size="sm">Checking services…</Text>
        </Group>
      )}
      {data && (
        <Stack gap="md">
          {/* Full or damaged, it stops every request: first, where the person looks. */}
          {data.inventory.state !== 'ok' && <InventoryCard inventory={data.inventory} />}
          {data.automation.failing.length > 0 && <AutomationStatusCard automation={data.automation} />}
          <Card data-testid="key-generation-service">
            <Group justify="space-between" mb="xs">
              <div>
                <Title order={2} size="h5">
                  Key generation service
                </Title>
                <Text size="xs" c="dimmed">
                  Automated Secure Keypair: makes key pairs and CSRs here, encrypts private keys under the DEK
                </Text>
              </div>
              <StateBadge ok={data.keyGeneration.active} yes="Active" no="Inactive" />
            </Group>
            <Text size="sm" mb={data.keyGeneration.nextStep ? 'xs' : 'sm'} data-testid="key-generation-reason">
              {data.keyGeneration.reason}
            </Text>
            {data.keyGeneration.nextStep && (
              <Alert color={data.keyGeneration.active ? 'blue' : 'orange'} variant="light" mb="sm" title="Next step" data-testid="key-generation-next-step">
                {data.keyGeneration.nextStep}
              </Alert>
            )}
            <FactTable
              rows={[
                ['Keychain', data.keyGeneration.dekStoreBackend],
                ['DEK fingerprint', <Text key="h" className="ks-mono">{data.keyGeneration.dekHash ?? '—'}</Text>],
                ['DEK created', formatDateTime(data.keyGeneration.dekCreationDate)],
                ['Last backup', data.keyGeneration.lastBackupDate ? formatDateTime(data.keyGeneration.lastBackupDate) : 'Never: back up the DEK in Settings, or keys are lost with this machine'],
              ]}
            />
          </Card>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <Card data-testid="ca-connectors">
              <Title order={2} size="h5" mb="xs">
                CA connectors
              </Title>
              {data.caConnectors.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No issuing template yet. Create one in Settings → Issuing templates to choose a CA.
                </Text>
              ) : (
                <Table verticalSpacing={6} fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Template</Table.Th>
                      <Table.Th>CA</Table.Th>
                      <Table.Th>Health</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  {/* Top-aligned: a health message can run several lines. */}
                  <Table.Tbody style={{ verticalAlign: 'top' }}>
                    {data.caConnectors.map((ca) => {
                      const health = connectorState(ca);
                      return (
                        <Table.Tr key={ca.certificateIssuingTemplateId} data-testid="ca-connector" data-ca={ca.certificateAuthority} data-health={health.state}>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>{ca.templateName}</Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>{CA_LABELS[ca.certificateAuthority as keyof typeof CA_LABELS]?.short ?? ca.certificateAuthority}</Table.Td>
                          <Table.Td>
                            <Group gap={6} wrap="nowrap">
                              <span className="ks-dot" style={{ background: `var(--mantine-color-${health.color}-6)` }} aria-hidden="true" />
                              <Text size="sm">{health.word}</Text>
                            </Group>
                            <Text size="xs" c="dimmed">
                              {ca.message} · {formatDateTime(ca.checkedAt)}
                            </Text>
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              )}
            </Card>
            <Card data-testid="local-api">
              <Group justify="space-between" mb="xs">
                <Title order={2} size="h5">
                  Local API
                </Title>
                <StateBadge ok={data.api.listening} yes="Listening" no="Off" />
              </Group>
              <Text size="sm">{data.api.message}</Text>
              {data.api.url && (
                <Text size="sm" className="ks-mono" mt={4}>
                  {data.api.url}
                </Text>
              )}
            </Card>
          </SimpleGrid>
          {data.automation.failing.length === 0 && <AutomationStatusCard automation={data.automation} />}
          <BuiltinCaCard />
          {data.inventory.state === 'ok' && <InventoryCard inventory={data.inventory} />}
        </Stack>
      )}
    </>
  );
}
