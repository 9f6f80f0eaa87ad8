import { ActionIcon, CopyButton, Group, Table, Text, Tooltip } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';
import { CopyIcon } from '../../components/icons';

/** A two-column list of facts; th/td so screen readers pair each value with its name. */
export function FactTable({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Table withRowBorders={false} verticalSpacing={4} horizontalSpacing={0} layout="fixed">
      <Table.Tbody>
        {rows.map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Th w={150} fw={500} c="dimmed" style={{ verticalAlign: 'top', fontSize: 'var(--mantine-font-size-sm)' }}>
              {name}
            </Table.Th>
            <Table.Td style={{ fontSize: 'var(--mantine-font-size-sm)' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function CopyableMono({ value, label }: { value: string; label: string }) {
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <Text className="ks-mono ks-mono-bytes" style={{ flex: 1 }}>
        {value.split(':').map((part, i) => (
          <Fragment key={i}>
            {i > 0 && ':'}
            {i > 0 && <wbr />}
            {part}
          </Fragment>
        ))}
      </Text>
      <CopyButton value={value} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : `Copy ${label}`}>
            <ActionIcon variant="subtle" color="gray" size="sm" onClick={copy} aria-label={`Copy ${label}`}>
              <CopyIcon />
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
