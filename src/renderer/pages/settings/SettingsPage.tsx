import { SimpleGrid, Stack } from '@mantine/core';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useRpc } from '../../hooks/useRpc';
import { ApplicationsCard } from './ApplicationsCard';
import { DekBackupCard } from './DekBackupCard';
import { ApiKeyCard, ServerTypesCard } from './OtherCards';
import { TemplatesCard } from './TemplatesCard';

export function SettingsPage() {
  const applications = useRpc('listApplications', {});
  const templates = useRpc('listIssuingTemplates', {});
  const serverTypes = useRpc('listServerTypes', {});
  const error = applications.error ?? templates.error ?? serverTypes.error;
  const reload = () => {
    applications.reload();
    templates.reload();
    serverTypes.reload();
  };
  return (
    <>
      <PageHeader title="Settings" description="Applications, issuing templates and access to this satellite." />
      {error && <ErrorAlert title="Settings could not be loaded" error={error} onRetry={reload} />}
      <Stack gap="md">
        <ApplicationsCard applications={applications.data ?? []} templates={templates.data ?? []} onChanged={applications.reload} />
        <TemplatesCard templates={templates.data ?? []} onChanged={templates.reload} />
        <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md">
          <ServerTypesCard serverTypes={serverTypes.data ?? []} />
          <ApiKeyCard />
          <DekBackupCard />
        </SimpleGrid>
      </Stack>
    </>
  );
}
