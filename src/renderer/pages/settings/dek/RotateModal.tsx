import { Alert, Button, Group, Modal, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useClient } from '../../../client/ClientContext';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useAction } from '../../../hooks/useAction';
import { ConfirmModal } from '../../detail/ConfirmModal';

/** Rotation: what happens, then progress, then the new fingerprint and the next step (a new backup). */
export function RotateModal({ opened, onClose, onDone }: { opened: boolean; onClose: () => void; onDone: () => void }) {
  const client = useClient();
  const { busy, error, setError, runAction } = useAction();
  const [result, setResult] = useState<{ dekHash: string; movedBlobs: number }>();

  const close = () => {
    if (busy) return;
    setError(undefined);
    setResult(undefined);
    onClose();
  };

  const rotate = async () => {
    await runAction(async () => {
      setResult(await client.call('rotateDek', {}));
      onDone();
    });
  };

  if (result) {
    return (
      <Modal opened={opened} onClose={close} title="DEK rotated" centered>
        <Stack>
          <Alert color="green" variant="light" data-testid="dek-rotate-result">
            <Text size="sm">
              New DEK fingerprint: <span className="ks-mono">{result.dekHash.slice(0, 16)}…</span>. {result.movedBlobs} sealed item(s) were re-encrypted under it; the old DEK is gone.
            </Text>
          </Alert>
          <Alert color="orange" variant="light" title="Next step">
            <Text size="sm">Back up the new DEK now: older backups hold the retired DEK and can no longer restore these keys.</Text>
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>Close</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }

  return (
    <ConfirmModal
      opened={opened}
      title="Rotate the DEK?"
      body="A new Data Encryption Key is made, every private key and secret is re-encrypted under it, and the old DEK is removed from the keychain only after all of them have moved. If the satellite stops half-way, the rotation finishes at the next start. Key generation pauses for the few seconds this takes. Your current backup will hold the old DEK, so back up again afterwards."
      confirmLabel="Rotate DEK"
      busy={busy}
      onClose={close}
      onConfirm={rotate}
    >
      {busy && (
        <Stack gap={4} data-testid="dek-rotate-progress">
          <Text size="xs" id="dek-rotate-progress-label">
            Re-encrypting every key under the new DEK…
          </Text>
          <Progress value={100} animated striped aria-labelledby="dek-rotate-progress-label" />
        </Stack>
      )}
      {error && <ErrorAlert title="The DEK was not rotated" error={error} />}
    </ConfirmModal>
  );
}
