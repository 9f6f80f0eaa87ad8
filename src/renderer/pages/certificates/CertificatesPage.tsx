import { Alert, Anchor, Button, Card, EmptyState, Group, MultiSelect, Progress, Select, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { CertificateRecord } from '../../../shared';
import { hrefOf } from '../../app/routes';
import { useKeyGenerationDown } from '../../app/ServicesStatusContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CertificateIcon, PlusIcon, RefreshIcon, SearchIcon, UploadIcon } from '../../components/icons';
import { PageHeader } from '../../components/PageHeader';
import { useRpc } from '../../hooks/useRpc';
import { DISPLAY_STATUSES, EMPTY_FILTER, filterInventory, toInventoryRow, type DisplayStatus, type InventoryFilter } from '../../lib/inventory';
import { inUserWords } from '../../lib/user-words';
import { STATUS_LABEL } from '../../components/badges';
import { CertificateTable, type TableRowContext } from './CertificateTable';
import { ImportPlaybookModal } from './ImportPlaybookModal';
import { ImportCertificateModal } from './ImportCertificateModal';
import { RenewDueModal } from './RenewDueModal';
import { useInventory } from './useInventory';

/** The expiry filter's choice for "the renewal window has opened" (the satellite's rule, shared with the certificate page). */
const RENEWAL_DUE = 'renewal-due';
const EXPIRING_CHOICES = [
  { value: '', label: 'Any expiry' },
  { value: '7', label: 'Within 7 days' },
  { value: '14', label: 'Within 14 days' },
  { value: '30', label: 'Within 30 days' },
  { value: '60', label: 'Within 60 days' },
  { value: '90', label: 'Within 90 days' },
  { value: RENEWAL_DUE, label: 'Due for renewal' },
];

export function CertificatesPage({ renewalDue: openDue = false }: { renewalDue?: boolean }) {
  const inventory = useInventory();
  const keyGenerationDown = useKeyGenerationDown();
  const applications = useRpc('listApplications', {});
  const templates = useRpc('listIssuingTemplates', {});
  const automations = useRpc('listAutomations', {}, { refreshMs: 30_000 });
  const failingAutomations = (automations.data ?? []).filter((a) => a.lastResult?.ok === false);
  const [filter, setFilter] = useState<InventoryFilter>(openDue ? { ...EMPTY_FILTER, renewalDue: true } : EMPTY_FILTER);
  // Followed again when the link is opened while this page is showing (the desktop reminder).
  useEffect(() => {
    if (openDue) setFilter({ ...EMPTY_FILTER, renewalDue: true });
  }, [openDue]);
  const [importing, setImporting] = useState(false);
  const [importingPlaybook, setImportingPlaybook] = useState(false);
  // One clock per load, so badges and the "expiring" filter agree with each other.
  const { rows, now } = useMemo(() => {
    const at = Date.now();
    return { rows: inventory.certificates.map((c) => toInventoryRow(c, at)), now: at };
  }, [inventory.certificates]);
  const visible = useMemo(() => filterInventory(rows, filter, now), [rows, filter, now]);
  const dueRows = useMemo(() => filterInventory(rows, { ...EMPTY_FILTER, renewalDue: true }, now), [rows, now]);
  const renewalDue = dueRows.length;
  const retiredHidden = filter.statuses.length === 0 ? rows.filter((r) => r.status === 'RETIRED').length : 0;
  // The certificates due when the user asked: the list does not move under a running batch.
  const [renewingDue, setRenewingDue] = useState<CertificateRecord[] | null>(null);

  const context = useMemo<TableRowContext>(() => {
    const apps = new Map((applications.data ?? []).map((a) => [a.id, a.name]));
    const tpls = new Map((templates.data ?? []).map((t) => [t.id, t.name]));
    const automated = new Map((automations.data ?? []).map((a) => [a.certificateId, a]));
    return {
      applicationName: (id) => apps.get(id) ?? 'unknown application',
      templateName: (id) => (id ? (tpls.get(id) ?? 'unknown template') : 'imported'),
      automationOf: (id) => automated.get(id),
    };
  }, [applications.data, templates.data, automations.data]);

  const filtered = filter !== EMPTY_FILTER && (filter.query !== '' || filter.statuses.length > 0 || filter.applicationId !== null || filter.expiringWithinDays !== null || filter.renewalDue || filter.kind !== null);
  const firstLoad = inventory.loading && inventory.certificates.length === 0;
  const empty = !inventory.loading && !inventory.error && inventory.certificates.length === 0;

  return (
    <>
      <PageHeader
        title="Certificates"
        description={
          inventory.total === undefined
            ? 'Every certificate this satellite issued or imported.'
            : `${inventory.certificates.length.toLocaleString()} certificate${inventory.certificates.length === 1 ? '' : 's'} in the inventory`
        }
        actions={
          <>
            <Button variant="default" leftSection={<RefreshIcon />} onClick={inventory.reload} loading={inventory.loading} data-testid="refresh-certificates">
              Refresh
            </Button>
            <Button variant="default" leftSection={<UploadIcon />} onClick={() => setImporting(true)} data-testid="import-certificate-button">
              Import…
            </Button>
            <Button variant="default" leftSection={<UploadIcon />} onClick={() => setImportingPlaybook(true)} data-testid="import-playbook-button">
              Import playbook…
            </Button>
            <Button component="a" href={hrefOf({ page: 'request' })} leftSection={<PlusIcon />} data-testid="new-request-button">
              New request
            </Button>
          </>
        }
      />

      {inventory.error && <ErrorAlert title="The inventory could not be loaded" error={inventory.error} onRetry={inventory.reload} />}

      {failingAutomations.length > 0 && (
        <Alert color="red" variant="light" mb="md" title={failingAutomations.length === 1 ? 'An automatic installation failed' : `${failingAutomations.length} automatic installations failed`} data-testid="automation-failing-banner">
          <Text size="sm">
            {failingAutomations.map((a, n) => (
              <span key={a.id}>
                {n > 0 && ', '}
                <Anchor href={hrefOf({ page: 'certificate', id: a.certificateId })} size="sm" underline="always" style={{ color: 'inherit', fontWeight: 600 }}>
                  {a.name}
                </Anchor>
              </span>
            ))}
            : each certificate's page says what failed and why. The satellite tries again by itself; fix the cause, then Install now there.
          </Text>
        </Alert>
      )}

      {renewalDue > 0 && !filter.renewalDue && (
        <Alert color="yellow" variant="light" mb="md" data-testid="renewal-due-banner">
          <Group justify="space-between" gap="sm">
            <Text size="sm">
              {renewalDue === 1 ? '1 certificate is past two thirds of its lifetime' : `${renewalDue.toLocaleString()} certificates are past two thirds of their lifetime`}: time to renew.
            </Text>
            <Group gap="xs">
              <Button size="compact-sm" variant="light" color="yellow" onClick={() => setFilter({ ...EMPTY_FILTER, renewalDue: true })} data-testid="show-renewal-due">
                Show them
              </Button>
              <Button size="compact-sm" variant="light" color="yellow" onClick={() => setRenewingDue(dueRows.map((r) => r.certificate))} data-testid="renew-due">
                Renew them…
              </Button>
            </Group>
          </Group>
        </Alert>
      )}

      {firstLoad && (
        <Card>
          <Text size="sm" mb="xs">
            Loading certificates…
          </Text>
          <Progress value={100} animated striped aria-label="Loading certificates" />
        </Card>
      )}

      {empty && (
        <Card py="xl">
          {keyGenerationDown !== undefined ? (
            <EmptyState
              icon={<CertificateIcon />}
              withIndicatorBackground
              title="No certificates yet, and none can be made now"
              description={`The key generation service is inactive${keyGenerationDown ? `: ${inUserWords(keyGenerationDown)}` : ''}. Services says what to do; certificates you import without a key can still be listed.`}
            >
              <EmptyState.Actions>
                <Button component="a" href={hrefOf({ page: 'services' })} data-testid="empty-services-button">
                  Open Services
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          ) : (
            <EmptyState
              icon={<CertificateIcon />}
              withIndicatorBackground
              title="No certificates yet"
              description="Request your first certificate: the satellite makes the key pair here, keeps the private key encrypted, and sends only the CSR to the CA."
            >
              <EmptyState.Actions>
                <Button component="a" href={hrefOf({ page: 'request' })} leftSection={<PlusIcon />} data-testid="empty-request-button">
                  Request your first certificate
                </Button>
                <Button variant="default" leftSection={<UploadIcon />} onClick={() => setImporting(true)} data-testid="empty-import-button">
                  Import one you have
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          )}
        </Card>
      )}

      {!firstLoad && !empty && !inventory.error && (
        <Card p={0}>
          <Group p="sm" gap="sm" wrap="wrap" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
            <TextInput
              aria-label="Search certificates"
              placeholder="Search CN, SAN, fingerprint or serial"
              leftSection={<SearchIcon />}
              value={filter.query}
              onChange={(e) => setFilter({ ...filter, query: e.currentTarget.value })}
              style={{ flex: '1 1 280px' }}
              data-testid="certificate-search"
              autoFocus
            />
            <MultiSelect
              aria-label="Status"
              placeholder={filter.statuses.length ? undefined : 'Any but retired'}
              data={DISPLAY_STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
              value={filter.statuses}
              onChange={(v) => setFilter({ ...filter, statuses: v as DisplayStatus[] })}
              clearable
              w={220}
              data-testid="filter-status"
            />
            <Select
              aria-label="Application"
              placeholder="Any application"
              data={(applications.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
              value={filter.applicationId}
              onChange={(v) => setFilter({ ...filter, applicationId: v })}
              clearable
              allowDeselect
              w={200}
              data-testid="filter-application"
            />
            <Select
              aria-label="Kind"
              placeholder="Any kind"
              data={[
                { value: 'end-entity', label: 'Server and client' },
                { value: 'ca', label: 'CA certificates' },
              ]}
              value={filter.kind}
              onChange={(v) => setFilter({ ...filter, kind: (v as InventoryFilter['kind']) ?? null })}
              clearable
              w={170}
              data-testid="filter-kind"
            />
            <Select
              aria-label="Expiring"
              data={EXPIRING_CHOICES}
              value={filter.renewalDue ? RENEWAL_DUE : filter.expiringWithinDays === null ? '' : String(filter.expiringWithinDays)}
              onChange={(v) => setFilter({ ...filter, renewalDue: v === RENEWAL_DUE, expiringWithinDays: v && v !== RENEWAL_DUE ? Number(v) : null })}
              w={170}
              data-testid="filter-expiring"
            />
          </Group>
          <Group px="sm" py={6} justify="space-between">
            <Text size="xs" c="dimmed" aria-live="polite" data-testid="certificate-count">
              {filtered ? `${visible.length.toLocaleString()} of ${rows.length.toLocaleString()} match` : `${visible.length.toLocaleString()} certificate${visible.length === 1 ? '' : 's'}`}
              {inventory.loading && inventory.total !== undefined ? ` · loading ${inventory.certificates.length.toLocaleString()} of ${inventory.total.toLocaleString()}…` : ''}
              {retiredHidden > 0 && (
                <>
                  {` · ${retiredHidden.toLocaleString()} retired not shown `}
                  <Anchor component="button" type="button" size="xs" onClick={() => setFilter({ ...filter, statuses: ['RETIRED'] })} data-testid="show-retired">
                    Show retired
                  </Anchor>
                </>
              )}
            </Text>
            {filtered && (
              <Button size="compact-xs" variant="subtle" onClick={() => setFilter(EMPTY_FILTER)}>
                Clear filters
              </Button>
            )}
          </Group>
          {visible.length === 0 ? (
            <Text p="xl" ta="center" c="dimmed" size="sm" data-testid="no-matches">
              No certificate matches these filters. Check the spelling, or clear the filters to see all {rows.length.toLocaleString()}.
            </Text>
          ) : (
            <CertificateTable rows={visible} context={context} height="calc(100vh - 260px)" />
          )}
        </Card>
      )}
      {importing && <ImportCertificateModal applications={applications.data ?? []} onClose={() => setImporting(false)} />}
      {importingPlaybook && (
        <ImportPlaybookModal
          opened
          onClose={() => setImportingPlaybook(false)}
          onImported={() => {
            inventory.reload();
            automations.reload();
          }}
        />
      )}
      {renewingDue && <RenewDueModal certificates={renewingDue} onClose={() => setRenewingDue(null)} onDone={inventory.reload} />}
    </>
  );
}
