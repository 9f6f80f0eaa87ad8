import { Button, FileButton, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { CertificateRequestRecord } from '../../../shared';
import { useNavigate } from '../../app/useRoute';
import { useClient } from '../../client/ClientContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useAction } from '../../hooks/useAction';
import { fieldMessage, unplacedErrors } from '../../lib/field-message';
import { hasPemBlock } from '../../lib/files';
import { requestCommonName } from '../../lib/request-list';

/** The offline flow's second half: the certificate an outside CA issued for this request's CSR. */
export function ImportIssuedModal({ request, onClose }: { request: CertificateRequestRecord; onClose: () => void }) {
  const client = useClient();
  const navigate = useNavigate();
  const [pem, setPem] = useState('');
  const { busy, error, setError, runAction } = useAction();
  const [localError, setLocalError] = useState<string>();

  const submit = async () => {
    setError(undefined);
    if (!hasPemBlock(pem, 'CERTIFICATE')) {
      setLocalError('Paste the certificate the CA issued (a -----BEGIN CERTIFICATE----- block, with its chain if you have it), or choose its .pem, .crt or .cer file');
      return;
    }
    setLocalError(undefined);
    await runAction(async () => {
      const certificate = await client.call('importIssuedCertificate', { pem });
      notifications.show({ color: 'green', message: `Certificate for ${certificate.subjectCN[0] ?? requestCommonName(request)} imported: the request is ISSUED` });
      onClose();
      navigate({ page: 'certificate', id: certificate.id });
    });
  };

  return (
    <Modal opened onClose={onClose} title="Import issued certificate" size="lg" centered>
      <Stack>
        <Text size="sm">
          The certificate the CA issued for <strong>{requestCommonName(request)}</strong>. The satellite matches it to this request’s key by its public key, then marks the request ISSUED.
        </Text>
        <Textarea
          label="Certificate (PEM)"
          description="The certificate first, then its chain (intermediates, root), as the CA sent them"
          placeholder="-----BEGIN CERTIFICATE-----"
          autosize
          minRows={8}
          maxRows={16}
          classNames={{ input: 'ks-mono' }}
          value={pem}
          onChange={(e) => setPem(e.currentTarget.value)}
          error={localError ?? fieldMessage(error, 'pem')}
          data-testid="issued-pem"
          data-autofocus
        />
        <Group>
          <FileButton onChange={(file) => file?.text().then(setPem)} accept=".pem,.crt,.cer,.txt">
            {(props) => (
              <Button variant="default" size="xs" {...props} data-testid="issued-file">
                Choose a .pem, .crt or .cer file…
              </Button>
            )}
          </FileButton>
          <Text size="xs" c="dimmed">
            DER (binary) files: convert with openssl x509 -inform DER -in cert.cer first.
          </Text>
        </Group>
        {error && <ErrorAlert title="Not imported" items={unplacedErrors(error, ['pem'])} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} loading={busy} data-testid="confirm-import-issued">
            Import certificate
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
