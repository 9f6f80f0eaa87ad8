import { ActionIcon, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { Application, IssuingTemplate } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PlusIcon, TrashIcon } from '../../components/icons';
import { useAction } from '../../hooks/useAction';
import { SettingsTableCard } from './SettingsTableCard';

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
  const { busy: saving, error, runAction } = useAction();
  const fieldError = (f: string) => error?.fieldErrors().find((e) => e.field === f || e.field.endsWith(`.${f}`))?.message;

  const save = () =>
    runAction(async () => {
      const map = Object.fromEntries(d.aliases.filter((a) => a.alias.trim() && a.templateId).map((a) => [a.alias.trim(), a.templateId!]));
      await client.call('saveApplication', { ...(d.id ? { id: d.id } : {}), name: d.name, description: d.description, certificateIssuingTemplateAliasIdMap: map });
      notifications.show({ color: 'green', message: `Application “${d.name}” saved` });
      onSaved();
    });

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
    <SettingsTableCard
      title="Applications"
      noun="application"
      testId="applications-card"
      newTestId="new-application"
      emptyText="No application yet. Create one to group certificates and choose which templates requests may use."
      items={applications}
      columns={[
        {
          header: 'Name',
          cell: (a) => (
            <>
              <Text size="sm" fw={500}>
                {a.name}
              </Text>
              {a.description && (
                <Text size="xs" c="dimmed">
                  {a.description}
                </Text>
              )}
            </>
          ),
        },
        {
          header: 'Template aliases',
          cell: (a) =>
            Object.entries(a.certificateIssuingTemplateAliasIdMap)
              .map(([alias, id]) => `${alias} → ${name(id)}`)
              .join(', ') || '—',
        },
      ]}
      onNew={() => setEditing(toDraft())}
      onEdit={(a) => setEditing(toDraft(a))}
    >
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
    </SettingsTableCard>
  );
}
