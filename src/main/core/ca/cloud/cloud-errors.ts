import { CaError } from '../connector';

/** One element of the cloud's `{errors: [{code, message, args}]}`. */
export interface CloudApiError {
  code?: number;
  message?: string;
  args?: unknown;
}

export function cloudErrorsOf(body: unknown): CloudApiError[] {
  if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return [];
  return body.errors.filter((e): e is CloudApiError => typeof e === 'object' && e !== null);
}

/** A non-2xx answer of the cloud as a CaError: 401 says to fix the key, 5xx and 429 are worth retrying. */
export function cloudHttpError(what: string, status: number, body: unknown): CaError {
  const errors = cloudErrorsOf(body);
  const said = errors.map((e) => `${e.message ?? 'no message'}${e.code !== undefined ? ` (code ${e.code})` : ''}`).join('; ') || (typeof body === 'string' && body.trim() ? body.trim().slice(0, 300) : `HTTP ${status}`);
  if (status === 401) return new CaError('the cloud refused the API key: check it in Settings', false, { status, errors });
  const retryable = status >= 500 || status === 429 || status === 408;
  return new CaError(`The cloud refused ${what}: ${said}${retryable ? '; the request will be retried later' : ''}`, retryable, { status, errors });
}
