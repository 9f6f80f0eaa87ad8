import { Alert, Button, Checkbox, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { SatelliteError } from '../../client/satellite-error';
import { SecretInput } from '../../components/SecretInput';
import { fieldMessage } from '../../lib/field-message';
import { ACME_DIRECTORY_PRESETS } from '../../../shared/acme-presets';
import type { TemplateDraft } from '../../lib/template-draft';

interface Props {
  d: TemplateDraft;
  set: (patch: Partial<TemplateDraft>) => void;
  error: SatelliteError | undefined;
}

/** "Stored" for a write-only secret the satellite holds: typing replaces it, empty keeps it. */
function secretHint(stored: boolean, what: string): { description: string; placeholder: string } {
  return stored
    ? { description: `Stored, sealed under the DEK. Leave empty to keep it; type a new ${what} to replace it.`, placeholder: '•••••••• stored' }
    : { description: `Sealed under the DEK when you save; it is never shown again.`, placeholder: '' };
}

function AcmeFields({ d, set, error }: Props) {
  const msg = (f: string) => fieldMessage(error, f);
  const eab = secretHint(d.eabHmacKeyStored, 'key');
  return (
    <Stack gap="sm" data-testid="acme-settings">
      <div>
        <TextInput
          label="ACME directory URL"
          withAsterisk
          placeholder="https://acme-v02.api.letsencrypt.org/directory"
          value={d.directoryUrl}
          onChange={(e) => set({ directoryUrl: e.currentTarget.value })}
          error={msg('caSettings.directoryUrl')}
          data-testid="acme-directory-url"
        />
        <Group gap={6} mt={6}>
          <Text size="xs" c="dimmed">
            Presets:
          </Text>
          {ACME_DIRECTORY_PRESETS.map((p) => (
            <Button
              key={p.directoryUrl}
              size="compact-xs"
              variant={d.directoryUrl === p.directoryUrl ? 'light' : 'default'}
              onClick={() => set({ directoryUrl: p.directoryUrl })}
              aria-pressed={d.directoryUrl === p.directoryUrl}
              title={p.externalAccountRequired ? `${p.label} needs External Account Binding: its key id and HMAC key from the CA’s console` : undefined}
            >
              {p.label}
            </Button>
          ))}
        </Group>
      </div>
      <SimpleGrid cols={2} spacing="sm">
        <TextInput label="Contact email" placeholder="admin@example.com" description="The CA writes here about expiry and problems" value={d.contactEmail} onChange={(e) => set({ contactEmail: e.currentTarget.value })} error={msg('caSettings.contactEmail')} />
        <Checkbox
          mt={28}
          label="I agree to the CA’s terms of service"
          description="Most ACME CAs refuse new accounts without it"
          checked={d.termsOfServiceAgreed}
          onChange={(e) => set({ termsOfServiceAgreed: e.currentTarget.checked })}
          error={msg('caSettings.termsOfServiceAgreed')}
          data-testid="acme-terms"
        />
      </SimpleGrid>
      <SimpleGrid cols={2} spacing="sm">
        <TextInput label="EAB key id" description="External Account Binding, when the CA requires it (ZeroSSL, most enterprise CAs)" value={d.eabKeyId} onChange={(e) => set({ eabKeyId: e.currentTarget.value })} error={msg('caSettings.eabKeyId')} />
        <SecretInput
          label="EAB HMAC key"
          description={eab.description}
          placeholder={eab.placeholder}
          value={d.eabHmacKey}
          onChange={(e) => set({ eabHmacKey: e.currentTarget.value })}
          error={msg('connectorSecrets.eabHmacKey')}
          autoComplete="new-password"
          data-testid="acme-eab-hmac"
        />
      </SimpleGrid>
      <TextInput
        label="Certificate profile"
        placeholder="the CA's default"
        description="A profile the CA's directory offers (meta.profiles), e.g. Let's Encrypt's classic, tlsserver or shortlived (6-day certificates). Checked with the CA when you save."
        value={d.acmeProfile}
        onChange={(e) => set({ acmeProfile: e.currentTarget.value })}
        error={msg('caSettings.profile')}
        data-testid="acme-profile"
      />
      <div>
        <Text size="sm" fw={500} mb={4} id="acme-challenge-label">
          Challenge
        </Text>
        <SegmentedControl
          fullWidth
          aria-labelledby="acme-challenge-label"
          value={d.challengeType}
          onChange={(v) => set({ challengeType: v as TemplateDraft['challengeType'] })}
          data={[
            { value: 'http-01', label: 'http-01 (a web server on port 80)' },
            { value: 'dns-01', label: 'dns-01 (a DNS TXT record; wildcards)' },
          ]}
        />
      </div>
      {d.challengeType === 'http-01' ? (
        <>
          <SegmentedControl
            aria-label="How http-01 is answered"
            value={d.httpMode}
            onChange={(v) => set({ httpMode: v as TemplateDraft['httpMode'] })}
            data={[
              { value: 'standalone', label: 'Built-in responder' },
              { value: 'webroot', label: 'Files in a webroot' },
            ]}
          />
          {d.httpMode === 'standalone' ? (
            <SimpleGrid cols={2} spacing="sm">
              <TextInput label="Listen address" description="0.0.0.0 listens on every interface, as a public CA needs (it must reach port 80); 127.0.0.1 behind a reverse proxy. It runs only while a challenge is open and answers only the challenge's token." value={d.listenAddress} onChange={(e) => set({ listenAddress: e.currentTarget.value })} error={msg('caSettings.challenge.listenAddress')} />
              <TextInput label="Port" inputMode="numeric" description="80, or the port your proxy forwards port 80 to" value={d.port} onChange={(e) => set({ port: e.currentTarget.value })} error={msg('caSettings.challenge.port')} />
            </SimpleGrid>
          ) : (
            <TextInput label="Webroot" withAsterisk placeholder="/var/www/html" description="The directory your web server serves; the satellite writes .well-known/acme-challenge/ files there" value={d.webroot} onChange={(e) => set({ webroot: e.currentTarget.value })} error={msg('caSettings.challenge.webroot')} />
          )}
        </>
      ) : (
        <TextInput
          label="DNS hook command"
          withAsterisk
          placeholder="/usr/local/bin/acme-dns-hook"
          description="Run with the record name and value as arguments, and ACME_DNS_ACTION=present or cleanup"
          value={d.hookCommand}
          onChange={(e) => set({ hookCommand: e.currentTarget.value })}
          error={msg('caSettings.challenge.hookCommand')}
        />
      )}
    </Stack>
  );
}

function CloudFields({ d, set, error }: Props) {
  const msg = (f: string) => fieldMessage(error, f);
  const key = secretHint(d.apiKeyStored, 'API key');
  return (
    <Stack gap="sm" data-testid="cloud-settings">
      <SimpleGrid cols={2} spacing="sm">
        <TextInput label="Base URL" withAsterisk description="Your region’s API, e.g. https://api.venafi.cloud or https://api.venafi.eu" value={d.baseUrl} onChange={(e) => set({ baseUrl: e.currentTarget.value })} error={msg('caSettings.baseUrl')} />
        <SecretInput
          label="API key"
          withAsterisk={!d.apiKeyStored}
          description={key.description}
          placeholder={key.placeholder}
          value={d.apiKey}
          onChange={(e) => set({ apiKey: e.currentTarget.value })}
          error={msg('connectorSecrets.apiKey')}
          autoComplete="new-password"
          data-testid="cloud-api-key"
        />
      </SimpleGrid>
      <SimpleGrid cols={2} spacing="sm">
        <TextInput label="Remote application id" withAsterisk placeholder="UUID" description="The cloud application the requests go under" value={d.remoteApplicationId} onChange={(e) => set({ remoteApplicationId: e.currentTarget.value })} error={msg('caSettings.remoteApplicationId')} />
        <TextInput
          label="Remote issuing template id"
          withAsterisk
          placeholder="UUID"
          description="The cloud template that names its CA"
          value={d.remoteCertificateIssuingTemplateId}
          onChange={(e) => set({ remoteCertificateIssuingTemplateId: e.currentTarget.value })}
          error={msg('caSettings.remoteCertificateIssuingTemplateId')}
        />
      </SimpleGrid>
    </Stack>
  );
}

/** The CA connector's own settings, for the CA the template names. */
export function CaSettingsFields(props: Props) {
  switch (props.d.certificateAuthority) {
    case 'BUILTIN':
      return (
        <Text size="sm" c="dimmed">
          The satellite’s own CA signs at once, offline. Download its root from Services to trust it.
        </Text>
      );
    case 'MANUAL':
      return (
        <Alert color="blue" variant="light" data-testid="manual-settings">
          Requests wait in PENDING with their CSR. On the Requests page, download the CSR, have any CA sign it, then import the certificate it issues: it is matched to its key by public key.
        </Alert>
      );
    case 'ACME':
      return <AcmeFields {...props} />;
    case 'CLOUD':
      return <CloudFields {...props} />;
  }
}
