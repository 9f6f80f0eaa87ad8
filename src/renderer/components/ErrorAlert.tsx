import { Alert, Button, Group, List, Text } from '@mantine/core';
import type { ClientErrorItem } from '../client/satellite-error';
import type { SatelliteError } from '../client/satellite-error';
import { differsForUser, inUserWords } from '../lib/user-words';

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
        <Text size="sm">{inUserWords(list[0]!.message)}</Text>
      ) : (
        <List size="sm" spacing={2}>
          {list.map((e, i) => (
            <List.Item key={i}>{inUserWords(e.message)}</List.Item>
          ))}
        </List>
      )}
      <TechnicalDetails items={list} />
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

/** What the satellite said, as the API said it (field paths, codes), for a bug report or a script. */
export function TechnicalDetails({ items }: { items: { code: number; message: string }[] }) {
  if (!items.some((e) => differsForUser(e.message) || e.code !== 0)) return null;
  return (
    <details className="ks-details">
      <summary>Details</summary>
      <Text size="xs" className="ks-mono" component="div">
        {items.map((e, i) => (
          <div key={i}>
            {e.code ? `${e.code}: ` : ''}
            {e.message}
          </div>
        ))}
      </Text>
    </details>
  );
}
