import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export function ConfirmModal({ opened, title, body, confirmLabel, onConfirm, onClose, busy, children, tone = 'danger' }: {
  opened: boolean;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  busy: boolean;
  children?: ReactNode;
  /** 'danger' (red) for what cannot be undone; 'primary' for a deliberate but ordinary step. */
  tone?: 'danger' | 'primary';
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <Stack>
        <Text size="sm">{body}</Text>
        {children}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color={tone === 'danger' ? 'red' : undefined} onClick={onConfirm} loading={busy} data-testid={tone === 'danger' ? 'confirm-danger' : 'confirm'}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
