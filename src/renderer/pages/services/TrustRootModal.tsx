import { Badge, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { TrustChange, TrustStep } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { SatelliteError } from '../../client/satellite-error';
import { DialogFooter } from '../../components/DialogFooter';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OwnerApiKeyInput } from '../../components/OwnerApiKeyInput';
import { useAction } from '../../hooks/useAction';
import { fieldMessage, unplacedErrors } from '../../lib/field-message';

export type TrustRootAction = 'trust' | 'untrust';

const OUTCOME_COLOR: Record<TrustStep['outcome'], string> = { done: 'green', skipped: 'gray', failed: 'red' };
const OUTCOME_LABEL: Record<TrustStep['outcome'], string> = { done: 'Done', skipped: 'Skipped', failed: 'Failed' };
const STORE_LABEL: Record<TrustStep['store'], string> = { system: 'System store', nss: 'Chromium and Firefox', java: 'Java' };

/**
 * Trust the built-in CA on the computer the satellite runs on (mkcert -install), or take it back:
 * what it changes is said first, each store's outcome after, in the dialog where the person looks.
 */
export function TrustRootModal({ action, onClose, onChanged }: { action: TrustRootAction | undefined; onClose: () => void; onChanged: () => void }) {
  const client = useClient();
  const [apiKey, setApiKey] = useState('');
  const [result, setResult] = useState<TrustChange>();
  const { busy, error, runAction, setError } = useAction();
  // The trust stores are the satellite's machine's: from a browser, the owner's key goes with the call.
  const asksForApiKey = client.transport === 'web';
  const trusting = action === 'trust';

  const close = () => {
    setResult(undefined);
    setApiKey('');
    setError(undefined);
    onClose();
  };
  const run = () =>
    runAction(async () => {
      const change = await client.call(trusting ? 'trustBuiltinRoot' : 'untrustBuiltinRoot', {}, asksForApiKey ? { apiKey } : undefined);
      setResult(change);
      onChanged();
    });

  return (
    <Modal opened={action !== undefined} onClose={close} title={trusting ? 'Trust the built-in CA on this computer' : 'Stop trusting the built-in CA on this computer'} size="lg">
      <Stack gap="sm">
        {trusting ? (
          <Text size="sm">
            Adds the built-in CA&apos;s root to the trust stores of the computer the satellite runs on: the system store (curl, OpenSSL and most programs; needs the satellite to run as root), the NSS databases of Chromium and Firefox, and Java&apos;s cacerts. Browsers and programs there will then accept every certificate this CA issues, so keep the DEK backed up and this satellite&apos;s API key to yourself.
          </Text>
        ) : (
          <Text size="sm">Removes the root from exactly the stores the satellite added it to. Certificates of this CA are then refused there again.</Text>
        )}
        {asksForApiKey && !result && (
          <OwnerApiKeyInput
            label="API key, to allow changing the trust stores"
            description="The stores are those of the computer the satellite runs on, which may not be the one this browser runs on. The key is sent with this call only, never stored here."
            value={apiKey}
            onChange={setApiKey}
            error={fieldMessage(error, 'tppl-api-key')}
            testId="trust-root-api-key"
          />
        )}
        {result && <TrustSteps steps={result.steps} />}
        {error && unplacedErrors(error, ['tppl-api-key']).length > 0 && <ErrorAlert title={trusting ? 'Not trusted' : 'Not removed'} error={new SatelliteError(unplacedErrors(error, ['tppl-api-key']))} />}
        <DialogFooter finished={result !== undefined} busy={busy} onClose={close} onConfirm={() => void run()} confirmLabel={trusting ? 'Trust on this computer' : 'Remove from the trust stores'} confirmColor={trusting ? undefined : 'red'} testIdPrefix="trust-root" />
      </Stack>
    </Modal>
  );
}

/** Each store's outcome, in the words the satellite gave. */
function TrustSteps({ steps }: { steps: TrustStep[] }) {
  if (steps.length === 0) return <Text size="sm" data-testid="trust-root-steps">Nothing to do: the satellite had not added the root to any store.</Text>;
  return (
    <List spacing="xs" listStyleType="none" data-testid="trust-root-steps">
      {steps.map((step, n) => (
        <List.Item key={n} data-store={step.store} data-outcome={step.outcome}>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Badge color={OUTCOME_COLOR[step.outcome]} variant="light" miw={72}>
              {OUTCOME_LABEL[step.outcome]}
            </Badge>
            <Text size="sm">
              <b>{STORE_LABEL[step.store]}</b> <span className="ks-mono">{step.where}</span>: {step.detail}
            </Text>
          </Group>
        </List.Item>
      ))}
    </List>
  );
}
