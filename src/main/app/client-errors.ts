import type { z } from 'zod';
import { ERROR_CODES } from '../../shared/error-codes';
import { fieldErrorsFrom } from '../../shared/field-errors';
import type { ClientError } from '../../shared/client';
import { SatelliteError } from '../core/common/errors';

// What the renderer may learn when a call fails. Only deliberate SatelliteErrors (whose messages
// the core writes to be shown) pass through; anything else becomes a generic message, because an
// unexpected error's text can carry paths, key material or library internals.

/** Every invalid field at once, each message naming its field; values are never echoed (they may be passphrases). */
export function validationError(error: z.ZodError, prefix = ''): ClientError {
  return {
    errors: fieldErrorsFrom(error, prefix).map(({ field, message }) => ({
      code: ERROR_CODES.VALIDATION,
      message: namesField(message, field) ? message : `${field}: ${message}`,
      args: { field },
    })),
  };
}

function namesField(message: string, field: string): boolean {
  const leaf = field.split('.').filter((part) => !/^\d+$/.test(part)).pop() ?? field;
  return message.includes(leaf);
}

export function clientError(code: number, message: string, args?: unknown): ClientError {
  return { errors: [args === undefined ? { code, message } : { code, message, args }] };
}

export const INTERNAL_ERROR_MESSAGE = 'The satellite hit an internal error; details are in its log file.';

/** The safe form of an error thrown by the service. */
export function toClientError(error: unknown): ClientError {
  if (error instanceof SatelliteError) return clientError(error.code, error.message, error.args);
  return clientError(ERROR_CODES.INTERNAL, INTERNAL_ERROR_MESSAGE);
}
