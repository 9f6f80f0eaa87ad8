import { ActionIcon, Alert, Button, Card, CopyButton, FileInput, Group, Modal, PasswordInput, Progress, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent, type ReactNode } from 'react';
import { MIN_PASSPHRASE_LENGTH, type KeyGenerationServiceStatus } from '../../../shared';
import { useServicesStatus } from '../../app/ServicesStatusContext';
import { useClient } from '../../client/ClientContext';
import { toSatelliteError } from '../../client/satellite-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAction } from '../../hooks/useAction';
import { CopyIcon } from '../../components/icons';
import { inUserWords } from '../../lib/user-words';
import { formatDateTime } from '../../lib/format';
import { ConfirmModal } from '../detail/ConfirmModal';

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
function BackupModal({ opened, onClose, onDone }: { opened: boolean; onClose: () => void; onDone: () => void }) {
  const client = useClient();
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [reveal, setReveal] = useState(false);
  const { busy, error, setError, runAction } = useAction();
  const [generating, setGenerating] = useState(false);
  const tooShort = passphrase.length > 0 && passphrase.length < MIN_PASSPHRASE_LENGTH;
  const mismatch = confirm.length > 0 && confirm !== passphrase;

  const close = () => {
    // The passphrase does not outlive the dialog.
    setPassphrase('');
    setConfirm('');
    setReveal(false);
    setError(undefined);
    onClose();
  };

  const generate = async () => {
    setGenerating(true);
    try {
      const { passphrase: p } = await client.call('generatePassphrase', {});
      setPassphrase(p);
      setConfirm(p);
      setReveal(true);
    } catch (e) {
      setError(toSatelliteError(e));
    } finally {
      setGenerating(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (passphrase.length < MIN_PASSPHRASE_LENGTH || confirm !== passphrase) return;
    await runAction(async () => {
      const summary = await client.downloadDekBackup({ passphrase });
      if (summary) {
        notifications.show({ color: 'green', title: 'DEK backup saved', message: `${summary.fileName}. Keep it and its passphrase apart: together they open every key.`, autoClose: 10_000 });
        setPassphrase('');
        setConfirm('');
        onDone();
      }
    });
  };

  return (
    <Modal opened={opened} onClose={close} title="Back up the DEK" centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">The DEK is written to a file you choose, encrypted under this passphrase (scrypt, then AES-256-GCM). Restoring needs both the file and the passphrase.</Text>
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <PasswordInput
              label="Backup passphrase"
              description={`At least ${MIN_PASSPHRASE_LENGTH} characters; the satellite never stores it`}
              value={passphrase}
              onChange={(e) => setPassphrase(e.currentTarget.value)}
              visible={reveal}
              onVisibilityChange={setReveal}
              error={tooShort ? `The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters` : undefined}
              autoComplete="new-password"
              style={{ flex: 1 }}
              data-testid="dek-backup-passphrase"
            />
            <Button variant="default" onClick={generate} loading={generating} data-testid="dek-generate-passphrase">
              Generate
            </Button>
            <CopyButton value={passphrase} timeout={1500}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy passphrase'}>
                  <ActionIcon variant="default" size="lg" onClick={copy} aria-label="Copy backup passphrase" disabled={!passphrase} mb={tooShort ? 22 : 0}>
                    <CopyIcon />
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <PasswordInput
            label="Confirm the passphrase"
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            visible={reveal}
            onVisibilityChange={setReveal}
            error={mismatch ? 'The two passphrases differ; type the same one twice' : undefined}
            autoComplete="new-password"
            data-testid="dek-backup-confirm"
          />
          {error && <ErrorAlert title="The backup was not written" error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={passphrase.length < MIN_PASSPHRASE_LENGTH || confirm !== passphrase} data-testid="dek-backup-submit">
              Save backup file
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The file's bytes as base64, in the browser (no Node Buffer here). */
async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Backup file + its passphrase; the satellite refuses a wrong passphrase or another DEK with nothing changed. */
function RestoreModal({ opened, onClose, onDone }: { opened: boolean; onClose: () => void; onDone: () => void }) {
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

/** Rotation: what happens, then progress, then the new fingerprint and the next step (a new backup). */
function RotateModal({ opened, onClose, onDone }: { opened: boolean; onClose: () => void; onDone: () => void }) {
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
