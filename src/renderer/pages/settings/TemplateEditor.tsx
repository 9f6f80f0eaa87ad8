import { Button, Checkbox, Divider, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { CA_LABELS, CURVE_LABELS, EC_CURVES, ERROR_CODES, EXTENDED_KEY_USAGES, RSA_KEY_LENGTHS, type CertificateAuthorityType, type EcCurve, type ExtendedKeyUsage, type RsaKeyLength } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { SatelliteError } from '../../client/satellite-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OwnerApiKeyInput } from '../../components/OwnerApiKeyInput';
import { useAction } from '../../hooks/useAction';
import { fieldMessage, unplacedErrors } from '../../lib/field-message';
import { describeDuration, toSaveInput, validateDraft, type TemplateDraft } from '../../lib/template-draft';
import { CaSettingsFields } from './CaSettingsFields';

/** Every input that shows its own message; the rest go to the alert above the buttons. */
const SHOWN_FIELDS = [
  'name',
  'certificateAuthority',
  'caSettings.type',
  'caSettings.directoryUrl',
  'caSettings.contactEmail',
  'caSettings.termsOfServiceAgreed',
  'caSettings.eabKeyId',
  'connectorSecrets.eabHmacKey',
  'caSettings.challenge',
  'caSettings.profile',
  'caSettings.baseUrl',
  'caSettings.remoteApplicationId',
  'caSettings.remoteCertificateIssuingTemplateId',
  'connectorSecrets.apiKey',
  'tppl-api-key',
  'keyTypes',
  'validityPeriod',
  'defaultValidityPeriod',
  'subjectCNRegexes',
  'sanRegexes',
  'extendedKeyUsageValues',
  'csrUploadAllowed',
] as const;

/** A regex list's message names the line, since the list is one textarea. */
function regexListMessage(error: SatelliteError | undefined, field: string): string | undefined {
  const found = error?.fieldErrors().find((e) => e.field === field || e.field.startsWith(`${field}.`));
  if (!found) return undefined;
  const index = /\.(\d+)$/.exec(found.field)?.[1];
  const message = fieldMessage(error, found.field);
  return index === undefined || message === undefined ? message : `Line ${Number(index) + 1}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

export function TemplateEditor({ draft, onClose, onSaved }: { draft: TemplateDraft; onClose: () => void; onSaved: () => void }) {
  const client = useClient();
  const [d, setD] = useState(draft);
  const { busy: saving, error, setError, runAction } = useAction();
  const set = (patch: Partial<TemplateDraft>) => setD((prev) => ({ ...prev, ...patch }));
  // A browser session may not save a command the satellite runs; the API key in the same call may.
  const [commandApiKey, setCommandApiKey] = useState('');
  const asksForApiKey = client.transport === 'web' && d.certificateAuthority === 'ACME' && d.challengeType === 'dns-01';
  const msg = (f: string) => fieldMessage(error, f);
  const body = useRef<HTMLDivElement>(null);
  // The dialog scrolls: take the user to the first field that needs them.
  useEffect(() => {
    if (error) body.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  const save = async () => {
    // The shared schema first: nothing is sent while a field is wrong.
    const problems = validateDraft(d);
    if (problems.length > 0) {
      setError(new SatelliteError(problems.map((p) => ({ code: ERROR_CODES.VALIDATION, message: p.message, args: { field: p.field } }))));
      return;
    }
    await runAction(async () => {
      await client.call('saveIssuingTemplate', toSaveInput(d), asksForApiKey ? { apiKey: commandApiKey } : undefined);
      notifications.show({ color: 'green', message: `Template “${d.name.trim()}” saved` });
      onSaved();
    });
  };

  const validityWords = describeDuration(d.validityPeriod);
  const defaultWords = d.defaultValidityPeriod.trim() ? describeDuration(d.defaultValidityPeriod) : undefined;

  return (
    <Modal opened onClose={onClose} title={d.id ? 'Edit issuing template' : 'New issuing template'} size="xl" centered>
      <Stack gap="sm" ref={body}>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="Name" withAsterisk value={d.name} onChange={(e) => set({ name: e.currentTarget.value })} error={msg('name')} data-testid="template-name" data-autofocus />
          <Select
            label="Certificate authority"
            data={(Object.keys(CA_LABELS) as CertificateAuthorityType[]).map((value) => ({ value, label: CA_LABELS[value].long }))}
            value={d.certificateAuthority}
            onChange={(v) => v && set({ certificateAuthority: v as CertificateAuthorityType })}
            allowDeselect={false}
            error={msg('certificateAuthority') ?? msg('caSettings.type')}
            data-testid="template-ca"
          />
        </SimpleGrid>
        <CaSettingsFields d={d} set={set} error={error} />
        {asksForApiKey && (
          <OwnerApiKeyInput
            label="API key, to allow this command"
            description="The hook runs as the satellite's user, so saving it from a browser takes the satellite's API key too. It is sent with this save only, never stored here."
            value={commandApiKey}
            onChange={setCommandApiKey}
            error={msg('tppl-api-key')}
            testId="template-command-api-key"
          />
        )}

        <Divider label="Policy" labelPosition="left" mt="xs" />
        <SimpleGrid cols={2} spacing="sm">
          <Checkbox.Group label="RSA key lengths" value={d.rsa.map(String)} onChange={(v) => set({ rsa: v.map(Number) as RsaKeyLength[] })}>
            <Group mt={6}>
              {RSA_KEY_LENGTHS.map((n) => (
                <Checkbox key={n} value={String(n)} label={String(n)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group label="EC curves" value={d.ec} onChange={(v) => set({ ec: v as EcCurve[] })} error={msg('keyTypes')}>
            <Group mt={6}>
              {EC_CURVES.map((c) => (
                <Checkbox key={c} value={c} label={CURVE_LABELS[c]} />
              ))}
            </Group>
          </Checkbox.Group>
        </SimpleGrid>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="Maximum validity"
            withAsterisk
            placeholder="P90D"
            description={validityWords ? `ISO 8601 duration: ${validityWords}` : 'ISO 8601 duration: P90D is 90 days, P1Y a year'}
            value={d.validityPeriod}
            onChange={(e) => set({ validityPeriod: e.currentTarget.value })}
            error={msg('validityPeriod')}
            data-testid="template-validity"
          />
          <TextInput
            label="Default validity"
            placeholder="The maximum"
            description={defaultWords ? `For requests that name none: ${defaultWords}` : 'For requests that name none; empty uses the maximum'}
            value={d.defaultValidityPeriod}
            onChange={(e) => set({ defaultValidityPeriod: e.currentTarget.value })}
            error={msg('defaultValidityPeriod')}
            data-testid="template-default-validity"
          />
        </SimpleGrid>
        <SimpleGrid cols={2} spacing="sm">
          <Textarea
            label="Allowed common names"
            description="Regular expressions, one per line; .* allows any. Example: .*\.example\.com"
            autosize
            minRows={2}
            maxRows={6}
            classNames={{ input: 'ks-mono' }}
            value={d.subjectCNRegexes}
            onChange={(e) => set({ subjectCNRegexes: e.currentTarget.value })}
            error={regexListMessage(error, 'subjectCNRegexes')}
            data-testid="template-cn-regexes"
          />
          <Textarea
            label="Allowed DNS names (SANs)"
            description="Regular expressions, one per line; .* allows any"
            autosize
            minRows={2}
            maxRows={6}
            classNames={{ input: 'ks-mono' }}
            value={d.sanRegexes}
            onChange={(e) => set({ sanRegexes: e.currentTarget.value })}
            error={regexListMessage(error, 'sanRegexes')}
            data-testid="template-san-regexes"
          />
        </SimpleGrid>
        <MultiSelect
          label="Extended key usages"
          data={EXTENDED_KEY_USAGES.map((e) => ({ value: e, label: e.replaceAll('_', ' ').toLowerCase() }))}
          value={d.extendedKeyUsageValues}
          onChange={(v) => set({ extendedKeyUsageValues: v as ExtendedKeyUsage[] })}
          error={msg('extendedKeyUsageValues')}
        />
        <div>
          <Text size="sm" fw={500} mb={6}>
            How keys are made
          </Text>
          <Group>
            <Switch label="Key generated by this satellite" checked={d.keyGeneratedByVenafiAllowed} onChange={(e) => set({ keyGeneratedByVenafiAllowed: e.currentTarget.checked })} data-testid="template-keygen" />
            <Switch label="CSR upload" checked={d.csrUploadAllowed} onChange={(e) => set({ csrUploadAllowed: e.currentTarget.checked })} error={msg('csrUploadAllowed')} data-testid="template-csr-upload" />
          </Group>
        </div>
        {error && <ErrorAlert title="Not saved" items={unplacedErrors(error, SHOWN_FIELDS).length ? unplacedErrors(error, SHOWN_FIELDS) : [{ code: 0, message: 'Correct the highlighted fields, then save again.' }]} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={save} loading={saving} data-testid="save-template">
            Save template
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
