import { Badge, Group, Text } from '@mantine/core';
import { createColumnHelper, createSortedRowModel, rowSortingFeature, sortFn_alphanumeric, tableFeatures, useTable, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { hrefOf } from '../../app/routes';
import { useNavigate } from '../../app/useRoute';
import { CertificateStatusBadge, ExpiryBadge } from '../../components/badges';
import { formatDate, formatDateTime } from '../../lib/format';
import type { Automation } from '../../../shared';
import type { InventoryRow } from '../../lib/inventory';

const ROW_HEIGHT = 40;
const STATUS_ORDER = { ACTIVE: 0, EXPIRED: 1, REVOKED: 2, RETIRED: 3 } as const;

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric },
});
const helper = createColumnHelper<typeof features, InventoryRow>();

export interface TableRowContext {
  applicationName: (id: string) => string;
  templateName: (id: string | undefined) => string;
  /** The automation keeping this certificate renewed and installed, if any. */
  automationOf: (certificateId: string) => Automation | undefined;
}

/** "auto-renews 12 Dec" (or "auto-install failed"), with the last result on hover. */
function AutomationBadge({ automation: a }: { automation: Automation }) {
  const failed = a.lastResult?.ok === false;
  const title = [a.nextRenewalAt ? `Renews ${formatDateTime(a.nextRenewalAt)} (${a.nextRenewalReason ?? ''})` : 'Not renewed automatically', a.lastResult ? `Last result: ${a.lastResult.message}` : 'Not installed yet'].join('\n');
  return (
    <Badge size="sm" variant="light" color={failed ? 'red' : 'teal'} title={title} data-testid="automation-badge" data-failed={failed}>
      {failed ? 'auto-install failed' : a.nextRenewalAt ? `auto-renews ${formatDate(a.nextRenewalAt)}` : 'auto-installed'}
    </Badge>
  );
}

function makeColumns(ctx: TableRowContext) {
  return helper.columns([
    helper.accessor((r) => r.commonName.toLowerCase(), {
      id: 'cn',
      header: 'Common name',
      sortFn: 'alphanumeric',
      cell: (info) => (
        <a className="ks-cn-link" href={hrefOf({ page: 'certificate', id: info.row.original.certificate.id })} onClick={(e) => e.stopPropagation()} tabIndex={-1}>
          {info.row.original.commonName || <em>(no CN)</em>}
          {info.row.original.certificate.isCA && (
            <Badge ml={6} size="xs" variant="light" color="grape" title="A CA certificate: it can sign other certificates" data-testid="ca-badge">
              CA
            </Badge>
          )}
          {info.row.original.certificate.successorCertificateId && (
            <Badge ml={6} size="xs" variant="light" color="gray" title="Renewed: a newer certificate replaces this one" data-testid="renewed-badge">
              Renewed
            </Badge>
          )}
        </a>
      ),
    }),
    helper.accessor((r) => r.sans.join(', '), {
      id: 'sans',
      header: 'SANs',
      enableSorting: false,
      cell: (info) => (
        <Text size="sm" c="dimmed" truncate title={info.getValue()}>
          {info.getValue() || '—'}
        </Text>
      ),
    }),
    helper.accessor((r) => STATUS_ORDER[r.status], {
      id: 'status',
      header: 'Status',
      cell: (info) => <CertificateStatusBadge status={info.row.original.status} />,
    }),
    helper.accessor((r) => `${ctx.templateName(r.certificate.certificateIssuingTemplateId)} ${r.certificate.applicationIds.map(ctx.applicationName).join(', ')}`.toLowerCase(), {
      id: 'template',
      header: 'Template / application',
      sortFn: 'alphanumeric',
      cell: (info) => {
        const c = info.row.original.certificate;
        const apps = c.applicationIds.map(ctx.applicationName).join(', ') || 'no application';
        return (
          // The whole text on hover when the column is too narrow for it.
          <Text size="sm" truncate title={`${ctx.templateName(c.certificateIssuingTemplateId)} · ${apps}`}>
            {ctx.templateName(c.certificateIssuingTemplateId)}
            <Text span c="dimmed" size="sm">
              {' '}
              · {apps}
            </Text>
          </Text>
        );
      },
    }),
    helper.accessor((r) => r.validityEndMs, {
      id: 'expiry',
      header: 'Expires',
      cell: (info) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {formatDate(info.row.original.certificate.validityEnd)}
          </Text>
          {/* Renewed and installed by the satellite: when (or that it failed) says more than how soon it expires. */}
          {ctx.automationOf(info.row.original.certificate.id) ? <AutomationBadge automation={ctx.automationOf(info.row.original.certificate.id)!} /> : <ExpiryBadge validityEnd={info.row.original.certificate.validityEnd} />}
        </Group>
      ),
    }),
  ]);
}

/** The inventory as a virtualized table: only the rows in view are in the DOM. */
export function CertificateTable({ rows, context, height }: { rows: InventoryRow[]; context: TableRowContext; height: number | string }) {
  const navigate = useNavigate();
  const columns = useMemo(() => makeColumns(context), [context]);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'expiry', desc: false }]);
  const table = useTable({
    features,
    columns,
    data: rows,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (r) => r.certificate.id,
  });
  const model = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: model.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => model[i]!.id,
    overscan: 8,
  });

  const open = (id: string) => navigate({ page: 'certificate', id });
  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open(id);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = Math.min(model.length - 1, Math.max(0, index + (e.key === 'ArrowDown' ? 1 : -1)));
      virtualizer.scrollToIndex(next);
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${next}"]`)?.focus());
    }
  };

  return (
    <div ref={scrollRef} style={{ height, overflow: 'auto', position: 'relative' }} data-testid="certificate-table-scroll">
      <table className="ks-table" aria-label="Certificates" aria-rowcount={model.length + 1} data-testid="certificate-table">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const canSort = header.column.getCanSort();
                return (
                  <th key={header.id} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : canSort ? 'none' : undefined}>
                    {canSort ? (
                      <button type="button" className="ks-sort" onClick={header.column.getToggleSortingHandler()} data-testid={`sort-${header.column.id}`}>
                        <table.FlexRender header={header} />
                        <span aria-hidden="true">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}</span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = model[item.index]!;
            return (
              <tr
                key={row.id}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                tabIndex={0}
                data-testid="certificate-row"
                data-cn={row.original.commonName}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => open(row.original.certificate.id)}
                onKeyDown={(e) => onRowKey(e, item.index, row.original.certificate.id)}
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
