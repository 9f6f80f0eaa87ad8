import { Card, NumberInput, Select, SimpleGrid, Title } from '@mantine/core';
import { Controller, type Control } from 'react-hook-form';
import { CURVE_LABELS, type EcCurve, type IssuingTemplate, type RsaKeyLength } from '../../../../shared';
import type { KeyGenerationChoice, RequestFormValues } from '../../../lib/request-form';

// Browsers (Chrome, Firefox, Safari) do not accept Ed25519 certificates for TLS: say so where it is picked.
export const CURVE_LABEL = { ...CURVE_LABELS, ED25519: `${CURVE_LABELS.ED25519} (browsers refuse it)` };

/** New request: the key type the template allows, and the validity within its maximum. */
export function KeyAndValiditySection({
  control,
  keyGeneration,
  keyType,
  template,
  limits,
  validity,
}: {
  control: Control<RequestFormValues>;
  keyGeneration: KeyGenerationChoice;
  keyType: 'RSA' | 'EC';
  template: IssuingTemplate | undefined;
  limits: { rsa: readonly RsaKeyLength[]; ec: readonly EcCurve[] };
  validity: { defaultDays: number; maxDays: number } | undefined;
}) {
  return (
    <Card>
      <Title order={2} size="h5" mb="sm">
        Key and validity
      </Title>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
        {keyGeneration === 'SATELLITE' && (
          <>
            <Controller
              control={control}
              name="keyType"
              render={({ field, fieldState }) => (
                <Select
                  label="Key type"
                  data={[
                    { value: 'RSA', label: 'RSA', disabled: !!template && limits.rsa.length === 0 },
                    { value: 'EC', label: 'Elliptic curve (EC)', disabled: !!template && limits.ec.length === 0 },
                  ]}
                  value={field.value}
                  onChange={(v) => field.onChange(v ?? 'RSA')}
                  ref={field.ref}
                  error={fieldState.error?.message}
                  data-testid="field-keyType"
                />
              )}
            />
            {keyType === 'RSA' ? (
              <Controller
                control={control}
                name="keyLength"
                render={({ field, fieldState }) => (
                  <Select
                    label="Key length"
                    data={(template ? limits.rsa : [2048, 3072, 4096]).map((n) => ({ value: String(n), label: `${n} bits` }))}
                    value={String(field.value)}
                    onChange={(v) => field.onChange(Number(v))}
                    ref={field.ref}
                    error={fieldState.error?.message}
                    description={field.value >= 4096 ? 'Slower to generate and to use; 2048 or 3072 suit most servers' : undefined}
                    data-testid="field-keyLength"
                  />
                )}
              />
            ) : (
              <Controller
                control={control}
                name="keyCurve"
                render={({ field, fieldState }) => (
                  <Select
                    label="Curve"
                    data={(template ? limits.ec : (['P256', 'P384', 'P521', 'ED25519'] as const)).map((c) => ({ value: c, label: CURVE_LABEL[c] }))}
                    value={field.value}
                    onChange={(v) => field.onChange(v)}
                    ref={field.ref}
                    error={fieldState.error?.message}
                    data-testid="field-keyCurve"
                  />
                )}
              />
            )}
          </>
        )}
        <Controller
          control={control}
          name="validityDays"
          render={({ field, fieldState }) => (
            <NumberInput
              label="Validity (days)"
              min={1}
              max={validity?.maxDays}
              // Never change what was typed: over the maximum is refused with the maximum named.
              clampBehavior="none"
              allowDecimal={false}
              value={field.value}
              onChange={(v) => field.onChange(v === '' ? '' : Number(v))}
              onBlur={field.onBlur}
              ref={field.ref}
              error={fieldState.error?.message}
              description={validity ? `Default ${validity.defaultDays} days, at most ${validity.maxDays}` : 'Choose a template to see its limits'}
              data-testid="field-validityDays"
            />
          )}
        />
      </SimpleGrid>
    </Card>
  );
}
