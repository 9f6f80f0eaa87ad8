import { Alert, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { BuiltinCaSummary } from '../../../shared';
import { describeNameConstraints, listEntries } from '../../../shared/name-constraints';
import { useClient } from '../../client/ClientContext';
import { SatelliteError } from '../../client/satellite-error';
import { DialogFooter } from '../../components/DialogFooter';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OwnerApiKeyInput } from '../../components/OwnerApiKeyInput';
import { useAction } from '../../hooks/useAction';
import { fieldMessage, unplacedErrors } from '../../lib/field-message';

const FIELDS = ['nameConstraints.dns', 'nameConstraints.ip', 'tppl-api-key'] as const;

/**
 * The root signs a new issuing CA (a new key, optionally name-constrained): what changes and what
 * stays is said before, and the issuing CA that issues now after, where the person is looking.
 */
export function NewIssuingCaModal({ ca, opened, onClose, onChanged }: { ca: BuiltinCaSummary; opened: boolean; onClose: () => void; onChanged: () => void }) {
  const client = useClient();
  const [dns, setDns] = useState('');
  const [ip, setIp] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [result, setResult] = useState<BuiltinCaSummary>();
  const { busy, error, runAction, setError } = useAction();
  // What signs every certificate from now on: from a browser, the owner's key goes with the call.
  const asksForApiKey = client.transport === 'web';
  const current = ca.issuingCas.find((i) => i.issues);

  const close = () => {
    setResult(undefined);
    setDns('');
    setIp('');
    setApiKey('');
    setError(undefined);
    onClose();
  };
  const run = () =>
    runAction(async () => {
      const constrained = dns.trim() !== '' || ip.trim() !== '';
      const made = await client.call('newIssuingCa', constrained ? { nameConstraints: { dns: listEntries(dns), ip: listEntries(ip) } } : {}, asksForApiKey ? { apiKey } : undefined);
      setResult(made);
      onChanged();
    });
  const now = result?.issuingCas.find((i) => i.issues);

  return (
    <Modal opened={opened} onClose={close} title="New issuing CA" size="lg">
      <Stack gap="sm">
        {!result && (
          <>
            <Text size="sm">
              The root signs a new issuing CA with a new key, and it signs every certificate the built-in CA issues from then on. The one issuing now{current ? ` (${current.subject})` : ''} issues nothing more; what it issued stays valid, and its CRL and OCSP answers go on. Clients that trust the root need nothing new.
            </Text>
            <Textarea
              label="Permitted DNS names"
              description="One per line, or separated by commas. Leave empty for an issuing CA that may issue for any name. Each name permits itself and every name below it (internal.example.com permits web.internal.example.com)."
              placeholder="internal.example.com"
              autosize
              minRows={2}
              value={dns}
              onChange={(e) => setDns(e.currentTarget.value)}
              error={fieldMessage(error, 'nameConstraints.dns')}
              data-testid="new-issuing-ca-dns"
            />
            <Textarea
              label="Permitted IP ranges"
              description="CIDR ranges, one per line or separated by commas, e.g. 10.0.0.0/8. With DNS names and no range, it may issue for no IP address at all."
              placeholder="10.0.0.0/8"
              autosize
              minRows={1}
              value={ip}
              onChange={(e) => setIp(e.currentTarget.value)}
              error={fieldMessage(error, 'nameConstraints.ip')}
              data-testid="new-issuing-ca-ip"
            />
            {asksForApiKey && (
              <OwnerApiKeyInput
                label="API key, to allow a new issuing CA"
                description="What signs every certificate from now on is the owner's decision. The key is sent with this call only, never stored here."
                value={apiKey}
                onChange={setApiKey}
                error={fieldMessage(error, 'tppl-api-key')}
                testId="new-issuing-ca-api-key"
              />
            )}
          </>
        )}
        {result && now && (
          <Alert color="green" title="The new issuing CA issues from now on" data-testid="new-issuing-ca-result">
            <Text size="sm">
              {now.subject}, valid until {new Date(now.notAfter).toLocaleDateString()}.{' '}
              {result.nameConstraints ? `It may issue only for ${describeNameConstraints(result.nameConstraints)}.` : 'It has no name constraints.'} The ones before it answer CRL and OCSP for what they issued.
            </Text>
          </Alert>
        )}
        {error && unplacedErrors(error, FIELDS).length > 0 && <ErrorAlert title="No new issuing CA" error={new SatelliteError(unplacedErrors(error, FIELDS))} />}
        <DialogFooter finished={result !== undefined} busy={busy} onClose={close} onConfirm={() => void run()} confirmLabel="Make the new issuing CA" testIdPrefix="new-issuing-ca" />
      </Stack>
    </Modal>
  );
}
