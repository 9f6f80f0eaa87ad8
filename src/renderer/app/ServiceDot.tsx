import { Anchor, Group, Text, Tooltip } from '@mantine/core';
import { hrefOf } from './routes';
import { useServicesStatus } from './ServicesStatusContext';

/** The header's key generation service state: a coloured dot and a word, linking to Services. */
export function ServiceDot() {
  const { data, error, loading } = useServicesStatus();
  const state = error ? 'unknown' : !data ? 'loading' : data.keyGeneration.active ? 'active' : 'inactive';
  const color = { active: 'var(--mantine-color-green-6)', inactive: 'var(--mantine-color-red-6)', unknown: 'var(--mantine-color-orange-6)', loading: 'var(--mantine-color-gray-5)' }[state];
  const word = { active: 'Active', inactive: 'Inactive', unknown: 'Unreachable', loading: loading ? 'Checking…' : '—' }[state];
  const tip = error ? error.message : data?.keyGeneration.reason ?? 'Checking the key generation service';
  return (
    <Tooltip label={tip} multiline w={320} withArrow>
      <Anchor href={hrefOf({ page: 'services' })} underline="never" c="inherit" data-testid="header-service-state" data-state={state}>
        <Group gap={8} wrap="nowrap">
          <span className="ks-dot" style={{ background: color }} aria-hidden="true" />
          <Text size="sm">
            Key generation service: <strong>{word}</strong>
          </Text>
        </Group>
      </Anchor>
    </Tooltip>
  );
}
