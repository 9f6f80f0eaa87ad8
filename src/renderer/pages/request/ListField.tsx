import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useFieldArray, type Control, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import { PlusIcon, TrashIcon } from '../../components/icons';
import type { RequestFormValues, SanKind } from '../../lib/request-form';

type ListName = 'organizationalUnits' | SanKind;

/** A list of one kind of value (OUs, DNS names, ...) with add and remove, each row labelled for screen readers. */
export function ListField({ name, label, itemLabel, placeholder, control, register, errors }: {
  name: ListName;
  label: string;
  /** Singular, lower case: "DNS name". */
  itemLabel: string;
  placeholder: string;
  control: Control<RequestFormValues>;
  register: UseFormRegister<RequestFormValues>;
  errors: FieldErrors<RequestFormValues>;
}) {
  const { fields, append, remove } = useFieldArray({ control, name });
  const listErrors = errors[name];
  return (
    <Stack gap={6} data-testid={`list-${name}`}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500} id={`${name}-label`}>
          {label}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<PlusIcon />}
          onClick={() => append({ value: '' }, { shouldFocus: true })}
          data-testid={`add-${name}`}
        >
          Add {itemLabel}
        </Button>
      </Group>
      {fields.length === 0 && (
        <Text size="xs" c="dimmed">
          None. Use “Add {itemLabel}” to add one.
        </Text>
      )}
      {fields.map((field, i) => (
        <Group key={field.id} gap={6} wrap="nowrap" align="flex-start">
          <TextInput
            {...register(`${name}.${i}.value` as const)}
            aria-label={`${itemLabel[0]!.toUpperCase()}${itemLabel.slice(1)} ${i + 1}`}
            placeholder={placeholder}
            error={Array.isArray(listErrors) ? listErrors[i]?.value?.message : undefined}
            style={{ flex: 1 }}
            data-testid={`${name}-${i}`}
          />
          <ActionIcon variant="subtle" color="gray" size="lg" onClick={() => remove(i)} aria-label={`Remove ${itemLabel} ${i + 1}`} data-testid={`remove-${name}-${i}`}>
            <TrashIcon />
          </ActionIcon>
        </Group>
      ))}
      {!Array.isArray(listErrors) && listErrors?.message && (
        <Text size="xs" c="red" role="alert">
          {String(listErrors.message)}
        </Text>
      )}
    </Stack>
  );
}
