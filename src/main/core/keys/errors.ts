import { SatelliteError } from '../common/errors';
import { ERROR_CODES } from '../../../shared/error-codes';
import type { FieldError } from '../../../shared/field-errors';

/** csrAttributes failed validation: every problem, each naming its field; no key was made. */
export class InvalidCsrAttributesError extends SatelliteError {
  constructor(readonly fieldErrors: FieldError[]) {
    super(ERROR_CODES.VALIDATION, `csrAttributes has ${fieldErrors.length} problem${fieldErrors.length === 1 ? '' : 's'}: ${fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, 400, fieldErrors);
    this.name = 'InvalidCsrAttributesError';
  }
}
