import { Anchor, Button, FileButton, Group, List, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { PlaybookImport } from '../../../shared';
import { hrefOf } from '../../app/routes';
import { useClient } from '../../client/ClientContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OwnerApiKeyInput } from '../../components/OwnerApiKeyInput';
import { useAction } from '../../hooks/useAction';
import { fieldMessage } from '../../lib/field-message';

/**
 * "Import playbook…": a VCert playbook's certificateTasks issued by this satellite, installed where
 * its installations say and kept renewed. What was done and what was skipped is shown here.
 */
export function ImportPlaybookModal({ opened, onClose, onImported }: { opened: boolean; onClose: () => void; onImported: () => void }) {
  const client = useClient();
  const [yaml, setYaml] = useState('');
  const [fileName, setFileName] = useState('playbook.yaml');
  const [apiKey, setApiKey] = useState('');
  const [result, setResult] = useState<PlaybookImport>();
  const { busy, error, runAction } = useAction();
  const web = client.transport === 'web';

  const pick = async (file: File | null) => {
    if (!file) return;
    setFileName(file.name);
    setYaml(await file.text());
  };
  const run = () =>
    runAction(async () => {
      const imported = await client.call('importPlaybook', { yaml, fileName }, web ? { apiKey } : undefined);
      setResult(imported);
      onImported();
    });

  return (
    <Modal opened={opened} onClose={onClose} title="Import a VCert playbook" size="lg">
      {result ? (
        <Stack gap="sm" data-testid="playbook-result">
          <Text size="sm">Each task is now a certificate this satellite renews and installs:</Text>
          <List size="sm" spacing={4}>
            {result.automations.map((a) => (
              <List.Item key={a.id}>
                <Anchor href={hrefOf({ page: 'certificate', id: a.certificateId })} size="sm" underline="always">
                  {a.name}
                </Anchor>
                : {a.lastResult ? `${a.lastResult.ok ? 'installed' : 'failed'}: ${a.lastResult.message}` : 'not installed yet'}
              </List.Item>
            ))}
          </List>
          {result.notes.length > 0 && (
            <>
              <Text size="sm" fw={500}>
                Skipped, with the reason
              </Text>
              <List size="sm" spacing={2}>
                {result.notes.map((note) => (
                  <List.Item key={note}>{note}</List.Item>
                ))}
              </List>
            </>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            The playbook's tasks are requested here (its zone names the application and template alias, e.g. Default\Default), installed as its installations say, and renewed before renewBefore. Its config.connection is not needed. A key this satellite does not know stops the import and is named.
          </Text>
          <Group>
            <FileButton onChange={pick} accept=".yaml,.yml,.txt">
              {(props) => (
                <Button variant="default" size="xs" {...props} data-testid="playbook-file">
                  Choose a playbook file…
                </Button>
              )}
            </FileButton>
            <Text size="xs" c="dimmed">
              or paste it below
            </Text>
          </Group>
          <Textarea label="Playbook (YAML)" autosize minRows={8} maxRows={20} value={yaml} onChange={(e) => setYaml(e.currentTarget.value)} error={fieldMessage(error, 'yaml')} classNames={{ input: 'ks-mono' }} data-testid="playbook-yaml" />
          {web && (
            <OwnerApiKeyInput
              label="API key, to allow its actions"
              description="A playbook's after-install actions run as the satellite's user, so importing one from a browser takes the satellite's API key too. Sent with this import only."
              value={apiKey}
              onChange={setApiKey}
              error={fieldMessage(error, 'tppl-api-key')}
              testId="playbook-api-key"
            />
          )}
          {error && <ErrorAlert title="The playbook was not imported" error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={run} loading={busy} disabled={!yaml.trim()} data-testid="playbook-import">
              {busy ? 'Requesting and installing…' : 'Import and install'}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
