/**
 * An error the service layer raises on purpose: a cloud error code, a message that names the
 * field, the value and the fix, and the HTTP status a REST adapter should answer with.
 */
export class SatelliteError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus: 400 | 401 | 404 | 409 | 413 | 422 | 429 | 500 | 502 | 503 | 507,
    readonly args?: unknown,
  ) {
    super(message);
    this.name = 'SatelliteError';
  }
}

/** A CA refused or failed: the request is FAILED with this message; `retryable` when trying later may work. */
export class CaError extends Error {
  constructor(
    message: string,
    /** True when trying again later may succeed (network failure, timeout, 5xx). */
    readonly retryable: boolean,
    readonly caDetail?: unknown,
  ) {
    super(message);
    this.name = 'CaError';
  }
}
