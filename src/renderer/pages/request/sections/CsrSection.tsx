import { Button, Card, FileButton, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { Controller, type Control } from 'react-hook-form';
import type { RequestFormValues } from '../../../lib/request-form';

/** New request: a CSR made elsewhere, pasted or chosen as a file. */
export function CsrSection({ control }: { control: Control<RequestFormValues> }) {
  return (
    <Card>
      <Title order={2} size="h5" mb="sm">
        Certificate signing request
      </Title>
      <Controller
        control={control}
        name="certificateSigningRequest"
        render={({ field, fieldState }) => (
          <Stack gap="xs">
            <Textarea label="CSR (PEM)" placeholder="-----BEGIN CERTIFICATE REQUEST-----" autosize minRows={6} maxRows={14} classNames={{ input: 'ks-mono' }} {...field} error={fieldState.error?.message} data-testid="field-csr" />
            <Group>
              <FileButton onChange={(file) => file?.text().then((t) => field.onChange(t))} accept=".csr,.pem,.req,.txt">
                {(props) => (
                  <Button variant="default" size="xs" {...props}>
                    Choose a .csr file…
                  </Button>
                )}
              </FileButton>
              <Text size="xs" c="dimmed">
                The subject and SANs come from the CSR; the template still decides what is allowed.
              </Text>
            </Group>
          </Stack>
        )}
      />
    </Card>
  );
}
