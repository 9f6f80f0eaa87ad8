import { Button, Checkbox, Divider, Group, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ERROR_CODES, INSTALLATION_FORMATS, type AutomationDetail, type InstallationFormat } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { SatelliteError } from '../../client/satellite-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OwnerApiKeyInput } from '../../components/OwnerApiKeyInput';
import { SecretInput } from '../../components/SecretInput';
import { useAction } from '../../hooks/useAction';
import { INSTALLATION_FORMAT_LABELS, newInstallationDraft, toAutomationInput, validateAutomationDraft, type AutomationDraft, type InstallationDraft } from '../../lib/automation-draft';
import { fieldMessage, unplacedErrors } from '../../lib/field-message';

const FIELDS = ['name', 'renewBefore', 'installations', 'tppl-api-key'] as const;

/** Set up or change where a certificate is installed, and when it is renewed. */
export function AutomationModal({ draft, opened, onClose, onSaved }: { draft: AutomationDraft; opened: boolean; onClose: () => void; onSaved: (saved: AutomationDetail) => void }) {
  const client = useClient();
  const [d, setD] = useState(draft);
  const [apiKey, setApiKey] = useState('');
  const { busy, error, setError, runAction } = useAction();
  const msg = (field: string) => fieldMessage(error, field);
  // Installing writes files on the satellite's machine and may run programs: from a browser, the owner's key goes with the save.
  const asksForApiKey = client.transport === 'web';
  const setInstallation = (index: number, patch: Partial<InstallationDraft>) => setD((prev) => ({ ...prev, installations: prev.installations.map((i, n) => (n === index ? { ...i, ...patch } : i)) }));

  const save = async () => {
    const problems = validateAutomationDraft(d);
    if (problems.length > 0) {
      setError(new SatelliteError(problems.map((p) => ({ code: ERROR_CODES.VALIDATION, message: p.message, args: { field: p.field } }))));
      return;
    }
    await runAction(async () => {
      const saved = await client.call('saveAutomation', toAutomationInput(d), asksForApiKey ? { apiKey } : undefined);
      if (saved.lastResult?.ok) notifications.show({ color: 'green', message: `Installed: ${saved.lastResult.message}. The satellite renews and installs it from now on.` });
      else notifications.show({ color: 'red', title: 'Saved, but the first install failed', message: 'What failed and why is on the card "Automatic renewal and installation"; the satellite tries again by itself.', autoClose: 8000 });
      onSaved(saved);
    });
  };

  return (
    <Modal opened={opened} onClose={onClose} title={d.id ? 'Change automatic renewal and installation' : 'Renew and install automatically'} size="xl">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          The satellite renews this certificate before it expires and writes the new certificate and key where you say, as one set: a server never sees a certificate beside another certificate's key. Then it runs your after-install action (e.g. a reload) and, if given, your validation; when the validation fails it puts the previous files back.
        </Text>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="Name" withAsterisk description="For the history and the VCERT_<NAME>_* variables of the actions" value={d.name} onChange={(e) => setD({ ...d, name: e.currentTarget.value })} error={msg('name')} data-testid="automation-name" />
          <TextInput
            label="Renew before"
            placeholder="the CA's window, else the last third"
            description="30d or 58m before it expires, or 33% of the lifetime left; empty: the CA's Renewal Information, else the satellite's rule; disabled: never"
            value={d.renewBefore}
            onChange={(e) => setD({ ...d, renewBefore: e.currentTarget.value })}
            error={msg('renewBefore')}
            data-testid="automation-renew-before"
          />
        </SimpleGrid>
        {d.installations.map((installation, index) => (
          <InstallationFields key={index} index={index} i={installation} set={(patch) => setInstallation(index, patch)} msg={(f) => msg(`installations.${index}.${f}`)} onRemove={d.installations.length > 1 ? () => setD({ ...d, installations: d.installations.filter((_, n) => n !== index) }) : undefined} />
        ))}
        <Group>
          <Button variant="default" size="xs" onClick={() => setD({ ...d, installations: [...d.installations, newInstallationDraft()] })} disabled={d.installations.length >= 16} data-testid="automation-add-installation">
            Add another place
          </Button>
        </Group>
        {asksForApiKey && (
          <OwnerApiKeyInput
            label="API key, to allow writing these files"
            description="The files are written, and the actions run, as the satellite's user, so saving from a browser takes the satellite's API key too. It is sent with this save only, never stored here."
            value={apiKey}
            onChange={setApiKey}
            error={msg('tppl-api-key')}
            testId="automation-api-key"
          />
        )}
        {error && unplacedErrors(error, [...FIELDS, ...d.installations.map((_, n) => `installations.${n}`)]).length > 0 && (
          <ErrorAlert title="Not saved" error={new SatelliteError(unplacedErrors(error, [...FIELDS, ...d.installations.map((_, n) => `installations.${n}`)]))} />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={save} loading={busy} data-testid="automation-save">
            {busy ? 'Installing…' : d.id ? 'Save and install' : 'Install and keep renewed'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function InstallationFields({ index, i, set, msg, onRemove }: { index: number; i: InstallationDraft; set: (patch: Partial<InstallationDraft>) => void; msg: (field: string) => string | undefined; onRemove?: () => void }) {
  const files = i.format === 'PEM' || i.format === 'PKCS12' || i.format === 'JKS';
  return (
    <Stack gap="xs" data-testid="automation-installation">
      <Divider
        label={
          <Group gap="xs">
            <span>Place {index + 1}</span>
            {onRemove && (
              <Button size="compact-xs" variant="subtle" color="red" onClick={onRemove}>
                Remove
              </Button>
            )}
          </Group>
        }
        labelPosition="left"
      />
      <Select
        label="Format"
        data={INSTALLATION_FORMATS.map((f) => ({ value: f, label: INSTALLATION_FORMAT_LABELS[f] }))}
        value={i.format}
        onChange={(v) => v && set({ format: v as InstallationFormat })}
        allowDeselect={false}
        data-testid="installation-format"
      />
      {i.format === 'PEM' && (
        <>
          <SimpleGrid cols={3} spacing="sm">
            <TextInput label="Certificate file" withAsterisk placeholder="/etc/nginx/tls/site.crt" value={i.file} onChange={(e) => set({ file: e.currentTarget.value })} error={msg('file')} data-testid="installation-file" />
            <TextInput label="Chain file" withAsterisk placeholder="/etc/nginx/tls/chain.pem" value={i.chainFile} onChange={(e) => set({ chainFile: e.currentTarget.value })} error={msg('chainFile')} data-testid="installation-chain-file" />
            <TextInput label="Key file" withAsterisk placeholder="/etc/nginx/tls/site.key" value={i.keyFile} onChange={(e) => set({ keyFile: e.currentTarget.value })} error={msg('keyFile')} data-testid="installation-key-file" />
          </SimpleGrid>
          <Checkbox label="Put the chain after the certificate in the certificate file too (what nginx's ssl_certificate wants)" checked={i.fullChainInFile} onChange={(e) => set({ fullChainInFile: e.currentTarget.checked })} />
          <SegmentedControl
            aria-label="How the key file is protected"
            value={i.keyProtection}
            onChange={(v) => set({ keyProtection: v as InstallationDraft['keyProtection'] })}
            data={[
              { value: 'unencrypted', label: 'Key unencrypted, readable by its owner only (0600)' },
              { value: 'passphrase', label: 'Key encrypted with a passphrase' },
            ]}
          />
          {i.keyProtection === 'passphrase' && <SecretInput label="Key passphrase" withAsterisk description="Sealed under the DEK; the server needs it to read the key" value={i.keyPassword} onChange={(e) => set({ keyPassword: e.currentTarget.value })} error={msg('keyPassword')} autoComplete="new-password" />}
        </>
      )}
      {i.format === 'PKCS12' && (
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="File" withAsterisk placeholder="/opt/app/tls/site.p12" value={i.file} onChange={(e) => set({ file: e.currentTarget.value })} error={msg('file')} data-testid="installation-file" />
          <SecretInput label="Password" withAsterisk description="Sealed under the DEK" value={i.keyPassword} onChange={(e) => set({ keyPassword: e.currentTarget.value })} error={msg('keyPassword')} autoComplete="new-password" />
          <Checkbox label="Compatible (3DES, SHA-1) for Windows Server 2016 and older Java; Modern (AES) otherwise" checked={i.useLegacyP12} onChange={(e) => set({ useLegacyP12: e.currentTarget.checked })} />
        </SimpleGrid>
      )}
      {i.format === 'JKS' && (
        <SimpleGrid cols={3} spacing="sm">
          <TextInput label="File" withAsterisk placeholder="/opt/app/tls/app.jks" value={i.file} onChange={(e) => set({ file: e.currentTarget.value })} error={msg('file')} data-testid="installation-file" />
          <TextInput label="Alias" withAsterisk value={i.jksAlias} onChange={(e) => set({ jksAlias: e.currentTarget.value })} error={msg('jksAlias')} />
          <SecretInput label="Keystore password" withAsterisk description="At least 6 characters; sealed under the DEK" value={i.jksPassword} onChange={(e) => set({ jksPassword: e.currentTarget.value })} error={msg('jksPassword')} autoComplete="new-password" />
        </SimpleGrid>
      )}
      {i.format === 'CAPI' && (
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="Store" withAsterisk description="LocalMachine\My or CurrentUser\My" value={i.location} onChange={(e) => set({ location: e.currentTarget.value })} error={msg('location')} />
          <TextInput label="Friendly name" placeholder="the common name" value={i.friendlyName} onChange={(e) => set({ friendlyName: e.currentTarget.value })} />
          <Checkbox label="Mark the private key non-exportable" checked={i.capiIsNonExportable} onChange={(e) => set({ capiIsNonExportable: e.currentTarget.checked })} />
          <Text size="xs" c="dimmed">Runs Import-PfxCertificate on Windows only.</Text>
        </SimpleGrid>
      )}
      {i.format === 'KEYCHAIN' && (
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="Keychain" placeholder="the login keychain" value={i.keychain} onChange={(e) => set({ keychain: e.currentTarget.value })} />
          <Checkbox label="Mark the private key non-extractable" checked={i.capiIsNonExportable} onChange={(e) => set({ capiIsNonExportable: e.currentTarget.checked })} />
          <Text size="xs" c="dimmed">Runs security import on macOS only.</Text>
        </SimpleGrid>
      )}
      <SimpleGrid cols={2} spacing="sm">
        <TextInput
          label="After-install action"
          placeholder="systemctl reload nginx"
          description="Run with /bin/sh -c (PowerShell on Windows) once the files are in place; KEYPAIR_CERT_FILE, KEYPAIR_SERIAL… name what was installed"
          value={i.afterInstallAction}
          onChange={(e) => set({ afterInstallAction: e.currentTarget.value })}
          error={msg('afterInstallAction')}
          data-testid="installation-after-install"
        />
        <TextInput
          label="Validation action"
          placeholder="curl -fsS https://localhost/health"
          description="Run after it; if it fails, the previous files are put back and the after-install action runs again"
          value={i.installValidationAction}
          onChange={(e) => set({ installValidationAction: e.currentTarget.value })}
          error={msg('installValidationAction')}
          data-testid="installation-validation"
        />
      </SimpleGrid>
      {files && <Checkbox label="Also keep the replaced files as <file>.bak" checked={i.backupFiles} onChange={(e) => set({ backupFiles: e.currentTarget.checked })} />}
    </Stack>
  );
}
