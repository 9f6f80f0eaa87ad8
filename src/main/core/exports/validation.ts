import type { z } from 'zod';
import { ERROR_CODES } from '../../../shared/error-codes';
import { fieldErrorsFrom } from '../../../shared/field-errors';
import { SatelliteError } from '../common/errors';

/** Parses export options; every problem at once, each naming its field (passphrase values are never echoed). */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = fieldErrorsFrom(result.error);
  throw new SatelliteError(ERROR_CODES.VALIDATION, errors.map((e) => `${e.field}: ${e.message}`).join('; '), 400, errors);
}
