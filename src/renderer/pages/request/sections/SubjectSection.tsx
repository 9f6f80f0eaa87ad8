import { SimpleGrid, Text, TextInput, Title, Card } from '@mantine/core';
import type { Control, FieldErrors, UseFormRegister } from 'react-hook-form';
import { countryName } from '../../../../shared/validation/country-codes';
import type { RequestFormValues } from '../../../lib/request-form';
import { ListField } from '../ListField';

/** The code's country by name, so AU (Australia) and AT (Austria) cannot be mixed up. */
function countryDescription(value: string): string {
  const name = value.trim() ? countryName(value) : undefined;
  return name ? `${value.trim().toUpperCase()} — ${name}` : 'Two-letter ISO 3166 code, e.g. AT for Austria';
}

/** New request: the subject and the subject alternative names, for a key the satellite makes. */
export function SubjectSection({ control, register, errors, country }: { control: Control<RequestFormValues>; register: UseFormRegister<RequestFormValues>; errors: FieldErrors<RequestFormValues>; country: string }) {
  return (
    <>
      <Card>
        <Title order={2} size="h5" mb="sm">
          Subject
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          <TextInput label="Common name" placeholder="www.example.com" withAsterisk {...register('commonName')} error={errors.commonName?.message} data-testid="field-commonName" />
          <TextInput label="Organization" placeholder="Example, Inc." {...register('organization')} error={errors.organization?.message} data-testid="field-organization" />
          <TextInput label="Locality" placeholder="Salt Lake City" {...register('locality')} error={errors.locality?.message} data-testid="field-locality" />
          <TextInput label="State" placeholder="Utah" {...register('state')} error={errors.state?.message} data-testid="field-state" />
          <TextInput label="Country" placeholder="US" description={countryDescription(country)} {...register('country')} error={errors.country?.message} data-testid="field-country" />
          <ListField name="organizationalUnits" label="Organizational units" itemLabel="organizational unit" placeholder="Quality Assurance" control={control} register={register} errors={errors} />
        </SimpleGrid>
      </Card>
      <Card>
        <Title order={2} size="h5" mb={4}>
          Subject alternative names
        </Title>
        <Text size="xs" c="dimmed" mb="sm">
          Browsers check these, not the common name: list every host name the certificate must cover.
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <ListField name="dnsNames" label="DNS names" itemLabel="DNS name" placeholder="www.example.com" control={control} register={register} errors={errors} />
          <ListField name="ipAddresses" label="IP addresses" itemLabel="IP address" placeholder="192.0.2.10" control={control} register={register} errors={errors} />
          <ListField name="rfc822Names" label="Email addresses" itemLabel="email address" placeholder="admin@example.com" control={control} register={register} errors={errors} />
          <ListField name="uniformResourceIdentifiers" label="URIs" itemLabel="URI" placeholder="spiffe://example.com/service" control={control} register={register} errors={errors} />
        </SimpleGrid>
      </Card>
    </>
  );
}
