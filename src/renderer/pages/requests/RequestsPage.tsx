import { Anchor, Button, Card, Chip, EmptyState, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import type { CertificateRequestRecord, IssuingTemplate } from '../../../shared';
import { hrefOf } from '../../app/routes';
import { saveWithAnchor } from '../../client/http-client';
import { useClient } from '../../client/ClientContext';
import { toSatelliteError } from '../../client/satellite-error';
import { RequestStatusBadge } from '../../components/badges';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DownloadIcon, InboxIcon, PlusIcon, RefreshIcon, UploadIcon } from '../../components/icons';
import { PageHeader } from '../../components/PageHeader';
import { useRpc } from '../../hooks/useRpc';
import { formatDateTime } from '../../lib/format';
import { inUserWords } from '../../lib/user-words';
import { csrFileName, REQUEST_FILTERS, requestActions, requestCommonName, statusesOf, type RequestFilter } from '../../lib/request-list';
import { ImportIssuedModal } from './ImportIssuedModal';

const EMPTY_TEXT: Record<RequestFilter, string> = {
  all: 'No request yet. A request makes a key pair here and sends the CSR to the CA its template names.',
  'in-progress': 'Nothing is in progress: every request has been issued, failed or been rejected.',
  failed: 'No request has failed.',
  rejected: 'No request has been rejected by a template’s policy.',
  issued: 'No request has been issued yet.',
};

function RowActions({ record, template, onRetried, onImport }: { record: CertificateRequestRecord; template: IssuingTemplate | undefined; onRetried: () => void; onImport: () => void }) {
  const client = useClient();
  const [retrying, setRetrying] = useState(false);
  const name = requestCommonName(record);
  const retry = async () => {
    setRetrying(true);
    try {
      const next = await client.call('retryCertificateRequest', { id: record.id });
      notifications.show({ color: next.status === 'FAILED' ? 'red' : 'blue', message: `Retry of ${name}: ${next.status.replaceAll('_', ' ')}${next.errorInformation && next.status === 'FAILED' ? ` (${inUserWords(next.errorInformation.message)})` : ''}` });
    } catch (e) {
      notifications.show({ color: 'red', title: `Retry of ${name} refused`, message: toSatelliteError(e).message });
    } finally {
      setRetrying(false);
      onRetried();
    }
  };
  return (
    <Group gap={6} wrap="nowrap" justify="flex-end">
      {requestActions(record, template?.certificateAuthority).map((action) => {
        switch (action) {
          case 'retry':
            return (
              <Button key={action} size="compact-sm" variant="default" leftSection={<RefreshIcon />} onClick={retry} loading={retrying} aria-label={`Retry request for ${name}`} data-testid="retry-request">
                Retry
              </Button>
            );
          case 'download-csr':
            return (
              <Button
                key={action}
                size="compact-sm"
                variant="default"
                leftSection={<DownloadIcon />}
                onClick={() => saveWithAnchor(new Blob([record.certificateSigningRequest ?? ''], { type: 'application/pkcs10' }), csrFileName(record))}
                aria-label={`Download CSR for ${name}`}
                data-testid="download-csr"
              >
                Download CSR
              </Button>
            );
          case 'import-certificate':
            return (
              <Button key={action} size="compact-sm" leftSection={<UploadIcon />} onClick={onImport} aria-label={`Import issued certificate for ${name}`} data-testid="import-issued">
                Import issued certificate
              </Button>
            );
          case 'open-certificate':
            return (
              <Anchor key={action} size="sm" href={hrefOf({ page: 'certificate', id: record.certificateIds[0]! })} aria-label={`Open the certificate of ${name}`} data-testid="open-certificate">
                Open certificate
              </Anchor>
            );
        }
      })}
    </Group>
  );
}

export function RequestsPage() {
  const [filter, setFilter] = useState<RequestFilter>('all');
  const statuses = statusesOf(filter);
  // Pending requests move on their own (the CA answers, a retry runs): keep the list current.
  const requests = useRpc('listCertificateRequests', statuses ? { statuses, limit: 500 } : { limit: 500 }, { refreshMs: 10_000 });
  const templates = useRpc('listIssuingTemplates', {});
  const [importing, setImporting] = useState<CertificateRequestRecord | null>(null);
  const templateOf = useMemo(() => {
    const byId = new Map((templates.data ?? []).map((t) => [t.id, t]));
    return (id: string) => byId.get(id);
  }, [templates.data]);
  const rows = requests.data ?? [];
  const loaded = requests.data !== undefined;

  return (
    <>
      <PageHeader
        title="Requests"
        description="Every certificate request, newest first: what is waiting, what failed and why."
        actions={
          <>
            <Button variant="default" leftSection={<RefreshIcon />} onClick={requests.reload} loading={requests.loading} data-testid="refresh-requests">
              Refresh
            </Button>
            <Button component="a" href={hrefOf({ page: 'request' })} leftSection={<PlusIcon />}>
              New request
            </Button>
          </>
        }
      />
      {requests.error && <ErrorAlert title="The requests could not be loaded" error={requests.error} onRetry={requests.reload} />}
      <Card p={0}>
        <Group p="sm" gap="xs" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }} role="group" aria-label="Filter by status">
          <Chip.Group multiple={false} value={filter} onChange={(v) => setFilter(v as RequestFilter)}>
            {REQUEST_FILTERS.map((f) => (
              <Chip key={f.value} value={f.value} size="sm" variant="outline" wrapperProps={{ 'data-testid': `filter-${f.value}` }}>
                {f.label}
              </Chip>
            ))}
          </Chip.Group>
        </Group>
        {loaded && rows.length === 0 ? (
          <EmptyState py="xl" icon={<InboxIcon />} withIndicatorBackground title={filter === 'all' ? 'No requests yet' : 'Nothing here'} description={EMPTY_TEXT[filter]} data-testid="requests-empty">
            <EmptyState.Actions>
              {filter === 'all' ? (
                <Button component="a" href={hrefOf({ page: 'request' })} leftSection={<PlusIcon />}>
                  Make a request
                </Button>
              ) : (
                <Button variant="default" onClick={() => setFilter('all')}>
                  Show all requests
                </Button>
              )}
            </EmptyState.Actions>
          </EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing={8} fz="sm" highlightOnHover aria-label="Certificate requests">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Common name</Table.Th>
                  <Table.Th>Template</Table.Th>
                  <Table.Th miw={120}>Status</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ verticalAlign: 'top' }}>
                {rows.map((r) => {
                  const template = templateOf(r.certificateIssuingTemplateId);
                  const refused = (r.status === 'FAILED' || r.status === 'REJECTED' || r.status === 'REJECTED_APPROVAL') && r.errorInformation;
                  return (
                    <Table.Tr key={r.id} data-testid="request-row" data-status={r.status} data-cn={requestCommonName(r)}>
                      <Table.Td>
                        <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
                          {requestCommonName(r)}
                        </Text>
                        {refused && (
                          <>
                            <Text size="xs" c="var(--mantine-color-error)" className="ks-request-error" data-testid="request-error" mt={2}>
                              {inUserWords(r.errorInformation!.message)}
                            </Text>
                            {/* The API's own words, for scripts and support: under Details, as everywhere. */}
                            <details className="ks-details">
                              <summary>Details</summary>
                              <Text size="xs" c="dimmed" className="ks-mono" style={{ wordBreak: 'break-word' }}>
                                {r.errorInformation!.message}
                              </Text>
                            </details>
                          </>
                        )}
                        {r.status === 'FAILED' && r.nextAutoRetryAt && (
                          <Text size="xs" c="dimmed" mt={2} data-testid="next-auto-retry">
                            The satellite tries again by itself at {formatDateTime(r.nextAutoRetryAt)}; Retry tries now.
                          </Text>
                        )}
                        {r.status === 'PENDING' && template?.certificateAuthority === 'MANUAL' && (
                          <Text size="xs" c="dimmed" mt={2}>
                            Waiting for you: take the CSR to your CA, then import the certificate it issues.
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{template?.name ?? 'deleted template'}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <RequestStatusBadge status={r.status} />
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.creationDate)}</Table.Td>
                      <Table.Td>
                        <RowActions record={r} template={template} onRetried={requests.reload} onImport={() => setImporting(r)} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {importing && <ImportIssuedModal request={importing} onClose={() => setImporting(null)} />}
    </>
  );
}
