import { Alert, Button, Card, Group, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { KeyGenerationServiceStatus } from '../../../shared';
import { useServicesStatus } from '../../app/ServicesStatusContext';
import { inUserWords } from '../../lib/user-words';
import { formatDateTime } from '../../lib/format';
import { BackupModal } from './dek/BackupModal';
import { RestoreModal } from './dek/RestoreModal';
import { RotateModal } from './dek/RotateModal';

// Settings > DEK backup: back up the Data Encryption Key to a passphrase-protected file, restore
// it after a lost keychain, rotate it. The DEK itself never reaches this page; only its
// fingerprint does.

type Dialog = 'backup' | 'restore' | 'rotate' | undefined;

export function DekBackupCard() {
  const status = useServicesStatus();
  const keyGeneration = status.data?.keyGeneration;
  const [dialog, setDialog] = useState<Dialog>();
  const close = () => setDialog(undefined);
  const done = () => {
    status.reload();
    close();
  };

  return (
    <DekCard keyGeneration={keyGeneration}>
      <Group gap="xs" mt="sm">
        <Button variant="default" onClick={() => setDialog('backup')} disabled={!keyGeneration?.active} data-testid="dek-backup">
          Back up DEK…
        </Button>
        <Button variant="default" onClick={() => setDialog('restore')} data-testid="dek-restore">
          Restore…
        </Button>
        <Button color="red" variant="light" onClick={() => setDialog('rotate')} disabled={!keyGeneration?.active} data-testid="dek-rotate">
          Rotate…
        </Button>
      </Group>
      <BackupModal opened={dialog === 'backup'} onClose={close} onDone={done} />
      <RestoreModal opened={dialog === 'restore'} onClose={close} onDone={status.reload} />
      <RotateModal opened={dialog === 'rotate'} onClose={close} onDone={status.reload} />
    </DekCard>
  );
}

/** The DEK's fingerprint and whether it is backed up, with the actions below. */
function DekCard({ keyGeneration, children }: { keyGeneration: KeyGenerationServiceStatus | undefined; children: ReactNode }) {
  return (
    <Card data-testid="dek-backup-card">
      <Title order={2} size="h5" mb={4}>
        DEK backup
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        Every private key here is encrypted under one Data Encryption Key in {keyGeneration?.dekStoreBackend ?? 'the keychain'}. Lose it (new laptop, reinstalled OS) and every key is lost, unless you have a backup.
      </Text>
      <Text size="sm">
        DEK fingerprint: <span className="ks-mono" data-testid="dek-fingerprint">{keyGeneration?.dekHash ? `${keyGeneration.dekHash.slice(0, 16)}…` : '—'}</span>
      </Text>
      {keyGeneration && !keyGeneration.dekHash ? (
        // No DEK to back up: speak of what exists. The reason and the way out follow below.
        <Text size="sm" data-testid="dek-last-backup">
          No DEK is open, so there is nothing to back up. If you have a backup file, Restore brings the DEK back.
        </Text>
      ) : keyGeneration?.lastBackupDate ? (
        <Text size="sm" data-testid="dek-last-backup">
          Last backup: {formatDateTime(keyGeneration.lastBackupDate)}
        </Text>
      ) : (
        <Alert color="orange" variant="light" p="xs" mt={6} data-testid="dek-last-backup">
          <Text size="xs">No backup of this DEK yet. Back it up now and keep the file and its passphrase apart, somewhere safe.</Text>
        </Alert>
      )}
      {keyGeneration && !keyGeneration.active && (
        <Alert color="red" variant="light" p="xs" mt={6} title="Key generation is inactive">
          <Text size="xs">
            {inUserWords(keyGeneration.reason)}
            {keyGeneration.nextStep ? ` ${keyGeneration.nextStep}` : ''}
          </Text>
        </Alert>
      )}
      {children}
    </Card>
  );
}

/** A new passphrase (typed twice or generated), then the satellite writes the backup file. */
