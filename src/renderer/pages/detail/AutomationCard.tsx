import { Alert, Badge, Button, Card, Code, Group, List, Loader, Stack, Text, Timeline, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { describeRenewBefore, type AutomationDetail, type AutomationEvent, type Installation } from '../../../shared';
import { useNavigate } from '../../app/useRoute';
import { useClient } from '../../client/ClientContext';
import { toSatelliteError } from '../../client/satellite-error';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRpc } from '../../hooks/useRpc';
import { draftOf, INSTALLATION_FORMAT_LABELS, newAutomationDraft } from '../../lib/automation-draft';
import { formatDateTime } from '../../lib/format';
import { AutomationModal } from './AutomationModal';
import { ConfirmModal } from './ConfirmModal';
import { FactTable } from './Fields';

const STEP_LABELS: Record<AutomationEvent['step'], string> = {
  renew: 'Renewal',
  install: 'Files written',
  afterInstallAction: 'After-install action',
  installValidationAction: 'Validation',
  restore: 'Previous files restored',
};

function whereItGoes(i: Installation): string {
  if (i.format === 'PEM') return `${i.file}, ${i.chainFile}, ${i.keyFile} (key ${i.unencryptedKey ? 'unencrypted, 0600' : 'encrypted'})`;
  if (i.format === 'PKCS12') return `${i.file} (${i.useLegacyP12 ? 'Compatible' : 'Modern'})`;
  if (i.format === 'JKS') return `${i.file} (alias ${i.jksAlias})`;
  if (i.format === 'CAPI') return i.location ?? '';
  return i.keychain || 'the login keychain';
}

/**
 * The certificate page's "Automatic renewal and installation": where it is installed, when it is
 * renewed next, what the last run did (with each action's exit code and output), and the buttons.
 */
export function AutomationCard({ certificateId, commonName, unavailable, renewable }: { certificateId: string; commonName: string; unavailable?: string; renewable: boolean }) {
  const client = useClient();
  const navigate = useNavigate();
  const state = useRpc('getCertificateAutomation', { certificateId }, { refreshMs: 15_000 });
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [running, setRunning] = useState<'install' | 'renew' | null>(null);
  const automation = state.data?.automation;

  const run = async (renew: boolean) => {
    if (!automation) return;
    setRunning(renew ? 'renew' : 'install');
    try {
      const done = await client.call('runAutomation', { id: automation.id, renew });
      // A failure stays on the card (and its page, after a renewal); the toast only points at it.
      notifications.show(done.lastResult?.ok ? { color: 'green', message: done.lastResult.message } : { color: 'red', title: 'That did not work', message: 'What failed and why is on the card "Automatic renewal and installation".', autoClose: 8000 });
      // Renewed: the automation now keeps the new certificate installed, and its page says how that went.
      if (done.certificateId !== certificateId) navigate({ page: 'certificate', id: done.certificateId });
      else state.reload();
    } catch (e) {
      notifications.show({ color: 'red', title: 'That did not work', message: toSatelliteError(e).message, autoClose: false });
    } finally {
      setRunning(null);
    }
  };

  const remove = async () => {
    if (!automation) return;
    try {
      await client.call('deleteAutomation', { id: automation.id });
      notifications.show({ color: 'green', message: 'No longer renewed or installed automatically; the files in place stay.' });
      state.reload();
    } catch (e) {
      notifications.show({ color: 'red', title: 'That did not work', message: toSatelliteError(e).message, autoClose: false });
    } finally {
      setRemoving(false);
    }
  };

  return (
    <Card data-testid="automation-card">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          Automatic renewal and installation
        </Title>
        {automation?.lastResult && (
          <Badge color={automation.lastResult.ok ? 'green' : 'red'} data-testid="automation-last-result-badge">
            {automation.lastResult.ok ? 'Installed' : 'Failed'}
          </Badge>
        )}
      </Group>
      {state.loading && !state.data ? (
        <Group gap="xs">
          <Loader size="xs" /> <Text size="sm">Loading…</Text>
        </Group>
      ) : state.error ? (
        <ErrorAlert title="Could not load the automation" error={state.error} onRetry={state.reload} />
      ) : !automation ? (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {unavailable ?? 'Not renewed or installed by the satellite: you carry each renewed certificate to your servers yourself.'}
          </Text>
          {!unavailable && (
            <Group>
              <Button size="xs" onClick={() => setEditing(true)} data-testid="automation-set-up">
                Renew and install automatically…
              </Button>
            </Group>
          )}
        </Stack>
      ) : (
        <AutomationFacts automation={automation} running={running} onRun={run} onEdit={() => setEditing(true)} onRemove={() => setRemoving(true)} />
      )}
      {editing && (
        <AutomationModal
          opened
          draft={automation ? draftOf(automation) : newAutomationDraft(certificateId, commonName, renewable)}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            state.reload();
          }}
        />
      )}
      <ConfirmModal
        opened={removing}
        title="Stop renewing and installing this certificate?"
        body="The satellite stops renewing it and stops writing its files. The files in place stay as they are, and so does this certificate."
        confirmLabel="Stop"
        tone="primary"
        busy={false}
        onClose={() => setRemoving(false)}
        onConfirm={remove}
      />
    </Card>
  );
}

function AutomationFacts({ automation: a, running, onRun, onEdit, onRemove }: { automation: AutomationDetail; running: 'install' | 'renew' | null; onRun: (renew: boolean) => void; onEdit: () => void; onRemove: () => void }) {
  return (
    // Serials and paths are long unbroken words: they wrap inside the narrow column instead of running out of it.
    <Stack gap="sm" style={{ overflowWrap: 'anywhere' }}>
      {a.lastResult && !a.lastResult.ok && (
        <Alert color="red" title="The last run failed" data-testid="automation-failure">
          <Text size="sm">{a.lastResult.message}</Text>
          <Text size="sm" mt={4}>
            The satellite tries again by itself{a.nextAttemptAt ? ` at ${formatDateTime(a.nextAttemptAt)}` : ''}. Fix the cause (see the history below), then Install now.
          </Text>
        </Alert>
      )}
      <FactTable
        rows={[
          ['Name', a.name + (a.source.kind === 'playbook' ? ` (playbook ${a.source.file})` : '')],
          ['Renews', a.nextRenewalAt ? <span data-testid="automation-next-renewal">{formatDateTime(a.nextRenewalAt)}: {a.nextRenewalReason}</span> : describeRenewBefore(a.renewBefore)],
          [
            'Last result',
            a.lastResult ? <span data-testid="automation-last-result">{formatDateTime(a.lastResult.at)}: {a.lastResult.ok ? a.lastResult.message : `failed after ${a.failures} attempt${a.failures === 1 ? '' : 's'} (above)`}</span> : 'not run yet',
          ],
          [
            'Installed in',
            <List key="where" size="sm" spacing={2}>
              {a.installations.map((i, n) => (
                <List.Item key={n}>
                  {INSTALLATION_FORMAT_LABELS[i.format]}: <span className="ks-mono">{whereItGoes(i)}</span>
                  {i.afterInstallAction && (
                    <Text size="xs" c="dimmed">
                      then <span className="ks-mono">{i.afterInstallAction}</span>
                    </Text>
                  )}
                  {i.installValidationAction && (
                    <Text size="xs" c="dimmed">
                      checked by <span className="ks-mono">{i.installValidationAction}</span>
                    </Text>
                  )}
                </List.Item>
              ))}
            </List>,
          ],
        ]}
      />
      <Group gap="xs">
        <Button size="xs" onClick={() => onRun(false)} loading={running === 'install'} disabled={running !== null} data-testid="automation-install-now">
          Install now
        </Button>
        <Button size="xs" variant="light" onClick={() => onRun(true)} loading={running === 'renew'} disabled={running !== null} data-testid="automation-renew-now">
          Renew and install now
        </Button>
        <Button size="xs" variant="default" onClick={onEdit} disabled={running !== null}>
          Change…
        </Button>
        <Button size="xs" variant="subtle" color="red" onClick={onRemove} disabled={running !== null}>
          Stop…
        </Button>
      </Group>
      {running && (
        <Group gap="xs" aria-live="polite">
          <Loader size="xs" /> <Text size="sm">{running === 'renew' ? 'Renewing, writing the files and running the actions…' : 'Writing the files and running the actions…'}</Text>
        </Group>
      )}
      <details className="ks-details" data-testid="automation-history">
        <summary>History ({a.history.length})</summary>
        <Timeline bulletSize={12} lineWidth={2} mt="xs">
          {a.history.map((e, n) => (
            <Timeline.Item key={n} color={e.ok ? 'green' : 'red'} title={<Text size="sm" fw={500}>{STEP_LABELS[e.step]}{e.ok ? '' : ': failed'}</Text>} data-testid="automation-event" data-step={e.step} data-ok={e.ok}>
              <Text size="xs" c="dimmed">
                {formatDateTime(e.at)}
                {e.installation ? ` · place ${e.installation}` : ''}
                {e.serialNumber ? ` · serial ${e.serialNumber}` : ''}
              </Text>
              <Text size="sm">{e.message}</Text>
              {e.command && (
                <Text size="xs">
                  <span className="ks-mono">{e.command}</span> → exit {e.exitCode ?? 'none (stopped)'}
                </Text>
              )}
              {e.output?.trim() && (
                // Wrapped, not scrolled: the whole output reads without a scroll region to reach by keyboard.
                <Code block data-testid="automation-output" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {e.output.trim()}
                </Code>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      </details>
    </Stack>
  );
}
