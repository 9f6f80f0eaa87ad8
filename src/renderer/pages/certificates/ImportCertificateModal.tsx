import { Button, FileButton, Group, Modal, SegmentedControl, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { Application } from '../../../shared';
import { useNavigate } from '../../app/useRoute';
import { useClient } from '../../client/ClientContext';
import { SatelliteError } from '../../client/satellite-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAction } from '../../hooks/useAction';
import { SecretInput } from '../../components/SecretInput';
import { fieldMessage, unplacedErrors } from '../../lib/field-message';
import { fileToBase64, hasPemBlock, withoutPrivateKey } from '../../lib/files';

type Source = 'pem' | 'pkcs12';
type ChosenFile = { name: string; base64: string };
const FIELDS = ['applicationId', 'pem', 'pkcs12Base64', 'passphrase'] as const;

/** Checks in the browser what the satellite would refuse anyway, so the message is immediate. */
function localProblems(applicationId: string | null, source: Source, pem: string, der: ChosenFile[], pkcs12: ChosenFile | null): SatelliteError | undefined {
  const problems: { code: number; message: string; args: { field: string } }[] = [];
  if (!applicationId) problems.push({ code: 40000, message: 'Choose the application the certificate belongs to', args: { field: 'applicationId' } });
  if (source === 'pem' && !hasPemBlock(pem, 'CERTIFICATE') && der.length === 0) {
    problems.push({ code: 40000, message: 'Paste a PEM certificate (-----BEGIN CERTIFICATE-----), its chain and, to download keystores later, its private key', args: { field: 'pem' } });
  }
  if (source === 'pkcs12' && !pkcs12) problems.push({ code: 40000, message: 'Choose a PKCS#12 file (.p12 or .pfx)', args: { field: 'pkcs12Base64' } });
  return problems.length ? new SatelliteError(problems) : undefined;
}

/** A certificate made elsewhere, with its key when there is one, into the inventory; the key is sealed under the DEK. */
export function ImportCertificateModal({ applications, onClose }: { applications: Application[]; onClose: () => void }) {
  const client = useClient();
  const navigate = useNavigate();
  const [applicationId, setApplicationId] = useState<string | null>(applications.length === 1 ? applications[0]!.id : null);
  const [source, setSource] = useState<Source>('pem');
  const [pem, setPem] = useState('');
  /** A private key pasted or loaded: kept out of the text box, never shown. */
  const [privateKey, setPrivateKey] = useState<string | null>(null);
  /** Certificates chosen as DER files (.der, .cer). */
  const [der, setDer] = useState<ChosenFile[]>([]);
  const [pkcs12, setPkcs12] = useState<ChosenFile | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const { busy, error, setError, runAction } = useAction();

  useEffect(() => {
    if (!applicationId && applications.length === 1) setApplicationId(applications[0]!.id);
  }, [applications, applicationId]);

  const takeText = (text: string) => {
    const { rest, key } = withoutPrivateKey(text);
    if (key) setPrivateKey(key);
    return rest;
  };

  const addFile = async (file: File | null) => {
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    // DER starts with a SEQUENCE (0x30); PEM is text that starts with -----BEGIN.
    if (bytes[0] === 0x30) {
      const base64 = await fileToBase64(file);
      setDer((prev) => [...prev, { name: file.name, base64 }]);
      return;
    }
    const text = takeText(new TextDecoder().decode(bytes));
    // A certificate file and a key file can be chosen one after the other.
    if (text.trim()) setPem((prev) => (prev.trim() ? `${prev.trimEnd()}\n${text}` : text));
  };

  const submit = async () => {
    const local = localProblems(applicationId, source, pem, der, pkcs12);
    setError(local);
    if (local) return;
    await runAction(async () => {
      const certificate = await client.call(
        'importCertificate',
        source === 'pem'
          ? {
              applicationId: applicationId!,
              pem: [pem, privateKey ?? ''].filter((part) => part.trim()).join('\n'),
              ...(der.length ? { derBase64: der.map((d) => d.base64) } : {}),
              ...(passphrase ? { passphrase } : {}),
            }
          : { applicationId: applicationId!, pkcs12Base64: pkcs12!.base64, passphrase },
      );
      notifications.show({ color: 'green', message: `${certificate.subjectCN[0] ?? certificate.subjectDN} imported${certificate.dekHash ? ' with its private key, sealed under the DEK' : ' (no private key: keystores cannot be downloaded for it)'}` });
      onClose();
      navigate({ page: 'certificate', id: certificate.id });
    });
  };

  return (
    <Modal opened onClose={onClose} title="Import certificate" size="lg" centered>
      <Stack>
        <Select
          label="Application"
          placeholder="Choose an application"
          data={applications.map((a) => ({ value: a.id, label: a.name }))}
          value={applicationId}
          onChange={setApplicationId}
          withAsterisk
          error={fieldMessage(error, 'applicationId')}
          data-testid="import-application"
        />
        <div>
          <Text size="sm" fw={500} mb={4} id="import-source-label">
            What you have
          </Text>
          <SegmentedControl
            fullWidth
            aria-labelledby="import-source-label"
            value={source}
            onChange={(v) => {
              setSource(v as Source);
              setError(undefined);
            }}
            data={[
              { value: 'pem', label: 'PEM (certificate, chain, and optionally the private key)' },
              { value: 'pkcs12', label: 'PKCS#12 file' },
            ]}
            data-testid="import-source"
          />
        </div>
        {source === 'pem' ? (
          <>
            <Textarea
              label="PEM"
              description="BEGIN CERTIFICATE blocks (the certificate and its chain) and, optionally, its private key: a pasted key is taken out of this box and not shown"
              placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----BEGIN PRIVATE KEY-----'}
              autosize
              minRows={8}
              maxRows={14}
              classNames={{ input: 'ks-mono' }}
              value={pem}
              onChange={(e) => setPem(takeText(e.currentTarget.value))}
              error={fieldMessage(error, 'pem')}
              data-testid="import-pem"
            />
            {privateKey && (
              <Group gap="xs" data-testid="import-private-key">
                <Text size="sm">Private key: added, hidden. It is sealed under the DEK on import.</Text>
                <Button variant="subtle" size="compact-xs" onClick={() => setPrivateKey(null)} aria-label="Remove the private key">
                  Remove
                </Button>
              </Group>
            )}
            {der.map((file, i) => (
              <Group gap="xs" key={`${file.name}-${i}`} data-testid="import-der-file">
                <Text size="sm">{file.name}: a DER certificate</Text>
                <Button variant="subtle" size="compact-xs" onClick={() => setDer((prev) => prev.filter((_, j) => j !== i))} aria-label={`Remove ${file.name}`}>
                  Remove
                </Button>
              </Group>
            ))}
            <Group>
              <FileButton onChange={addFile} accept=".pem,.crt,.cer,.der,.key,.txt">
                {(props) => (
                  <Button variant="default" size="xs" {...props} data-testid="import-add-file">
                    Add a .pem, .crt, .cer, .der or .key file…
                  </Button>
                )}
              </FileButton>
            </Group>
          </>
        ) : (
          <div>
            <Text size="sm" fw={500} mb={4}>
              PKCS#12 file
            </Text>
            <Group gap="sm">
              <FileButton
                onChange={async (file) => {
                  if (file) setPkcs12({ name: file.name, base64: await fileToBase64(file) });
                }}
                accept=".p12,.pfx"
              >
                {(props) => (
                  <Button variant="default" size="xs" {...props} data-testid="import-pkcs12-file">
                    Choose a .p12 or .pfx file…
                  </Button>
                )}
              </FileButton>
              <Text size="sm" c={pkcs12 ? undefined : 'dimmed'} data-testid="import-pkcs12-name">
                {pkcs12 ? pkcs12.name : 'No file chosen'}
              </Text>
            </Group>
            {fieldMessage(error, 'pkcs12Base64') && (
              <Text size="xs" c="var(--mantine-color-error)" mt={4} role="alert">
                {fieldMessage(error, 'pkcs12Base64')}
              </Text>
            )}
          </div>
        )}
        <SecretInput
          label={source === 'pem' ? 'Key passphrase' : 'Passphrase'}
          description={source === 'pem' ? 'Only if the private key is encrypted (BEGIN ENCRYPTED PRIVATE KEY)' : 'The one the file was exported with; leave empty if it has none'}
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          error={fieldMessage(error, 'passphrase')}
          autoComplete="off"
          data-testid="import-passphrase"
        />
        {error && <ErrorAlert title="Not imported" items={unplacedErrors(error, FIELDS)} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} loading={busy} data-testid="confirm-import-certificate">
            Import
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
