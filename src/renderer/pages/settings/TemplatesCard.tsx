import { Button, Card, Group, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { CertificateAuthorityType, IssuingTemplate } from '../../../shared';
import { PlusIcon } from '../../components/icons';
import { toDraft, type TemplateDraft } from '../../lib/template-draft';
import { TemplateEditor } from './TemplateEditor';

const CA_SHORT: Record<CertificateAuthorityType, string> = { BUILTIN: 'Built-in', MANUAL: 'Offline (manual)', ACME: 'ACME', CLOUD: 'Cloud' };


export function TemplatesCard({ templates, onChanged }: { templates: IssuingTemplate[]; onChanged: () => void }) {
  const [editing, setEditing] = useState<TemplateDraft | null>(null);
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
              <Table.Tr key={t.id} data-testid="template-row" data-name={t.name}>
                <Table.Td fw={500}>{t.name}</Table.Td>
                <Table.Td>{CA_SHORT[t.certificateAuthority]}</Table.Td>
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
