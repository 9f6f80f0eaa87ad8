import type { z } from 'zod';
import { ERROR_CODES } from '../../shared/error-codes';
import { fieldErrorsFrom } from '../../shared/field-errors';

/** One entry of the cloud's `{errors: [...]}`. */
export interface CloudErrorItem {
  code: number;
  message: string;
  args?: unknown;
}

export interface CloudErrorBody {
  errors: CloudErrorItem[];
}

/** An answer the API layer itself decides on (bad Host, missing key, unknown route, bad input). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly items: CloudErrorItem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(items.map((i) => i.message).join('; '));
    this.name = 'ApiError';
  }
}

export function apiError(status: number, code: number, message: string, args?: unknown, headers?: Record<string, string>): ApiError {
  return new ApiError(status, [{ code, message, ...(args === undefined ? {} : { args }) }], headers);
}

/**
 * 400 with one entry per problem, each naming its field (`args.field`, which the UI reads to
 * show the message inline). `rename` maps internal field names to the ones the caller sent.
 */
export function validationError(error: z.ZodError, prefix = '', rename: Record<string, string> = {}): ApiError {
  const items = fieldErrorsFrom(error, prefix).map(({ field, message }) => {
    const head = field.split('.')[0] ?? field;
    const shown = head in rename ? [rename[head], ...field.split('.').slice(1)].join('.') : field;
    return { code: ERROR_CODES.VALIDATION, message: `${shown}: ${message}`, args: { field: shown } };
  });
  return new ApiError(400, items);
}

/** Parse with a shared schema or answer 400 naming every bad field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, prefix = '', rename: Record<string, string> = {}): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, prefix, rename);
  return result.data;
}
