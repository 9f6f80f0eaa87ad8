import { Alert, Anchor, Card, Group, Loader, Progress, Stack, Text } from '@mantine/core';
import { hrefOf } from '../../app/routes';
import type { CertificateRequestRecord } from '../../../shared';
import { RequestStatusBadge } from '../../components/badges';
import { TechnicalDetails } from '../../components/ErrorAlert';
import { inUserWords } from '../../lib/user-words';

/** What the satellite is doing right now, in words a person expects. */
export function RequestProgress({ phase, keyDescription, caName }: { phase: 'sending' | 'waiting'; keyDescription: string | null; caName: string; record?: CertificateRequestRecord }) {
  const message =
    phase === 'sending'
      ? keyDescription
        ? `Generating ${keyDescription} key… this can take a few seconds`
        : 'Sending the CSR to the satellite…'
      : `Waiting for ${caName} to issue the certificate…`;
  return (
    <Card data-testid="request-progress" aria-live="polite" aria-busy="true">
      <Group gap="sm" wrap="nowrap">
        <Loader size="sm" />
        <Text size="sm" fw={500}>
          {message}
        </Text>
      </Group>
      <Progress mt="sm" value={phase === 'sending' ? 40 : 80} animated striped aria-label={message} />
    </Card>
  );
}

/** A request the CA or the policy refused: the cloud's errorInformation, plainly. */
export function RequestRefused({ record }: { record: CertificateRequestRecord }) {
  const info = record.errorInformation;
  return (
    <Alert color="red" variant="light" role="alert" data-testid="request-refused" title={<Group gap="xs">Request {record.status === 'FAILED' ? 'failed' : 'rejected'} <RequestStatusBadge status={record.status} /></Group>}>
      <Stack gap={4}>
        <Text size="sm">{info ? inUserWords(info.message) : 'The satellite gave no reason.'}</Text>
        <Text size="sm">
          {info?.type === 'CA'
            ? 'Check the CA connector on the Services page, then submit again.'
            : 'Correct the request above to meet the template, then submit again.'}{' '}
          <Anchor href={hrefOf({ page: 'requests' })} size="sm" c="inherit" underline="always" fw={600} data-testid="refused-requests-link">
            See it on the Requests page
          </Anchor>
          {record.status === 'FAILED' ? ', where it can be retried with the same key.' : '.'}
        </Text>
        {info && <TechnicalDetails items={[{ code: info.code, message: `${info.type} error ${info.code}: ${info.message}` }]} />}
      </Stack>
    </Alert>
  );
}

/** A request waiting on an offline CA: the next steps happen on the Requests page. */
export function RequestPendingOffline({ record }: { record: CertificateRequestRecord }) {
  return (
    <Alert color="blue" variant="light" data-testid="request-pending" title={<Group gap="xs">Request waiting for your CA <RequestStatusBadge status={record.status} /></Group>}>
      <Text size="sm">
        The key pair is made and sealed; the template’s CA is offline. On the{' '}
        <Anchor href={hrefOf({ page: 'requests' })} size="sm" c="inherit" underline="always" fw={600} data-testid="pending-requests-link">
          Requests page
        </Anchor>
        , download the CSR, have your CA sign it, then import the certificate it issues.
      </Text>
    </Alert>
  );
}
