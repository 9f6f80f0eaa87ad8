import { Alert, Button, FileInput, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { KeyGenerationServiceStatus } from '../../../../shared';
import { useClient } from '../../../client/ClientContext';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useAction } from '../../../hooks/useAction';
import { fileToBase64 } from '../../../lib/files';

/** Backup file + its passphrase; the satellite refuses a wrong passphrase or another DEK with nothing changed. */
export function RestoreModal({ opened, onClose, onDone }: { opened: boolean; onClose: () => void; onDone: () => void }) {
  const client = useClient();
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const { busy, error, setError, runAction } = useAction();
  const [restored, setRestored] = useState<KeyGenerationServiceStatus>();

  const close = () => {
    setFile(null);
    setPassphrase('');
    setError(undefined);
    setRestored(undefined);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || !passphrase) return;
    await runAction(async () => {
      const status = await client.call('restoreDek', { backupBase64: await fileToBase64(file), passphrase });
      setPassphrase('');
      setRestored(status);
      onDone();
    });
  };

  return (
    <Modal opened={opened} onClose={close} title="Restore the DEK from a backup" centered size="lg">
      {restored ? (
        <Stack>
          <Alert color={restored.active ? 'green' : 'orange'} variant="light" title={restored.active ? 'DEK restored' : 'Restored, but key generation is still inactive'} data-testid="dek-restore-result">
            <Text size="sm">{restored.active ? `DEK ${restored.dekHash?.slice(0, 16)}… is back in ${restored.dekStoreBackend}. Every key sealed under it can be used again.` : `${restored.reason}. ${restored.nextStep ?? ''}`}</Text>
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>Close</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">Use this after a lost or reset keychain, or on a new machine with this data directory. A wrong passphrase, or a backup of another DEK, is refused and changes nothing.</Text>
            <FileInput label="Backup file" description="The .json file “Back up DEK” saved" placeholder="Choose a file" accept="application/json,.json" value={file} onChange={setFile} clearable clearButtonProps={{ 'aria-label': 'Clear the chosen backup file' }} data-testid="dek-restore-file" />
            <PasswordInput label="Backup passphrase" description="The passphrase chosen when the backup was made" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} autoComplete="off" data-testid="dek-restore-passphrase" />
            {error && <ErrorAlert title="The DEK was not restored" error={error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={busy} disabled={!file || !passphrase} data-testid="dek-restore-submit">
                Restore DEK
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
