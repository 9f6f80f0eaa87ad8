import { Badge, Button, Group, Loader, Stack, Text } from '@mantine/core';
import type { RenewalAdvice } from '../../../shared/renewal';
import { useRpc } from '../../hooks/useRpc';
import { formatDate } from '../../lib/format';

const STATE: Record<RenewalAdvice['state'], { label: string; color: string }> = {
  NOT_YET: { label: 'Not due yet', color: 'gray' },
  DUE: { label: 'Renewal due', color: 'yellow' },
  LATE: { label: 'Renew now', color: 'red' },
  EXPIRED: { label: 'Expired: renew now', color: 'red' },
};

/** When to renew this certificate; asks the CA (ACME Renewal Information), so it loads on its own. */
export function RenewalAdviceText({ id }: { id: string }) {
  const advice = useRpc('getRenewalAdvice', { id });
  if (advice.loading && !advice.data) {
    return (
      <Group gap={6} aria-live="polite">
        <Loader size="xs" />
        <Text size="sm">Asking the CA when to renew…</Text>
      </Group>
    );
  }
  if (advice.error || !advice.data) {
    return (
      <Group gap={6}>
        <Text size="sm" c="red">
          Could not work out when to renew: {advice.error?.message ?? 'no answer'}
        </Text>
        <Button size="compact-xs" variant="default" onClick={advice.reload}>
          Try again
        </Button>
      </Group>
    );
  }
  const a = advice.data;
  const state = STATE[a.state];
  return (
    <Stack gap={2} data-testid="renewal-advice" data-state={a.state} data-source={a.source}>
      <Text size="sm">
        <Badge size="sm" color={state.color} variant="light" mr={6} style={{ textTransform: 'none' }}>
          {state.label}
        </Badge>
        between {formatDate(a.start)} and {formatDate(a.end)}
      </Text>
      <Text size="xs" c="dimmed">
        {a.source === 'CA' ? 'The CA’s suggestion: ' : 'No suggestion from the CA: '}
        {a.reason}.
        {/* Shown, not linked: the address comes from the CA, and the desktop app opens no outside pages. */}
        {a.explanationUrl && <> The CA explains this window at {a.explanationUrl}</>}
      </Text>
    </Stack>
  );
}
