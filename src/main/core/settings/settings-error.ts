import { ERROR_CODES } from '../../../shared/error-codes';
import type { FieldError } from '../../../shared/field-errors';
import { SatelliteError } from '../common/errors';

const HTTP_STATUS = { [ERROR_CODES.VALIDATION]: 400, [ERROR_CODES.NOT_FOUND]: 404, [ERROR_CODES.CONFLICT]: 409 } as const;

/**
 * A settings change that was refused: every problem at once, each naming its field.
 * `code` is the cloud-style error code (VALIDATION, NOT_FOUND or CONFLICT) for the API layer.
 */
export class SettingsError extends SatelliteError {
  constructor(
    override readonly code: (typeof ERROR_CODES)['VALIDATION' | 'NOT_FOUND' | 'CONFLICT'],
    readonly fieldErrors: FieldError[],
  ) {
    super(code, fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '), HTTP_STATUS[code], fieldErrors);
    this.name = 'SettingsError';
  }

  static validation(fieldErrors: FieldError[]): SettingsError {
    return new SettingsError(ERROR_CODES.VALIDATION, fieldErrors);
  }

  static notFound(field: string, message: string, value?: unknown): SettingsError {
    return new SettingsError(ERROR_CODES.NOT_FOUND, [{ field, message, ...(value === undefined ? {} : { value }) }]);
  }

  static conflict(field: string, message: string, value?: unknown): SettingsError {
    return new SettingsError(ERROR_CODES.CONFLICT, [{ field, message, ...(value === undefined ? {} : { value }) }]);
  }
}
