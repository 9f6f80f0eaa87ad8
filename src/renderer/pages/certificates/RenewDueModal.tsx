import { Alert, List, Modal, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { CertificateRecord } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { toSatelliteError } from '../../client/satellite-error';
import { DialogFooter } from '../../components/DialogFooter';

interface Outcome {
  done: number;
  renewed: number;
  /** PENDING: an offline (manual) template's CSR waits for its CA on the Requests page. */
  waiting: number;
  failed: { name: string; message: string }[];
}

/**
 * Renews the certificates due, one after another (each makes a new key and asks its template's
 * CA), with progress; a failure is listed and the rest go on.
 */
export function RenewDueModal({ certificates, onClose, onDone }: { certificates: CertificateRecord[]; onClose: () => void; onDone: () => void }) {
  const client = useClient();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const running = outcome !== null && outcome.done < certificates.length;
  const finished = outcome !== null && !running;
  const total = certificates.length;

  const renewAll = async () => {
    let current: Outcome = { done: 0, renewed: 0, waiting: 0, failed: [] };
    setOutcome(current);
    for (const certificate of certificates) {
      const name = certificate.subjectCN[0] ?? certificate.certificateName;
      try {
        const request = await client.call('renewCertificate', { id: certificate.id });
        if (request.status === 'ISSUED') current = { ...current, done: current.done + 1, renewed: current.renewed + 1 };
        else if (request.status === 'PENDING') current = { ...current, done: current.done + 1, waiting: current.waiting + 1 };
        else current = { ...current, done: current.done + 1, failed: [...current.failed, { name, message: request.errorInformation?.message ?? request.status }] };
      } catch (e) {
        current = { ...current, done: current.done + 1, failed: [...current.failed, { name, message: toSatelliteError(e).message }] };
      }
      setOutcome(current);
    }
    onDone();
  };

  return (
    <Modal opened onClose={running ? () => undefined : onClose} title="Renew the certificates due" centered size="lg" closeOnClickOutside={!running} withCloseButton={!running}>
      <Stack>
        {outcome === null && (
          <Text size="sm">
            {total === 1 ? '1 certificate gets' : `${total.toLocaleString()} certificates get`} a new key pair and a new certificate from its template’s CA, for the same names. The current certificates stay valid until they expire; revoke them once the new ones are in use.
          </Text>
        )}
        {running && (
          <Stack gap={4} data-testid="renew-due-progress">
            <Text size="sm" id="renew-due-progress-label">
              Renewing {Math.min(outcome.done + 1, total)} of {total}…
            </Text>
            <Progress value={(outcome.done / total) * 100} animated aria-labelledby="renew-due-progress-label" />
          </Stack>
        )}
        {finished && (
          <Alert color={outcome.failed.length ? 'orange' : 'green'} variant="light" data-testid="renew-due-result" title={`${outcome.renewed} of ${total} renewed${outcome.waiting ? `, ${outcome.waiting} waiting for their CA (see Requests)` : ''}`}>
            {outcome.failed.length > 0 ? (
              <>
                <Text size="sm">These were not renewed:</Text>
                <List size="sm" mt={4}>
                  {outcome.failed.map((f) => (
                    <List.Item key={f.name + f.message}>
                      <strong>{f.name}</strong>: {f.message}
                    </List.Item>
                  ))}
                </List>
              </>
            ) : (
              <Text size="sm">Download their keystores from each certificate’s page and install them where the old ones are.</Text>
            )}
          </Alert>
        )}
        <DialogFooter finished={finished} busy={running} onClose={onClose} onConfirm={() => void renewAll()} confirmLabel={`Renew ${total === 1 ? 'it' : `all ${total.toLocaleString()}`}`} testIdPrefix="renew-due" />
      </Stack>
    </Modal>
  );
}
