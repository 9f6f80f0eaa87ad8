import { Alert, Anchor, Badge, Card, Group, List, Text, Title } from '@mantine/core';
import type { AutomationStatus } from '../../../shared/services-status';
import { hrefOf } from '../../app/routes';
import { formatDateTime } from '../../lib/format';

/** Services: the scheduler that renews and installs certificates, and every automation whose last run failed. */
export function AutomationStatusCard({ automation }: { automation: AutomationStatus }) {
  const failing = automation.failing.length;
  return (
    <Card data-testid="automation-status" data-failing={failing}>
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={2} size="h5">
            Automatic renewal and installation
          </Title>
          <Text size="xs" c="dimmed">
            Looks every {automation.tickSeconds} s; catches up at start on what it missed while stopped
          </Text>
        </div>
        <Badge color={failing ? 'red' : 'green'} variant="light">
          {failing ? `${failing} failing` : automation.total ? 'All installed' : 'Nothing automated'}
        </Badge>
      </Group>
      {automation.total === 0 ? (
        <Text size="sm">No certificate is renewed and installed automatically yet. Open a certificate and choose “Renew and install automatically…”, or import a VCert playbook on Certificates.</Text>
      ) : (
        <Text size="sm">
          {automation.total} certificate{automation.total === 1 ? '' : 's'} renewed and installed by the satellite.
        </Text>
      )}
      {failing > 0 && (
        <Alert color="red" variant="light" mt="xs" title="Failing">
          <List size="sm" spacing={4}>
            {automation.failing.map((f) => (
              <List.Item key={f.id}>
                <Anchor href={hrefOf({ page: 'certificate', id: f.certificateId })} size="sm" underline="always" style={{ color: 'inherit', fontWeight: 600 }}>
                  {f.name}
                </Anchor>
                : {f.message}
                {f.nextAttemptAt ? ` (tried again at ${formatDateTime(f.nextAttemptAt)})` : ''}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Card>
  );
}
