import type { z } from 'zod';

/** One problem with one input field, in the cloud's error vocabulary. */
export interface FieldError {
  /** Dotted path of the field, e.g. `csrAttributes.subjectAlternativeNamesByType.dnsNames.1`. */
  field: string;
  message: string;
  /** The offending value, when it is safe to echo back (never a secret). */
  value?: unknown;
}

/** Every problem at once, each naming its field: what the UI shows inline and the API returns. */
export function fieldErrorsFrom(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    // An unknown field is named by itself, so the UI and clients can point at it.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...issue.path.map(String), ...keys.slice(0, 1)].join('.');
    const field = [prefix, path].filter(Boolean).join('.') || prefix || '(body)';
    return { field, message: issue.message };
  });
}
