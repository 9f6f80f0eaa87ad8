import { Button, Card, Checkbox, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { EC_CURVES, EXTENDED_KEY_USAGES, RSA_KEY_LENGTHS, type CaSettings, type EcCurve, type ExtendedKeyUsage, type IssuingTemplate, type RsaKeyLength, type TemplateKeyType } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { toSatelliteError, type SatelliteError } from '../../client/satellite-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PlusIcon } from '../../components/icons';

type Authority = IssuingTemplate['certificateAuthority'];
const AUTHORITIES: { value: Authority; label: string }[] = [
  { value: 'BUILTIN', label: 'Built-in CA (offline, this satellite)' },
  { value: 'ACME', label: 'ACME (Let’s Encrypt, step-ca, …)' },
  { value: 'CLOUD', label: 'Cloud service' },
];

interface Draft {
  id?: string;
  name: string;
  certificateAuthority: Authority;
  caSettings: CaSettings | undefined;
  acmeDirectoryUrl: string;
  rsa: RsaKeyLength[];
  ec: EcCurve[];
  validityDays: number;
  cnRegexes: string;
  ekus: ExtendedKeyUsage[];
  keyGeneratedByVenafiAllowed: boolean;
  csrUploadAllowed: boolean;
  original?: IssuingTemplate;
}

const days = (iso: string) => Number(/^P(\d+)D$/.exec(iso)?.[1] ?? 90);

function toDraft(t?: IssuingTemplate): Draft {
  if (!t) return { name: '', certificateAuthority: 'BUILTIN', caSettings: { type: 'BUILTIN' }, acmeDirectoryUrl: '', rsa: [2048, 3072, 4096], ec: ['P256', 'P384'], validityDays: 90, cnRegexes: '.*', ekus: ['SERVER_AUTH', 'CLIENT_AUTH'], keyGeneratedByVenafiAllowed: true, csrUploadAllowed: true };
  const rsa = t.keyTypes.find((k) => k.keyType === 'RSA');
  const ec = t.keyTypes.find((k) => k.keyType === 'EC');
  return {
    id: t.id,
    name: t.name,
    certificateAuthority: t.certificateAuthority,
    caSettings: t.caSettings,
    acmeDirectoryUrl: t.caSettings.type === 'ACME' ? t.caSettings.directoryUrl : '',
    rsa: rsa?.keyType === 'RSA' ? rsa.keyLengths : [],
    ec: ec?.keyType === 'EC' ? ec.keyCurves : [],
    validityDays: days(t.validityPeriod),
    cnRegexes: t.subjectCNRegexes.join('\n'),
    ekus: t.extendedKeyUsageValues,
    keyGeneratedByVenafiAllowed: t.keyGeneratedByVenafiAllowed,
    csrUploadAllowed: t.csrUploadAllowed,
    original: t,
  };
}

function caSettingsOf(d: Draft): CaSettings | undefined {
  if (d.caSettings && d.caSettings.type === d.certificateAuthority && d.certificateAuthority !== 'ACME') return d.caSettings;
  if (d.certificateAuthority === 'BUILTIN') return { type: 'BUILTIN' };
  if (d.certificateAuthority === 'ACME') {
    const prev = d.caSettings?.type === 'ACME' ? d.caSettings : undefined;
    return { ...(prev ?? { type: 'ACME', termsOfServiceAgreed: true, challenge: { type: 'http-01', mode: 'standalone', listenAddress: '0.0.0.0', port: 80 } }), directoryUrl: d.acmeDirectoryUrl } as CaSettings;
  }
  return d.caSettings;
}

function TemplateEditor({ draft, onClose, onSaved }: { draft: Draft; onClose: () => void; onSaved: () => void }) {
  const client = useClient();
  const [d, setD] = useState(draft);
  const [error, setError] = useState<SatelliteError>();
  const [saving, setSaving] = useState(false);
  const fieldError = (f: string) => error?.fieldErrors().find((e) => e.field === f || e.field.startsWith(`${f}.`))?.message;
  const caSettings = caSettingsOf(d);

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      if (!caSettings) throw new Error('Cloud CA settings (base URL, remote ids, API key secret) are configured through the REST API for now; choose the built-in CA or ACME here.');
      const keyTypes: TemplateKeyType[] = [...(d.rsa.length ? [{ keyType: 'RSA' as const, keyLengths: d.rsa }] : []), ...(d.ec.length ? [{ keyType: 'EC' as const, keyCurves: d.ec }] : [])];
      const o = d.original;
      await client.call('saveIssuingTemplate', {
        ...(o ? { ...o, id: o.id, creationDate: undefined, modificationDate: undefined } : {}),
        name: d.name,
        certificateAuthority: d.certificateAuthority,
        caSettings,
        keyTypes,
        validityPeriod: `P${d.validityDays}D`,
        ...(o?.defaultValidityPeriod && days(o.defaultValidityPeriod) > d.validityDays ? { defaultValidityPeriod: `P${d.validityDays}D` } : {}),
        subjectCNRegexes: d.cnRegexes.split('\n').map((s) => s.trim()).filter(Boolean),
        extendedKeyUsageValues: d.ekus,
        keyGeneratedByVenafiAllowed: d.keyGeneratedByVenafiAllowed,
        csrUploadAllowed: d.csrUploadAllowed,
      } as never);
      notifications.show({ color: 'green', message: `Template “${d.name}” saved` });
      onSaved();
    } catch (e) {
      setError(toSatelliteError(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={d.id ? 'Edit issuing template' : 'New issuing template'} size="xl" centered>
      <Stack>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="Name" withAsterisk value={d.name} onChange={(e) => setD({ ...d, name: e.currentTarget.value })} error={fieldError('name')} data-testid="template-name" />
          <Select label="Certificate authority" data={AUTHORITIES} value={d.certificateAuthority} onChange={(v) => v && setD({ ...d, certificateAuthority: v as Authority })} error={fieldError('certificateAuthority')} />
        </SimpleGrid>
        {d.certificateAuthority === 'ACME' && (
          <TextInput label="ACME directory URL" placeholder="https://acme-v02.api.letsencrypt.org/directory" value={d.acmeDirectoryUrl} onChange={(e) => setD({ ...d, acmeDirectoryUrl: e.currentTarget.value })} error={fieldError('caSettings')} />
        )}
        <SimpleGrid cols={2} spacing="sm">
          <Checkbox.Group label="RSA key lengths" value={d.rsa.map(String)} onChange={(v) => setD({ ...d, rsa: v.map(Number) as RsaKeyLength[] })}>
            <Group mt={6}>
              {RSA_KEY_LENGTHS.map((n) => (
                <Checkbox key={n} value={String(n)} label={String(n)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group label="EC curves" value={d.ec} onChange={(v) => setD({ ...d, ec: v as EcCurve[] })} error={fieldError('keyTypes')}>
            <Group mt={6}>
              {EC_CURVES.map((c) => (
                <Checkbox key={c} value={c} label={c === 'ED25519' ? 'Ed25519' : c.replace('P', 'P-')} />
              ))}
            </Group>
          </Checkbox.Group>
        </SimpleGrid>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="Maximum validity (days)" type="number" min={1} value={String(d.validityDays)} onChange={(e) => setD({ ...d, validityDays: Number(e.currentTarget.value) })} error={fieldError('validityPeriod')} />
          <MultiSelect label="Extended key usages" data={EXTENDED_KEY_USAGES.map((e) => ({ value: e, label: e.replaceAll('_', ' ').toLowerCase() }))} value={d.ekus} onChange={(v) => setD({ ...d, ekus: v as ExtendedKeyUsage[] })} />
        </SimpleGrid>
        <TextInput label="Allowed common names" description="Regular expressions, one per line; .* allows any. Example: .*\.example\.com" value={d.cnRegexes.replaceAll('\n', ', ')} onChange={(e) => setD({ ...d, cnRegexes: e.currentTarget.value.split(/,\s*/).join('\n') })} error={fieldError('subjectCNRegexes')} />
        <Group>
          <Switch label="Key generated by this satellite" checked={d.keyGeneratedByVenafiAllowed} onChange={(e) => setD({ ...d, keyGeneratedByVenafiAllowed: e.currentTarget.checked })} />
          <Switch label="CSR upload" checked={d.csrUploadAllowed} onChange={(e) => setD({ ...d, csrUploadAllowed: e.currentTarget.checked })} />
        </Group>
        {error && <ErrorAlert title="Not saved" error={error} />}
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

export function TemplatesCard({ templates, onChanged }: { templates: IssuingTemplate[]; onChanged: () => void }) {
  const [editing, setEditing] = useState<Draft | null>(null);
  return (
    <Card data-testid="templates-card">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          Issuing templates
        </Title>
        <Button size="xs" leftSection={<PlusIcon />} onClick={() => setEditing(toDraft())} data-testid="new-template">
          New template
        </Button>
      </Group>
      {templates.length === 0 ? (
        <Text size="sm" c="dimmed">
          No template yet. A template names the CA and the policy (key types, validity, allowed names) for requests.
        </Text>
      ) : (
        <Table verticalSpacing={6} fz="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>CA</Table.Th>
              <Table.Th>Keys</Table.Th>
              <Table.Th>Validity</Table.Th>
              <Table.Th w={80}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {templates.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td fw={500}>{t.name}</Table.Td>
                <Table.Td>{t.certificateAuthority}</Table.Td>
                <Table.Td>{t.keyTypes.map((k) => (k.keyType === 'RSA' ? `RSA ${k.keyLengths.join('/')}` : `EC ${k.keyCurves.join('/')}`)).join(', ')}</Table.Td>
                <Table.Td>{t.validityPeriod}</Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="default" onClick={() => setEditing(toDraft(t))} aria-label={`Edit template ${t.name}`}>
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && (
        <TemplateEditor
          draft={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            onChanged();
          }}
        />
      )}
    </Card>
  );
}
