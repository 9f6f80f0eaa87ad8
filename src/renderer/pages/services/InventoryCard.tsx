import { Alert, Badge, Card, Group, Text, Title } from '@mantine/core';
import type { InventoryStatus } from '../../../shared/services-status';

const STATE_WORDS: Record<InventoryStatus['state'], { word: string; color: string }> = {
  ok: { word: 'Sound', color: 'green' },
  'disk-full': { word: 'Disk full', color: 'orange' },
  damaged: { word: 'Damaged', color: 'red' },
};

/** Services: the inventory file, and when it is full or damaged, what that stops and the way out. */
export function InventoryCard({ inventory }: { inventory: InventoryStatus }) {
  const state = STATE_WORDS[inventory.state];
  return (
    <Card data-testid="inventory-status" data-state={inventory.state}>
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={2} size="h5">
            Inventory
          </Title>
          <Text size="xs" c="dimmed">
            Requests, certificates and sealed keys, in one file on this machine
          </Text>
        </div>
        <Badge color={state.color} variant="light">
          {state.word}
        </Badge>
      </Group>
      <Text size="sm" mb={inventory.nextStep ? 'xs' : 4}>
        {inventory.message}
      </Text>
      {inventory.nextStep && (
        <Alert color={state.color} variant="light" mb="xs" title="Next step">
          {inventory.nextStep}
        </Alert>
      )}
      <Text size="xs" c="dimmed" className="ks-mono" style={{ overflowWrap: 'anywhere' }}>
        {inventory.file}
      </Text>
    </Card>
  );
}
