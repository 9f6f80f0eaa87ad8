import { Button, Card, Group, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { PlusIcon } from '../../components/icons';

export interface SettingsColumn<T> {
  header: string;
  cell(item: T): ReactNode;
}

interface SettingsTableCardProps<T extends { id: string; name: string }> {
  /** The card's title, plural ("Applications"); `noun` names one item in buttons ("application"). */
  title: string;
  noun: string;
  testId: string;
  newTestId: string;
  /** What to do first when there is nothing yet. */
  emptyText: string;
  items: T[];
  columns: SettingsColumn<T>[];
  onNew(): void;
  onEdit(item: T): void;
  rowProps?(item: T): Record<string, string>;
  /** The editor dialog, when one is open. */
  children?: ReactNode;
}

/** A Settings card listing named items in a table, with "New …" and an Edit button per row. */
export function SettingsTableCard<T extends { id: string; name: string }>({ title, noun, testId, newTestId, emptyText, items, columns, onNew, onEdit, rowProps, children }: SettingsTableCardProps<T>) {
  return (
    <Card data-testid={testId}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          {title}
        </Title>
        <Button size="xs" leftSection={<PlusIcon />} onClick={onNew} data-testid={newTestId}>
          New {noun}
        </Button>
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {emptyText}
        </Text>
      ) : (
        <Table verticalSpacing={6} fz="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.header}>{c.header}</Table.Th>
              ))}
              <Table.Th w={80}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.id} {...rowProps?.(item)}>
                {columns.map((c) => (
                  <Table.Td key={c.header}>{c.cell(item)}</Table.Td>
                ))}
                <Table.Td>
                  <Button size="compact-xs" variant="default" onClick={() => onEdit(item)} aria-label={`Edit ${noun} ${item.name}`}>
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {children}
    </Card>
  );
}
