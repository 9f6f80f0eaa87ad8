import { zodResolver } from '@hookform/resolvers/zod';
import { ActionIcon, Alert, Button, Checkbox, CopyButton, Group, Modal, PasswordInput, Radio, SegmentedControl, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { keystoreExportOptionsSchema, MIN_PASSPHRASE_LENGTH, type KeystoreExportOptions, type KeystoreFormat } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { toSatelliteError, type SatelliteError } from '../../client/satellite-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CopyIcon } from '../../components/icons';
import { formatBytes } from '../../lib/format';

type Values = KeystoreExportOptions;

const FORMAT_HINT: Record<KeystoreFormat, string> = {
  PEM: 'A ZIP of four PEM files: NAME.key (the private key, encrypted PKCS#8, PBES2 AES-256), NAME.crt (the certificate) and the chain in both orders, NAME_root-first.pem and NAME_root-last.pem: Nginx, Apache, HAProxy, Node, Go.',
  PKCS12: 'One .p12/.pfx file: Windows, macOS, Java, most appliances.',
  JKS: 'Java KeyStore for Tomcat and Java before 9; newer Java reads PKCS#12 too.',
};

/** Download a keystore: the passphrase goes to the satellite, which writes the file; the key never reaches this page. */
export function DownloadKeystoreModal({ id, commonName, defaultFormat, opened, onClose, keyCompromised = false }: {
  id: string;
  commonName: string;
  defaultFormat: KeystoreFormat;
  opened: boolean;
  onClose: () => void;
  /** Revoked because its key was compromised: exporting that key takes an explicit confirmation. */
  keyCompromised?: boolean;
}) {
  const client = useClient();
  const [acknowledged, setAcknowledged] = useState(false);
  const [error, setError] = useState<SatelliteError>();
  const [generating, setGenerating] = useState(false);
  const [reveal, setReveal] = useState(false);
  const { control, register, handleSubmit, setValue, watch, formState, reset } = useForm<Values>({
    resolver: zodResolver(keystoreExportOptionsSchema),
    defaultValues: { exportFormat: defaultFormat, pkcs12Profile: 'MODERN', privateKeyPassphrase: '', keystorePassphrase: undefined, certificateLabel: commonName.slice(0, 64) || 'certificate' },
  });
  const format = watch('exportFormat');
  const profile = watch('pkcs12Profile');
  const passphrase = watch('privateKeyPassphrase');

  const close = () => {
    // Passphrases do not outlive the dialog.
    reset();
    setError(undefined);
    setReveal(false);
    setAcknowledged(false);
    onClose();
  };

  const generate = async () => {
    setGenerating(true);
    try {
      const { passphrase: p } = await client.call('generatePassphrase', {});
      setValue('privateKeyPassphrase', p, { shouldValidate: true });
      setReveal(true);
    } catch (e) {
      setError(toSatelliteError(e));
    } finally {
      setGenerating(false);
    }
  };

  const onSubmit = handleSubmit(async (values) => {
    setError(undefined);
    try {
      const summary = await client.downloadKeystore({
        id,
        ...values,
        keystorePassphrase: values.exportFormat === 'JKS' ? values.keystorePassphrase : undefined,
        ...(keyCompromised ? { acknowledgeKeyCompromise: acknowledged } : {}),
      });
      if (summary) {
        notifications.show({ color: 'green', title: 'Keystore saved', message: `${summary.fileName} (${formatBytes(summary.sizeBytes)})${summary.scheme ? ` · ${summary.scheme}` : ''}`, autoClose: 8000 });
        close();
      }
    } catch (e) {
      setError(toSatelliteError(e));
    }
  });

  return (
    <Modal opened={opened} onClose={close} title="Download keystore" centered size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <Controller
            control={control}
            name="exportFormat"
            render={({ field }) => (
              <Stack gap={4}>
                <Text size="sm" fw={500} id="keystore-format-label">
                  Format
                </Text>
                <SegmentedControl
                  aria-labelledby="keystore-format-label"
                  data={[
                    { value: 'PKCS12', label: 'PKCS#12' },
                    { value: 'PEM', label: 'PEM' },
                    { value: 'JKS', label: 'JKS' },
                  ]}
                  value={field.value}
                  onChange={field.onChange}
                  data-testid="keystore-format"
                />
                <Text size="xs" c="dimmed">
                  {FORMAT_HINT[field.value]}
                </Text>
              </Stack>
            )}
          />
          {format === 'PKCS12' && (
            <Controller
              control={control}
              name="pkcs12Profile"
              render={({ field }) => (
                <Radio.Group label="PKCS#12 profile" value={field.value} onChange={field.onChange}>
                  <Stack gap={6} mt={6}>
                    <Radio value="MODERN" label="Modern: AES-256, SHA-256 MAC" description="Windows 10 1709+ / Server 2019+, macOS 26, Java 12+, OpenSSL 3" data-testid="profile-modern" />
                    <Radio value="COMPATIBLE" label="Compatible: 3DES, SHA-1 MAC" description="Windows Server 2016 and older, older macOS, Java 8 before u301, Android, appliances" data-testid="profile-compatible" />
                  </Stack>
                </Radio.Group>
              )}
            />
          )}
          {format === 'PKCS12' && profile === 'MODERN' && (
            <Text size="xs" c="dimmed">
              If an import says “wrong password” on an older system, download again with the Compatible profile.
            </Text>
          )}
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <PasswordInput
              label={format === 'JKS' ? 'Key password' : 'Passphrase'}
              description={`At least ${MIN_PASSPHRASE_LENGTH} characters; the satellite never stores it`}
              visible={reveal}
              onVisibilityChange={setReveal}
              {...register('privateKeyPassphrase')}
              error={formState.errors.privateKeyPassphrase?.message}
              style={{ flex: 1 }}
              autoComplete="new-password"
              data-testid="keystore-passphrase"
            />
            <Button variant="default" onClick={generate} loading={generating} data-testid="generate-passphrase">
              Generate
            </Button>
            <CopyButton value={passphrase} timeout={1500}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy passphrase'}>
                  <ActionIcon variant="default" size="lg" onClick={copy} aria-label="Copy passphrase" disabled={!passphrase} mb={formState.errors.privateKeyPassphrase ? 22 : 0}>
                    <CopyIcon />
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          {format === 'JKS' && (
            <PasswordInput label="Store password" description="Tomcat's keystorePass; may equal the key password" {...register('keystorePassphrase', { setValueAs: (v: string) => (v === '' ? undefined : v) })} error={formState.errors.keystorePassphrase?.message} autoComplete="new-password" data-testid="keystore-store-passphrase" />
          )}
          <TextInput
            label={format === 'JKS' ? 'Alias' : format === 'PEM' ? 'File name' : 'Friendly name'}
            description={format === 'PEM' ? 'NAME in the four file names inside the ZIP' : format === 'JKS' ? 'The alias keytool and Tomcat look the key up by' : 'The name Windows, macOS and Java show for the key'}
            {...register('certificateLabel')} error={formState.errors.certificateLabel?.message} data-testid="keystore-label" />
          {keyCompromised && (
            <Alert color="red" variant="light" title="This key was compromised" data-testid="key-compromised-warning">
              <Text size="sm" mb="xs">
                The certificate was revoked for key compromise: treat its private key as known to others. Use it only to decrypt or inspect old data, never on a server again; request a new certificate with a new key instead.
              </Text>
              <Checkbox checked={acknowledged} onChange={(e) => setAcknowledged(e.currentTarget.checked)} label="I know this key is compromised and export it anyway (the satellite logs this)" data-testid="acknowledge-key-compromise" />
            </Alert>
          )}
          {error && <ErrorAlert title="The keystore was not written" error={error} />}
          <Alert variant="light" color="gray" p="xs">
            <Text size="xs">Keep the passphrase apart from the file: anyone with both holds the private key.</Text>
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={formState.isSubmitting} disabled={keyCompromised && !acknowledged} data-testid="confirm-download-keystore">
              Download keystore
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
