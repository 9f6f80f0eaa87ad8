import { ActionIcon, Badge, Button, Card, CopyButton, Group, PasswordInput, Table, Text, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { ApplicationServerType } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAction } from '../../hooks/useAction';
import { CopyIcon } from '../../components/icons';
import { ConfirmModal } from '../detail/ConfirmModal';

export function ServerTypesCard({ serverTypes }: { serverTypes: ApplicationServerType[] }) {
  return (
    <Card data-testid="server-types-card">
      <Title order={2} size="h5" mb="xs">
        Server types
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        A request's server type sets the keystore format its downloads start with.
      </Text>
      <Table verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Platform</Table.Th>
            <Table.Th>Keystore</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {serverTypes.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>{s.platformName}</Table.Td>
              <Table.Td>
                <Badge variant="outline" color="gray">
                  {s.keystoreType === 'PKCS12' ? 'PKCS#12' : s.keystoreType}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

export function ApiKeyCard() {
  const client = useClient();
  const [apiKey, setApiKey] = useState<string>();
  const { busy, error, runAction } = useAction();
  const [confirm, setConfirm] = useState(false);

  const run = async (method: 'getApiKey' | 'rotateApiKey') => {
    await runAction(async () => {
      setApiKey((await client.call(method, {})).apiKey);
    });
    setConfirm(false);
  };

  return (
    <Card data-testid="api-key-card">
      <Title order={2} size="h5" mb={4}>
        API key
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        Scripts and tools (vcert, curl) send it as the tppl-api-key header to the local REST API.
      </Text>
      {apiKey ? (
        <Group gap={6} wrap="nowrap" align="flex-end">
          <PasswordInput label="Current API key" value={apiKey} readOnly style={{ flex: 1 }} classNames={{ input: 'ks-mono' }} data-testid="api-key-value" />
          <CopyButton value={apiKey} timeout={1500}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy API key'}>
                <ActionIcon variant="default" size="lg" onClick={copy} aria-label="Copy API key">
                  <CopyIcon />
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
      ) : (
        <Button variant="default" onClick={() => run('getApiKey')} loading={busy} data-testid="show-api-key">
          Show API key
        </Button>
      )}
      <Button mt="sm" color="red" variant="light" onClick={() => setConfirm(true)} data-testid="rotate-api-key">
        Rotate API key…
      </Button>
      {error && <ErrorAlert title="API key unavailable" error={error} />}
      <ConfirmModal opened={confirm} title="Rotate the API key?" body="Every script using the current key stops working until it is given the new one. A headless satellite started with --api-key-file rewrites that file with the new key." confirmLabel="Rotate" busy={busy} onClose={() => setConfirm(false)} onConfirm={() => run('rotateApiKey')} />
    </Card>
  );
}
