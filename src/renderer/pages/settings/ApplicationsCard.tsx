import { ActionIcon, Button, Card, Group, Modal, Select, Stack, Table, Text, Textarea, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Application, IssuingTemplate } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { toSatelliteError, type SatelliteError } from '../../client/satellite-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PlusIcon, TrashIcon } from '../../components/icons';

interface Draft {
  id?: string;
  name: string;
  description: string;
  aliases: { alias: string; templateId: string | null }[];
}

const toDraft = (a?: Application): Draft =>
  a
    ? { id: a.id, name: a.name, description: a.description, aliases: Object.entries(a.certificateIssuingTemplateAliasIdMap).map(([alias, templateId]) => ({ alias, templateId })) }
    : { name: '', description: '', aliases: [{ alias: 'Default', templateId: null }] };

function ApplicationEditor({ draft, templates, onClose, onSaved }: { draft: Draft; templates: IssuingTemplate[]; onClose: () => void; onSaved: () => void }) {
  const client = useClient();
  const [d, setD] = useState(draft);
  const [error, setError] = useState<SatelliteError>();
  const [saving, setSaving] = useState(false);
  const fieldError = (f: string) => error?.fieldErrors().find((e) => e.field === f || e.field.endsWith(`.${f}`))?.message;

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      const map = Object.fromEntries(d.aliases.filter((a) => a.alias.trim() && a.templateId).map((a) => [a.alias.trim(), a.templateId!]));
      await client.call('saveApplication', { ...(d.id ? { id: d.id } : {}), name: d.name, description: d.description, certificateIssuingTemplateAliasIdMap: map });
      notifications.show({ color: 'green', message: `Application “${d.name}” saved` });
      onSaved();
    } catch (e) {
      setError(toSatelliteError(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={d.id ? 'Edit application' : 'New application'} size="lg" centered>
      <Stack>
        <TextInput label="Name" withAsterisk value={d.name} onChange={(e) => setD({ ...d, name: e.currentTarget.value })} error={fieldError('name')} data-testid="application-name" />
        <Textarea label="Description" value={d.description} onChange={(e) => setD({ ...d, description: e.currentTarget.value })} autosize minRows={2} />
        <div>
          <Group justify="space-between" mb={4}>
            <Text size="sm" fw={500}>
              Template aliases
            </Text>
            <Button size="compact-xs" variant="subtle" leftSection={<PlusIcon />} onClick={() => setD({ ...d, aliases: [...d.aliases, { alias: '', templateId: null }] })}>
              Add alias
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mb="xs">
            Requests under this application choose among these templates, by alias.
          </Text>
          <Stack gap={6}>
            {d.aliases.map((a, i) => (
              <Group key={i} gap={6} wrap="nowrap">
                <TextInput aria-label={`Alias ${i + 1}`} placeholder="Alias" value={a.alias} onChange={(e) => setD({ ...d, aliases: d.aliases.map((x, j) => (j === i ? { ...x, alias: e.currentTarget.value } : x)) })} style={{ flex: 1 }} />
                <Select aria-label={`Template for alias ${i + 1}`} placeholder="Template" data={templates.map((t) => ({ value: t.id, label: t.name }))} value={a.templateId} onChange={(v) => setD({ ...d, aliases: d.aliases.map((x, j) => (j === i ? { ...x, templateId: v } : x)) })} style={{ flex: 1 }} />
                <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`Remove alias ${i + 1}`} onClick={() => setD({ ...d, aliases: d.aliases.filter((_, j) => j !== i) })}>
                  <TrashIcon />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
          {templates.length === 0 && (
            <Text size="xs" c="orange.8" mt={4}>
              No issuing template exists yet: create one below first.
            </Text>
          )}
        </div>
        {error && <ErrorAlert title="Not saved" error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={save} loading={saving} data-testid="save-application">
            Save application
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function ApplicationsCard({ applications, templates, onChanged }: { applications: Application[]; templates: IssuingTemplate[]; onChanged: () => void }) {
  const [editing, setEditing] = useState<Draft | null>(null);
  const name = (id: string) => templates.find((t) => t.id === id)?.name ?? 'missing template';
  return (
    <Card data-testid="applications-card">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          Applications
        </Title>
        <Button size="xs" leftSection={<PlusIcon />} onClick={() => setEditing(toDraft())} data-testid="new-application">
          New application
        </Button>
      </Group>
      {applications.length === 0 ? (
        <Text size="sm" c="dimmed">
          No application yet. Create one to group certificates and choose which templates requests may use.
        </Text>
      ) : (
        <Table verticalSpacing={6} fz="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Template aliases</Table.Th>
              <Table.Th w={80}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {applications.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {a.name}
                  </Text>
                  {a.description && (
                    <Text size="xs" c="dimmed">
                      {a.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {Object.entries(a.certificateIssuingTemplateAliasIdMap)
                    .map(([alias, id]) => `${alias} → ${name(id)}`)
                    .join(', ') || '—'}
                </Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="default" onClick={() => setEditing(toDraft(a))} aria-label={`Edit application ${a.name}`}>
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && (
        <ApplicationEditor
          draft={editing}
          templates={templates}
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
