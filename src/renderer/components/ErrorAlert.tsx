import { Alert, Button, Group, List, Text } from '@mantine/core';
import type { ClientErrorItem } from '../client/satellite-error';
import type { SatelliteError } from '../client/satellite-error';

/** Every problem the satellite reported, with the one next step the user can take. */
export function ErrorAlert({ title, error, items, onRetry, retryLabel = 'Try again' }: {
  title: string;
  error?: SatelliteError | undefined;
  items?: ClientErrorItem[];
  onRetry?: () => void;
  retryLabel?: string;
}) {
  const list = items ?? error?.errors ?? [];
  if (list.length === 0) return null;
  return (
    <Alert color="red" variant="light" title={title} role="alert" data-testid="error-alert">
      {list.length === 1 ? (
        <Text size="sm">{list[0]!.message}</Text>
      ) : (
        <List size="sm" spacing={2}>
          {list.map((e, i) => (
            <List.Item key={i}>{e.message}</List.Item>
          ))}
        </List>
      )}
      {onRetry && (
        <Group mt="sm">
          <Button size="xs" variant="default" onClick={onRetry}>
            {retryLabel}
          </Button>
        </Group>
      )}
    </Alert>
  );
}
