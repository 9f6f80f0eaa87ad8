import { Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { ChainOrder } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAction } from '../../hooks/useAction';

const CHAIN_ORDER_LABEL: Record<ChainOrder, string> = {
  EE_FIRST: 'Certificate first, then the chain (servers: Nginx, Apache)',
  ROOT_FIRST: 'Root first, certificate last',
  EE_ONLY: 'The certificate only, no chain',
};

export function DownloadCertificateModal({ id, opened, onClose }: { id: string; opened: boolean; onClose: () => void }) {
  const client = useClient();
  const [format, setFormat] = useState<'PEM' | 'DER'>('PEM');
  const [chainOrder, setChainOrder] = useState<ChainOrder>('EE_FIRST');
  const { busy, error, runAction } = useAction();

  const download = () =>
    runAction(async () => {
      const summary = await client.downloadCertificate({ id, format, chainOrder: format === 'DER' ? 'EE_ONLY' : chainOrder });
      if (summary) {
        notifications.show({ color: 'green', title: 'Certificate saved', message: summary.fileName });
        onClose();
      }
    });

  return (
    <Modal opened={opened} onClose={onClose} title="Download certificate" centered>
      <Stack>
        <Radio.Group label="Format" value={format} onChange={(v) => setFormat(v as 'PEM' | 'DER')}>
          <Stack gap={6} mt={6}>
            <Radio value="PEM" label="PEM (text, can hold the chain)" />
            <Radio value="DER" label="DER (binary, the certificate alone)" />
          </Stack>
        </Radio.Group>
        {/* Radios, not a select: every order's whole description stays readable (a select cut it off). */}
        <Radio.Group
          label="Chain order"
          description={format === 'DER' ? 'DER holds one certificate: the certificate only' : undefined}
          value={format === 'DER' ? 'EE_ONLY' : chainOrder}
          onChange={(v) => setChainOrder(v as ChainOrder)}
          data-testid="download-chain-order"
        >
          <Stack gap={6} mt={6}>
            {Object.entries(CHAIN_ORDER_LABEL).map(([value, label]) => (
              <Radio key={value} value={value} label={label} disabled={format === 'DER' && value !== 'EE_ONLY'} />
            ))}
          </Stack>
        </Radio.Group>
        {error && <ErrorAlert title="Download failed" error={error} />}
        <Text size="xs" c="dimmed">
          A certificate is public: it holds no private key.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={download} loading={busy} data-testid="confirm-download-certificate">
            Download
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
