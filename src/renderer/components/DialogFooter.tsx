import { Button, Group } from '@mantine/core';

/**
 * The buttons of a dialog that does one thing once: Cancel and the action while it is to be done
 * (the action shows its loader while it runs), then a single Close where the outcome is shown.
 */
export function DialogFooter({ finished, busy, onClose, onConfirm, confirmLabel, confirmColor, testIdPrefix }: { finished: boolean; busy: boolean; onClose: () => void; onConfirm: () => void; confirmLabel: string; confirmColor?: string; testIdPrefix: string }) {
  return (
    <Group justify="flex-end">
      {finished ? (
        <Button onClick={onClose} data-testid={`${testIdPrefix}-close`}>
          Close
        </Button>
      ) : (
        <>
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button onClick={onConfirm} loading={busy} color={confirmColor} data-testid={`${testIdPrefix}-confirm`}>
            {confirmLabel}
          </Button>
        </>
      )}
    </Group>
  );
}
