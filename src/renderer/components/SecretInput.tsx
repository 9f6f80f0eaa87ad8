import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { useId } from 'react';

/**
 * PasswordInput with its error and description tied to the input for assistive tech:
 * Mantine's PasswordInput leaves aria-invalid and aria-describedby off its inner input.
 */
export function SecretInput(props: PasswordInputProps & { 'data-testid'?: string }) {
  const generated = useId();
  const id = props.id ?? `secret-${generated.replace(/:/g, '')}`;
  const describedBy = [props.error ? `${id}-error` : '', props.description ? `${id}-description` : ''].filter(Boolean).join(' ');
  return <PasswordInput {...props} id={id} aria-invalid={props.error ? true : undefined} aria-describedby={describedBy || undefined} />;
}
